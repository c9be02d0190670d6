import { describe, expect, it } from "vitest";
import type { CommandExecOutputDeltaNotification } from "../../../protocol/v2/commandExec.js";
import { OutputDeltas } from "./outputDeltas.js";

const decode = (d: CommandExecOutputDeltaNotification): string => Buffer.from(d.deltaBase64, "base64").toString("utf8");

describe("OutputDeltas", () => {
  it("cuts the chunk that reaches the cap, flags it, and sends nothing more on that stream only", () => {
    const sent: CommandExecOutputDeltaNotification[] = [];
    const d = new OutputDeltas("p", 5, (x) => sent.push(x));
    d.push("stdout", Buffer.from("abc"));
    d.push("stdout", Buffer.from("defgh"));
    d.push("stdout", Buffer.from("more"));
    d.push("stderr", Buffer.from("err"));
    expect(sent.map((x) => [x.stream, decode(x), x.capReached])).toEqual([
      ["stdout", "abc", false],
      ["stdout", "de", true],
      ["stderr", "err", false],
    ]);
    expect(sent.every((x) => x.processId === "p")).toBe(true);
  });

  it("is unlimited with a null cap and still sends notes after the cap", () => {
    const sent: CommandExecOutputDeltaNotification[] = [];
    const d = new OutputDeltas("q", null, (x) => sent.push(x));
    d.push("stderr", Buffer.alloc(10_000, 120));
    expect(decode(sent[0] as CommandExecOutputDeltaNotification)).toHaveLength(10_000);
    const capped = new OutputDeltas("r", 1, (x) => sent.push(x));
    capped.push("stderr", Buffer.from("xy"));
    capped.note("stderr", "sandbox: denied\n");
    expect(decode(sent[sent.length - 1] as CommandExecOutputDeltaNotification)).toBe("sandbox: denied\n");
  });
});
