// What of the daemon's own files a sandboxed command may see: its home (auth.json with the API key,
// rollouts of every thread, approval rules) is hidden unless the command runs inside it, and
// config.toml stays read-only even where a writable root covers it. Used by command/exec and by the
// turn engine's commands alike.
import type { DaemonPaths } from "../../sandbox/bwrapPlan.js";
import { isUnderOrEqual } from "../../sandbox/paths.js";

export function daemonPathsFor(home: string, userConfigFile: string, cwd: string): DaemonPaths {
  return isUnderOrEqual(cwd, home) ? { readOnly: [userConfigFile] } : { deny: [home], readOnly: [userConfigFile] };
}
