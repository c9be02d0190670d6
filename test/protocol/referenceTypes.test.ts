// Type conformance with the reference: for every type the reference's generated TS
// bindings (codex 0.169.0 `app-server generate-ts`, written by ../shared/tools/reference.sh) export and
// ours (`gatehouse app-server generate-ts`) also export, a value of the reference's type must be
// assignable to ours: we accept everything the reference sends or accepts. The checks file is generated
// (test/protocol/referenceTypes.ts) and compiled with its own tsconfig (moduleResolution "bundler",
// because both bindings use extensionless imports).
//
// A runtime test fails when a reference type in scope has no check, or the allowlist names a type that
// is not in scope; allowlisted checks compile under @ts-expect-error, so a fixed mismatch fails until
// its entry is removed. The other direction (ours assignable to theirs) is not checked: Gatehouse adds
// fields and error forms on purpose in places, and wire-check coverage compares the schemas both ways.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAEMON } from "../helpers/daemon.js";
import { REF_DIR } from "../helpers/globalSetup.js";
import { checkedPaths, exportedNames, listTypeFiles, renderChecks, scopeOf, typeName, type Scope } from "./referenceTypes.js";

const REF_TS = join(REF_DIR, "0.169.0/schema-ts");
const TSCONFIG = fileURLToPath(new URL("./tsconfig.referenceTypes.json", import.meta.url));
const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
const available = existsSync(join(REF_TS, "index.ts"));
const because = available ? "" : ` [skipped: the reference bindings are not at ${REF_TS}; run ../shared/tools/reference.sh]`;

/**
 * Reference types that are knowingly not assignable to ours, keyed by the reference's path, each with
 * the reason. Keep it short: an entry here is a place where a reference client can send or expect
 * something Gatehouse does not model.
 */
const ALLOWLIST: ReadonlyMap<string, string> = new Map([
  // The v1 section is compatible with 0.80.0 (the last release with the conversation API), whose
  // SessionSource has no `{custom}` or `{internal}` form and whose AuthMode has no "chatgptAuthTokens".
  // 0.169 still lists these legacy types with its newer enums; widening ours would break the 0.80 check.
  ["ConversationSummary", "v1 follows 0.80: SessionSource lacks 0.169's {custom} and {internal} forms"],
  ["GetConversationSummaryResponse", "v1 follows 0.80: its ConversationSummary.source lacks 0.169's {custom} and {internal} forms"],
  ["GetAuthStatusResponse", 'v1 follows 0.80: AuthMode lacks 0.169\'s "chatgptAuthTokens"'],
]);

let ours = "";
let scope: Scope;
beforeAll(() => {
  ours = mkdtempSync(join(tmpdir(), "gatehouse-reftypes-"));
  execFileSync(process.execPath, [DAEMON, "app-server", "generate-ts", "--out", join(ours, "ours")], { stdio: "pipe" });
  if (available) scope = scopeOf(listTypeFiles(REF_TS), listTypeFiles(join(ours, "ours")));
}, 60_000);
afterAll(() => rmSync(ours, { recursive: true, force: true }));

describe("reference TS bindings are assignable to ours", () => {
  it.runIf(available)(`every reference type in scope has a check, and the allowlist names only types in scope${because}`, () => {
    // In scope, from the index files (not the file listing the checks are generated from): the
    // reference's exported names that our index also exports.
    const ourNames = new Set(exportedNames(readFileSync(join(ours, "ours/index.ts"), "utf8")));
    const refExports = [
      ...exportedNames(readFileSync(join(REF_TS, "index.ts"), "utf8")),
      ...exportedNames(readFileSync(join(REF_TS, "v2/index.ts"), "utf8")).map((n) => `v2/${n}`),
    ];
    const checked = checkedPaths(renderChecks(scope, ALLOWLIST, REF_TS, join(ours, "ours")));
    const unchecked = refExports.filter((p) => ourNames.has(typeName(p)) && scope.inScope.has(p) && !checked.has(p));
    expect(unchecked).toEqual([]);
    // A reference type that ours exports but scopeOf left out must be a same-named type of another
    // version (see referenceTypes.ts), never a type that silently went unchecked.
    const ourPath = new Map(listTypeFiles(join(ours, "ours")).map((p) => [typeName(p), p]));
    const crossVersion = (p: string): boolean => (p.startsWith("v2/") ? (ourPath.get(typeName(p)) ?? "").startsWith("v1/") : scope.inScope.has(`v2/${p}`));
    const leftOut = refExports.filter((p) => ourNames.has(typeName(p)) && !scope.inScope.has(p));
    expect(leftOut.filter((p) => !crossVersion(p))).toEqual([]);
    expect(checked.size).toBe(scope.inScope.size);
    expect(scope.inScope.size).toBeGreaterThan(300);
    expect([...ALLOWLIST.keys()].filter((p) => !scope.inScope.has(p))).toEqual([]);
    process.stderr.write(
      `referenceTypes: ${scope.inScope.size} reference types checked (${ALLOWLIST.size} allowlisted), ${scope.missing.length} not defined by ours\n`,
    );
  });

  it.runIf(available)(`the completeness check notices a missing check${because}`, () => {
    const source = renderChecks(scope, ALLOWLIST, REF_TS, join(ours, "ours"));
    const dropped = source.replace(/^export const check_v2_ThreadStartParams = .*$/m, "");
    expect(dropped).not.toBe(source);
    expect(checkedPaths(source).has("v2/ThreadStartParams")).toBe(true);
    expect(checkedPaths(dropped).has("v2/ThreadStartParams")).toBe(false);
  });

  it.runIf(available)(
    `the checks compile (allowlisted mismatches under @ts-expect-error)${because}`,
    () => {
      writeFileSync(join(ours, "checks.ts"), renderChecks(scope, ALLOWLIST, REF_TS, join(ours, "ours")));
      writeFileSync(join(ours, "tsconfig.json"), JSON.stringify({ extends: TSCONFIG, files: ["checks.ts"] }));
      const run = spawnSync(process.execPath, [tsc, "-p", ours], { encoding: "utf8" });
      expect(run.stdout + run.stderr).toBe("");
      expect(run.status).toBe(0);
    },
    120_000,
  );

  it.runIf(available)(
    `a mismatch fails the compile, naming the type${because}`,
    () => {
      // Dropping an allowlist entry turns its check into a live one, which must fail.
      const withoutEntry = new Map(ALLOWLIST);
      withoutEntry.delete("GetAuthStatusResponse");
      writeFileSync(join(ours, "checks.ts"), renderChecks(scope, withoutEntry, REF_TS, join(ours, "ours")));
      writeFileSync(join(ours, "tsconfig.json"), JSON.stringify({ extends: TSCONFIG, files: ["checks.ts"] }));
      const run = spawnSync(process.execPath, [tsc, "-p", ours], { encoding: "utf8" });
      expect(run.status).not.toBe(0);
      expect(run.stdout).toMatch(/GetAuthStatusResponse/);
      expect(run.stdout.match(/error TS/g)).toHaveLength(1);
    },
    120_000,
  );
});
