// A small tmpfs the test mounts (as root) to make a disk full for real, and a filler file to fill it.
// tmpfs counts space in pages: a file's last page may still take a few bytes when no page is free.
import { execFileSync } from "node:child_process";
import { closeSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";

export interface Tmpfs {
  readonly dir: string;
  /** Bytes a new page-sized write may still take (free blocks × block size). */
  free(): number;
  readonly blockSize: number;
  /**
   * Writes `name` until the file system has `leaveBlocks` free blocks (0: until ENOSPC) and returns
   * its path. Throws if the result is not exactly that, so a test never runs on a wrong premise.
   */
  fill(name: string, leaveBlocks?: number): string;
  unmount(): void;
}

/** Why mounting is impossible here, or null when it may work. */
export function tmpfsUnavailable(): string | null {
  if (process.platform !== "linux") return `tmpfs mounts need Linux, this is ${process.platform}`;
  if (process.getuid?.() !== 0) return "mounting a tmpfs needs root";
  return null;
}

export function mountTmpfs(dir: string, size: string): Tmpfs {
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir], { stdio: "pipe" });
  const blockSize = statfsSync(dir).bsize;
  const free = (): number => {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  };
  return {
    dir,
    blockSize,
    free,
    fill(name, leaveBlocks = 0) {
      const path = `${dir}/${name}`;
      const fd = openSync(path, "a");
      try {
        const chunk = Buffer.alloc(64 * 1024, 0x78);
        for (;;) {
          const room = free() - leaveBlocks * blockSize;
          if (room <= 0) break;
          try {
            writeSync(fd, chunk, 0, Math.min(chunk.length, room));
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOSPC") break;
            throw e;
          }
        }
      } finally {
        closeSync(fd);
      }
      const left = free() / blockSize;
      if (left !== leaveBlocks) throw new Error(`filling ${dir}: ${left} blocks left, wanted ${leaveBlocks}`);
      return path;
    },
    unmount() {
      execFileSync("umount", ["-l", dir], { stdio: "pipe" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
