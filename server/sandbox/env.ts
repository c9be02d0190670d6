// Environment for commands the daemon runs. The daemon's own process.env is never
// passed through as is: the child env is built from `shell_environment_policy`, in the reference's
// order: inherit (all | core | none) → default excludes (*KEY*, *SECRET*, *TOKEN*, case-insensitive)
// unless `ignore_default_excludes` → `exclude` patterns → `set` → `include_only` patterns.
// Then the sandbox markers are applied, last, so no policy can remove or forge them.
//
// Patterns are shell-style globs (`*`, `?`) matched case-insensitively against the whole name.

/** `[shell_environment_policy]` in config.toml, spelled as in the file. */
export interface ShellEnvironmentPolicy {
  readonly inherit?: "all" | "core" | "none";
  readonly ignore_default_excludes?: boolean;
  readonly exclude?: readonly string[];
  readonly set?: Readonly<Record<string, string>>;
  readonly include_only?: readonly string[];
}

export const CORE_ENV_VARS = ["HOME", "LOGNAME", "PATH", "SHELL", "USER", "USERNAME", "TMPDIR", "TEMP", "TMP"] as const;

export const DEFAULT_ENV_EXCLUDES = ["*KEY*", "*SECRET*", "*TOKEN*"] as const;

/** Set inside the sandbox whenever the command's network is restricted; tools and tests key on it. */
export const NETWORK_DISABLED_ENV = "CODEX_SANDBOX_NETWORK_DISABLED";

/** Node IPC plumbing (the network relay's channel) that must never reach a user command. */
export const NODE_CHANNEL_ENV = ["NODE_CHANNEL_FD", "NODE_CHANNEL_SERIALIZATION_MODE"] as const;

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}

export function envNameMatches(name: string, pattern: string): boolean {
  return globToRegExp(pattern).test(name);
}

const matchesAny = (name: string, patterns: readonly string[]): boolean => patterns.some((p) => envNameMatches(name, p));

export function buildShellEnvironment(source: Readonly<Record<string, string | undefined>>, policy: ShellEnvironmentPolicy = {}): Record<string, string> {
  const env: Record<string, string> = {};
  const inherit = policy.inherit ?? "all";
  if (inherit !== "none") {
    const core = new Set<string>(CORE_ENV_VARS);
    for (const [k, v] of Object.entries(source)) {
      if (v === undefined) continue;
      if (inherit === "core" && !core.has(k)) continue;
      env[k] = v;
    }
  }
  if (!(policy.ignore_default_excludes ?? false)) {
    for (const k of Object.keys(env)) if (matchesAny(k, DEFAULT_ENV_EXCLUDES)) delete env[k];
  }
  for (const k of Object.keys(env)) if (matchesAny(k, policy.exclude ?? [])) delete env[k];
  for (const [k, v] of Object.entries(policy.set ?? {})) env[k] = v;
  if (policy.include_only !== undefined && policy.include_only.length > 0) {
    for (const k of Object.keys(env)) if (!matchesAny(k, policy.include_only)) delete env[k];
  }
  return env;
}

/** Per-request overrides (command/exec `env`): a string sets, null unsets. Applied before the markers. */
export function applyEnvOverrides(
  env: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string | null>> | undefined,
): Record<string, string> {
  const out = { ...env };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

export interface SandboxEnvRules {
  /** The command's network is restricted (wrapped with --unshare-net, or an outer sandbox without network). */
  readonly networkDisabled: boolean;
}

/** The last step before spawn: markers on, Node IPC variables off. */
export function applySandboxEnv(env: Readonly<Record<string, string>>, rules: SandboxEnvRules): Record<string, string> {
  const out = { ...env };
  for (const k of NODE_CHANNEL_ENV) delete out[k];
  if (rules.networkDisabled) out[NETWORK_DISABLED_ENV] = "1";
  else delete out[NETWORK_DISABLED_ENV];
  return out;
}

// Managed networking's variables live in proxyEnv.ts (one table); the stripping the core applies to
// escalated commands is re-exported here beside the other environment rules.
export { withoutManagedProxyEnv } from "./proxyEnv.js";
