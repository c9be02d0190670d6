// `gatehouse app-server generate-ts` writes bindings that compile on their own (as the reference's do,
// with extensionless imports and bundler resolution), one file per named type.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DAEMON } from "../helpers/daemon.js";

const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "gatehouse-ts-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("generate-ts", () => {
  it("writes one file per type, and they compile", () => {
    execFileSync(process.execPath, [DAEMON, "app-server", "generate-ts", "--out", out], { stdio: "pipe" });
    expect(existsSync(join(out, "v2/ThreadStartParams.ts"))).toBe(true);
    expect(existsSync(join(out, "ClientRequest.ts"))).toBe(true);
    const params = readFileSync(join(out, "v2/TurnStartParams.ts"), "utf8");
    expect(params).toMatch(/export type TurnStartParams = \{/);
    expect(params).toMatch(/threadId: string;/);
    writeFileSync(
      join(out, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: "esnext", moduleResolution: "bundler", target: "es2022" },
        include: ["**/*.ts"],
      }),
    );
    // A deliberate misuse must fail to compile, so the compile step is shown to check something.
    writeFileSync(join(out, "misuse.ts"), 'import type { TurnStartParams } from "./v2/TurnStartParams";\nexport const p: TurnStartParams = { threadId: 1 };\n');
    const misuse = spawnSync(process.execPath, [tsc, "-p", out], { encoding: "utf8" });
    expect(misuse.status).not.toBe(0);
    expect(misuse.stdout).toMatch(/misuse\.ts.*number.*string/s);
    rmSync(join(out, "misuse.ts"));
    const clean = spawnSync(process.execPath, [tsc, "-p", out], { encoding: "utf8" });
    expect(clean.stdout).toBe("");
    expect(clean.status).toBe(0);
  }, 120_000);
});
