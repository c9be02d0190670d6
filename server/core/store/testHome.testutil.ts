// Temp homes for the store tests, removed after each test file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { SessionMetaPayload } from "./rolloutTypes.js";

export function tempHomes(): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), "gatehouse-store-"));
    made.push(d);
    return d;
  };
}

export function metaFor(overrides: Partial<Omit<SessionMetaPayload, "id" | "timestamp">> = {}): Omit<SessionMetaPayload, "id" | "timestamp"> {
  return { cwd: "/work/project", originator: "gatehouse", cli_version: "0.169.0", source: "vscode", model_provider: "mock", ...overrides };
}
