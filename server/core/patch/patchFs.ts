/** The file operations verification and application need; tests pass an in-memory one. */
export interface PatchFs {
  readFile(p: string): Promise<string>;
  /** An absolute path with its symlinks resolved on the longest existing prefix (a new file's folder may be a link). */
  canonicalize(p: string): string;
  /** Replaces the canonical `p` with `data` so that readers see the old or the new content, never a
   * mix; follows no symlink on the way. */
  writeFileAtomic(p: string, data: string): Promise<void>;
  /** Removes the entry `p` (canonical parent, final component as named: a link is removed, not its target). */
  unlink(p: string): Promise<void>;
}
