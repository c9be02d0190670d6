// Host residue left by placeholders. When bwrap mounts over a path that does
// not exist inside a writable bind, it creates that path ON THE HOST, and it stays after exit. Each
// such path is recorded here with a reference count shared by every sandbox this daemon runs; when the
// last user releases it, it is removed, but only if it is still an empty directory or an empty file.
// Anything else (a host process wrote into it meanwhile) is left alone. Symlinks are never followed.
//
// Crash safety: with a `dir` (under the daemon's home), the live set is also written to
// `<dir>/<pid>.json` BEFORE bwrap can create anything, and rewritten on every release. A daemon that
// dies mid-run (SIGKILL, OOM, power cut after the page cache reached the disk) leaves that file
// behind; the next daemon using the same home sweeps it at start: files of owners that are no longer
// running (pid plus start time, so a reused pid does not count) have their paths removed under the
// same "still empty" rule, then the file goes. A path another live daemon's file lists is never
// removed, by release or by sweep.
//
// Scope: daemons sharing a home see each other's files. Daemons with different homes sharing a
// workspace may still remove each other's placeholders early; the placeholder then still exists
// inside the running sandbox's own mount namespace, so protection holds, only the host-side view
// changes.
import * as fs from "node:fs";
import * as path from "node:path";

interface RegistryFile {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat: tells a live owner from a later process that reused its pid. */
  readonly start: string | null;
  readonly paths: readonly string[];
}

function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function ownerAlive(f: RegistryFile): boolean {
  if (f.pid === process.pid) return true;
  const start = processStart(f.pid);
  return start !== null && (f.start === null || start === f.start);
}

function readRegistryFile(file: string): RegistryFile | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<RegistryFile>;
    if (typeof v.pid !== "number" || !Array.isArray(v.paths)) return null;
    const paths = v.paths.filter((p): p is string => typeof p === "string" && p.startsWith("/"));
    return { pid: v.pid, start: typeof v.start === "string" ? v.start : null, paths };
  } catch {
    return null;
  }
}

export interface SweepReport {
  /** Placeholder paths removed (owner gone, still empty). */
  readonly removed: readonly string[];
  /** Paths of dead owners left in place because they are no longer empty placeholders. */
  readonly kept: readonly string[];
}

export class PlaceholderRegistry {
  private readonly counts = new Map<string, number>();
  private readonly file: string | undefined;
  private readonly start = processStart(process.pid);
  private dirMade = false;

  /** `dir`: where the crash-safe record lives; without it the registry is in memory only. */
  constructor(readonly dir?: string) {
    this.file = dir === undefined ? undefined : path.join(dir, `${process.pid}.json`);
  }

  isLive(p: string): boolean {
    return (this.counts.get(p) ?? 0) > 0;
  }

  /**
   * Records the paths before the sandbox that creates them starts. Throws when the record cannot be
   * written: the caller must not launch then (a crash would leave residue nobody knows about).
   */
  acquire(paths: readonly string[]): void {
    if (paths.length === 0) return;
    for (const p of paths) this.counts.set(p, (this.counts.get(p) ?? 0) + 1);
    try {
      this.persist();
    } catch (e) {
      this.release(paths);
      throw e;
    }
  }

  /** Decrements each path; returns the ones no sandbox holds any more, deepest first. */
  release(paths: readonly string[]): string[] {
    if (paths.length === 0) return [];
    const free: string[] = [];
    for (const p of paths) {
      const n = (this.counts.get(p) ?? 0) - 1;
      if (n > 0) this.counts.set(p, n);
      else {
        this.counts.delete(p);
        free.push(p);
      }
    }
    const others = this.heldByOthers();
    try {
      this.persist();
    } catch {
      // The stale record only makes the next start sweep paths that are then empty or gone.
    }
    return free.filter((p) => !others.has(p)).sort((a, b) => b.length - a.length);
  }

  /** Removes the residue of daemons that died with sandboxes running; call once at start. */
  sweep(): SweepReport {
    const removed: string[] = [];
    const kept: string[] = [];
    if (this.dir === undefined) return { removed, kept };
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return { removed, kept };
    }
    const others = this.heldByOthers();
    for (const name of names) {
      if (!name.endsWith(".json")) continue;
      const file = path.join(this.dir, name);
      if (file === this.file) continue;
      const rec = readRegistryFile(file);
      if (rec !== null && ownerAlive(rec)) continue;
      for (const p of [...(rec?.paths ?? [])].sort((a, b) => b.length - a.length)) {
        if (others.has(p) || this.isLive(p)) continue;
        if (removeIfEmpty(p)) removed.push(p);
        else if (fs.existsSync(p)) kept.push(p);
      }
      try {
        fs.unlinkSync(file);
      } catch {
        // another daemon swept it first
      }
    }
    return { removed, kept };
  }

  private heldByOthers(): Set<string> {
    const held = new Set<string>();
    if (this.dir === undefined) return held;
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return held;
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (!name.endsWith(".json") || file === this.file) continue;
      const rec = readRegistryFile(file);
      if (rec !== null && rec.pid !== process.pid && ownerAlive(rec)) for (const p of rec.paths) held.add(p);
    }
    return held;
  }

  private persist(): void {
    if (this.file === undefined || this.dir === undefined) return;
    if (this.counts.size === 0) {
      try {
        fs.unlinkSync(this.file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
      return;
    }
    if (!this.dirMade) {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.dirMade = true;
    }
    const rec: RegistryFile = { pid: process.pid, start: this.start, paths: [...this.counts.keys()] };
    // Write-then-rename: a crash mid-write must not leave a truncated record that hides the paths.
    const tmp = `${this.file}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(rec), { mode: 0o600 });
    } catch (e) {
      // The directory was removed behind our back: make it again once.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, JSON.stringify(rec), { mode: 0o600 });
    }
    fs.renameSync(tmp, this.file);
  }
}

export const defaultPlaceholderRegistry = new PlaceholderRegistry();

/** Removes `path` if it is an empty directory or an empty regular file. */
export function removeIfEmpty(path: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(path);
  } catch {
    return false;
  }
  try {
    if (st.isDirectory()) {
      fs.rmdirSync(path);
      return true;
    }
    if (st.isFile() && st.size === 0) {
      fs.unlinkSync(path);
      return true;
    }
  } catch {
    return false;
  }
  return false;
}

/** Removes whatever a sandboxed command created at a watched protected path (e.g. `git init`'s .git). */
export function removeCreated(path: string): boolean {
  try {
    fs.lstatSync(path);
  } catch {
    return false;
  }
  fs.rmSync(path, { recursive: true, force: true });
  return true;
}
