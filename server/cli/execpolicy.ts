// `gatehouse execpolicy check [--rules PATH]... [--pretty] -- CMD…`: the decision and the matching rules
// for one command, in the reference's output shape (`codex execpolicy check --rules PATH CMD…`). Without
// --rules it reads the home's `rules/*.rules`, which is what the daemon uses.
import { parseArgs } from "node:util";
import { resolveHome } from "../core/config/home.js";
import { checkOutput, ExecPolicy } from "../core/approval/execpolicy/execPolicy.js";

export async function runExecpolicy(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "check") throw new ExecpolicyUsageError(`execpolicy: unknown subcommand ${JSON.stringify(sub ?? "")} (supported: check)`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { rules: { type: "string", short: "r", multiple: true }, pretty: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new ExecpolicyUsageError("execpolicy check needs a command: gatehouse execpolicy check [--rules PATH] -- CMD…");
  const policy = values.rules && values.rules.length > 0 ? await ExecPolicy.fromFiles(values.rules) : await ExecPolicy.load(resolveHome(process.env));
  const out = checkOutput(policy, positionals);
  process.stdout.write(`${values.pretty ? JSON.stringify(out, null, 2) : JSON.stringify(out)}\n`);
  return 0;
}

export class ExecpolicyUsageError extends Error {}
