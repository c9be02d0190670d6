// `SplitSandboxPolicy`: a `FileSystemSandboxPolicy` (entries of path / glob / special → read, write or
// none) plus a `NetworkSandboxPolicy`. Legacy policies (sandboxPolicy.ts) and named permission
// profiles (permissionProfiles.ts) both convert into it; launchers only ever see this form.
//
// The legacy conversion is the one place where a read entry is not meant to narrow: a legacy readable
// root only ever adds read access, so its entries are marked `additive` and lose a tie against write
// (workspaceWrite with restricted read lists the cwd as read AND as write).
import type { FileSystemAccess } from "./fileSystemAccess.js";
import { isUnderOrEqual, normalizeAbsolute } from "./paths.js";
import { policyLabel, type ReadOnlyAccess, type SandboxPolicy } from "./sandboxPolicy.js";

export type FileSystemSpecialPath =
  | { readonly kind: "root" }
  | { readonly kind: "minimal" }
  | { readonly kind: "current_working_directory" }
  | { readonly kind: "project_roots"; readonly subpath?: string | null }
  | { readonly kind: "tmpdir" }
  | { readonly kind: "slash_tmp" }
  /** Sent by newer peers; kept for round-tripping and otherwise ignored. */
  | { readonly kind: "unknown"; readonly path: string; readonly subpath?: string | null };

export type FileSystemPath =
  | { readonly type: "path"; readonly path: string }
  | { readonly type: "glob_pattern"; readonly pattern: string }
  | { readonly type: "special"; readonly value: FileSystemSpecialPath };

export interface FileSystemSandboxEntry {
  readonly path: FileSystemPath;
  readonly access: FileSystemAccess;
  /**
   * Legacy read part only: the entry adds read access and never narrows, so an equally specific
   * write entry wins over it. Entries from profiles and the wire never set it.
   */
  readonly additive?: true;
}

export type FileSystemPolicyKind = "restricted" | "unrestricted" | "external-sandbox";

export interface FileSystemSandboxPolicy {
  readonly kind: FileSystemPolicyKind;
  /** Ignored unless kind is "restricted". */
  readonly entries: readonly FileSystemSandboxEntry[];
  readonly globScanMaxDepth?: number;
}

export type NetworkSandboxPolicy = "restricted" | "enabled";

export interface SplitSandboxPolicy {
  readonly fileSystem: FileSystemSandboxPolicy;
  readonly network: NetworkSandboxPolicy;
  /** Human name used in denial messages: "workspace-write", a profile id, … */
  readonly label: string;
}

export const specialPath = (value: FileSystemSpecialPath): FileSystemPath => ({ type: "special", value });
export const sandboxEntry = (path: FileSystemPath, access: FileSystemAccess): FileSystemSandboxEntry => ({ path, access });

function readPart(access: ReadOnlyAccess | undefined): FileSystemSandboxEntry[] {
  const add = (path: FileSystemPath): FileSystemSandboxEntry => ({ path, access: "read", additive: true });
  if (access === undefined || access.type === "fullAccess") return [add(specialPath({ kind: "root" }))];
  const out = [add(specialPath({ kind: "current_working_directory" }))];
  if (access.includePlatformDefaults ?? true) out.push(add(specialPath({ kind: "minimal" })));
  for (const root of access.readableRoots ?? []) out.push(add({ type: "path", path: root }));
  return out;
}

/** Legacy → split, following the reference's conversion. Needs no filesystem. */
export function toSplitPolicy(policy: SandboxPolicy): SplitSandboxPolicy {
  const label = policyLabel(policy);
  switch (policy.type) {
    case "dangerFullAccess":
      return { fileSystem: { kind: "unrestricted", entries: [] }, network: "enabled", label };
    case "externalSandbox":
      return {
        fileSystem: { kind: "external-sandbox", entries: [] },
        network: policy.networkAccess ?? "restricted",
        label,
      };
    case "readOnly":
      return {
        fileSystem: { kind: "restricted", entries: readPart(policy.access) },
        network: policy.networkAccess === true ? "enabled" : "restricted",
        label,
      };
    case "workspaceWrite": {
      const writable = policy.writableRoots ?? [];
      // A legacy readable root under a writable root would otherwise narrow it to read-only.
      const under = (p: string): boolean =>
        p.startsWith("/") && writable.some((w) => w.startsWith("/") && isUnderOrEqual(normalizeAbsolute(p, "/"), normalizeAbsolute(w, "/")));
      const read = readPart(policy.readOnlyAccess).filter((e) => !(e.path.type === "path" && under(e.path.path)));
      const entries = [
        ...read,
        sandboxEntry(specialPath({ kind: "current_working_directory" }), "write"),
        ...writable.map((p) => sandboxEntry({ type: "path", path: p }, "write")),
      ];
      if (!(policy.excludeSlashTmp ?? false)) entries.push(sandboxEntry(specialPath({ kind: "slash_tmp" }), "write"));
      if (!(policy.excludeTmpdirEnvVar ?? false)) entries.push(sandboxEntry(specialPath({ kind: "tmpdir" }), "write"));
      return {
        fileSystem: { kind: "restricted", entries },
        network: policy.networkAccess === true ? "enabled" : "restricted",
        label,
      };
    }
  }
}

export function isSplitPolicy(p: SandboxPolicy | SplitSandboxPolicy): p is SplitSandboxPolicy {
  return "fileSystem" in p;
}
