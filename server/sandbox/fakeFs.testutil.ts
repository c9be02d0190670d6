// Test double for FsView: an in-memory tree described as path → entry, so unit tests and argv
// snapshots do not depend on the host's filesystem or on random temp-dir names. Parents are implied.
import type { FsStat, FsView } from "./fsView.js";

/** `ino` shares an inode between entries (hard links); give them the same `nlink`. */
export type FakeEntry = "dir" | { readonly file: string; readonly nlink?: number; readonly ino?: number } | { readonly link: string };

export function fakeFs(spec: Readonly<Record<string, FakeEntry>>): FsView & { entries: Map<string, FakeEntry> } {
  const entries = new Map<string, FakeEntry>([["/", "dir"]]);
  for (const [p, e] of Object.entries(spec)) {
    const parts = p.split("/").filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const parent = `/${parts.slice(0, i).join("/")}`;
      if (!entries.has(parent)) entries.set(parent, "dir");
    }
    entries.set(`/${parts.join("/")}`, e);
  }
  let ino = 1;
  const inodes = new Map<string, number>();
  const inodeOf = (p: string): number => {
    let n = inodes.get(p);
    if (n === undefined) inodes.set(p, (n = ino++));
    return n;
  };

  const resolve = (p: string, hops = 0): string | null => {
    if (hops > 40) return null;
    const parts = p.split("/").filter(Boolean);
    let cur = "";
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? "";
      if (part === ".") continue;
      if (part === "..") {
        cur = cur.slice(0, cur.lastIndexOf("/"));
        continue;
      }
      const next = `${cur}/${part}`;
      const e = entries.get(next);
      if (e === undefined) return null;
      if (typeof e === "object" && "link" in e) {
        const target = e.link.startsWith("/") ? e.link : `${cur}/${e.link}`;
        const rest = parts.slice(i + 1).join("/");
        return resolve(rest ? `${target}/${rest}` : target, hops + 1);
      }
      cur = next;
    }
    return cur === "" ? "/" : cur;
  };

  const stat = (p: string): FsStat | null => {
    const e = entries.get(p);
    if (e === undefined) return null;
    const base = { dev: 1, ino: typeof e === "object" && "file" in e && e.ino !== undefined ? 1_000_000 + e.ino : inodeOf(p) };
    if (e === "dir") return { ...base, type: "dir", nlink: 2, size: 4096 };
    if ("link" in e) return { ...base, type: "symlink", nlink: 1, size: e.link.length };
    return { ...base, type: "file", nlink: e.nlink ?? 1, size: e.file.length };
  };

  return {
    entries,
    realpath: (p) => resolve(p),
    lstat: (p) => stat(p === "/" ? "/" : p.replace(/\/+$/, "")),
    readlink: (p) => {
      const e = entries.get(p);
      return typeof e === "object" && "link" in e ? e.link : null;
    },
    readText: (p) => {
      const r = resolve(p);
      const e = r === null ? undefined : entries.get(r);
      return typeof e === "object" && "file" in e ? e.file : null;
    },
    readdir: (p) => {
      const r = resolve(p);
      if (r === null || entries.get(r) !== "dir") return null;
      const prefix = r === "/" ? "/" : `${r}/`;
      return [...entries.keys()].filter((k) => k !== r && k.startsWith(prefix) && !k.slice(prefix.length).includes("/")).map((k) => k.slice(prefix.length));
    },
  };
}
