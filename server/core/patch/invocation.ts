// Shell forms of apply_patch: models also send patches through the
// shell tool; those are run as apply_patch, never as a process (tools/shellTools.ts `shellApplyPatch`,
// which every shell tool calls first). Detection uses the bash parser.
import { parseShellScript, unwrapShellInvocation } from "../tools/bashParse.js";
import { parsePatch } from "./parser.js";

export type ApplyPatchInvocation =
  /** Run `patch` as apply_patch; `workdir` is a leading `cd DIR &&` target as written (resolve it against the cwd). */
  | { type: "patch"; patch: string; workdir: string | null }
  /** A bare patch given as the command: refuse with `message` (0.169 prefixes it with "apply_patch verification failed: "). */
  | { type: "implicit"; message: string };

const NAMES = new Set(["apply_patch", "applypatch"]);
export const IMPLICIT_INVOCATION_MESSAGE = 'patch detected without explicit call to apply_patch. Rerun as ["apply_patch", "<patch>"]';

/** Classifies a shell tool's argv; null when it is not apply_patch at all. Needs `loadBashParser()`. */
export function detectApplyPatchInvocation(argv: readonly string[]): ApplyPatchInvocation | null {
  if (argv.length === 2 && NAMES.has(argv[0] as string)) return { type: "patch", patch: argv[1] as string, workdir: null };
  if (argv.length === 1 && parsePatch(argv[0] as string).ok) return { type: "implicit", message: IMPLICIT_INVOCATION_MESSAGE };
  const shell = unwrapShellInvocation(argv);
  if (shell === null) return null;
  const heredoc = heredocPatch(shell.script);
  if (heredoc !== null) return { type: "patch", ...heredoc };
  if (parsePatch(shell.script).ok) return { type: "implicit", message: IMPLICIT_INVOCATION_MESSAGE };
  return null;
}

/** `[cd DIR && ]apply_patch <<'EOF' … EOF` → the heredoc body, and DIR. */
function heredocPatch(script: string): { patch: string; workdir: string | null } | null {
  if (!/apply_?patch/.test(script)) return null; // cheap pre-filter before a parse
  const parsed = parseShellScript(script);
  if (parsed === null) return null;
  const f = parsed.flags;
  if (f.subshell || f.processSubstitution || f.assignment || f.background || f.controlFlow || f.other.length > 0) return null;
  // Substitutions inside an unquoted heredoc body are patch text here, not commands.
  const top = parsed.commands.filter((c) => !c.nested);
  const last = top[top.length - 1];
  if (last === undefined || top.length > 2 || !last.literal || last.argv.length !== 1 || !NAMES.has(last.argv[0] as string)) return null;
  const [redirect, ...others] = last.redirects;
  if (redirect === undefined || others.length > 0 || redirect.heredocBody === undefined || redirect.op !== "<<") return null;
  let workdir: string | null = null;
  if (top.length === 2) {
    const cd = top[0];
    if (cd === undefined || !cd.literal || cd.argv[0] !== "cd" || cd.argv.length !== 2 || cd.redirects.length > 0 || parsed.operators[0] !== "&&") {
      return null;
    }
    workdir = cd.argv[1] as string;
  }
  return { patch: redirect.heredocBody, workdir };
}
