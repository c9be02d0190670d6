// Stand-alone runner for integration tests that need the sandboxed run in another process: as another
// uid (setpriv), with an inherited fd, or with a parent that gets SIGKILLed. Usage:
//   node driver.mjs '<json DriverSpec>'
// Prints "started <pid>" on stderr once the process is spawned, then one JSON line on stdout.
import { selectLauncher } from "../../server/sandbox/launcher.js";
import { startExec } from "../../server/sandbox/spawn.js";
import type { DriverSpec } from "./helpers.js";

const spec = JSON.parse(process.argv[2] ?? "{}") as DriverSpec;
try {
  const launcher = selectLauncher("linux", spec.deps ?? {});
  const req = await launcher.transform(spec.command, spec.policy, spec.cwd, spec.launch ?? {});
  const h = startExec(req, spec.exec ?? {});
  process.stderr.write(`started ${h.pid ?? 0}\n`);
  const result = await h.result;
  process.stdout.write(`${JSON.stringify({ ok: true, result, warnings: req.warnings })}\n`);
} catch (e) {
  const err = e as Error & { code?: string };
  process.stdout.write(`${JSON.stringify({ ok: false, error: { name: err.name, message: err.message, code: err.code } })}\n`);
}
