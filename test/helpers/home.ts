// A temp daemon home (and a separate TMPDIR, as the conformance harness does) per test.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempHome {
  base: string;
  home: string;
  tmp: string;
  writeConfig(toml: string): void;
  cleanup(): void;
}

export function tempHome(prefix = "gatehouse-test"): TempHome {
  const base = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const home = join(base, "home");
  const tmp = join(base, "tmp");
  mkdirSync(home, { mode: 0o700 });
  mkdirSync(tmp, { mode: 0o700 });
  return {
    base,
    home,
    tmp,
    writeConfig: (toml) => writeFileSync(join(home, "config.toml"), toml),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
