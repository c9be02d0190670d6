// [features] flags and view_image on the real daemon with a scripted model: the
// tools the model receives follow the flags as 0.169.0 offered them (server/core/tools/toolFlags.ts
// has the observations), an enabled flag Gatehouse does not implement gets one configWarning naming
// it, and view_image sends a PNG from the cwd to the model as 0.169 does (content items with an
// input_image) while a file in the daemon's home, which the thread's sandbox cannot read, is refused.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import type { Json } from "../helpers/daemon.js";
import { evFunctionCall, evMessage, turn } from "../helpers/mockResponses.js";
import { isNotification } from "../helpers/protocol.js";
import { mockConfig, startSession, type Session } from "../helpers/session.js";

let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

function png(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, "latin1"), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.alloc((w * 3 + 1) * h))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** One turn with `features`; returns the tool names of the model's first request. */
async function toolNames(model: string, features: string): Promise<{ names: string[]; s: Session }> {
  session = await startSession({
    script: [turn(evMessage("m1", "hi"))],
    config: (url) => mockConfig(url, `\n[features]\n${features}\n`).replace('model = "gpt-5.5"', `model = "${model}"`),
  });
  const s = session;
  const cwd = join(s.daemon.home.base, "cwd");
  mkdirSync(cwd, { recursive: true });
  const { thread } = await s.result("thread/start", { cwd });
  await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "hi", text_elements: [] }] });
  await s.notification("turn/completed");
  const req = s.mock.responsesRequests()[0];
  const names = ((req?.body?.["tools"] ?? []) as Json[]).map((t) => t["name"] as string);
  return { names, s };
}

const warnings = (s: Session): string[] => s.daemon.messages.filter(isNotification("configWarning")).map((m) => m.params.summary);

describe("[features] flags shape the tools the model receives, as in 0.169", () => {
  it("default: unified exec, request_user_input, apply_patch, view_image; no warning", async () => {
    const { names, s } = await toolNames("gpt-5.5", "");
    expect(names).toEqual(["exec_command", "write_stdin", "request_user_input", "apply_patch", "view_image"]);
    expect(warnings(s).filter((w) => w.includes("[features]"))).toEqual([]);
  });

  it("unified_exec = false changes nothing (0.169 still offers exec_command)", async () => {
    const { names } = await toolNames("gpt-5.5", "unified_exec = false");
    expect(names).toEqual(["exec_command", "write_stdin", "request_user_input", "apply_patch", "view_image"]);
  });

  it("shell_tool = false, view_image = false, request_permissions_tool = true; an unimplemented flag gets one configWarning", async () => {
    const { names, s } = await toolNames("gpt-5.5", "shell_tool = false\nview_image = false\nrequest_permissions_tool = true\nmemories = true");
    expect(names).toEqual(["request_user_input", "request_permissions", "apply_patch"]);
    const ours = warnings(s).filter((w) => w.includes("[features]"));
    expect(ours).toEqual(["`[features].memories = true` has no effect: Gatehouse does not implement this feature."]);
  });

  it("an older family loses its own shell tool with shell_tool = false and keeps view_image", async () => {
    const { names } = await toolNames("gpt-4.1", "shell_tool = false");
    expect(names).toEqual(["update_plan", "apply_patch", "view_image"]);
  });
});

describe("view_image end to end", () => {
  it("sends a PNG from the cwd as 0.169 does, and refuses a file the thread's sandbox cannot read", async () => {
    const image = png(2, 2);
    session = await startSession({
      script: [
        turn(evFunctionCall("call_png", "view_image", { path: "tiny.png" })),
        (req) => {
          void req;
          return turn(evFunctionCall("call_home", "view_image", { path: join(session?.daemon.home.home ?? "/", "secret.png") }));
        },
        turn(evMessage("m1", "done")),
      ],
    });
    const s = session;
    const cwd = join(s.daemon.home.base, "cwd");
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, "tiny.png"), image);
    // The daemon's home is hidden from the thread's sandboxed commands, so view_image may not read it.
    writeFileSync(join(s.daemon.home.home, "secret.png"), image);
    const { thread } = await s.result("thread/start", { cwd, sandbox: "read-only" });
    await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "look", text_elements: [] }] });
    const done = await s.notification("turn/completed");
    expect(done.params.turn.status).toBe("completed");

    const reqs = s.mock.responsesRequests();
    expect(reqs).toHaveLength(3);
    const output = (i: number, callId: string): unknown =>
      ((reqs[i]?.body?.["input"] ?? []) as Json[]).find((x) => x["type"] === "function_call_output" && x["call_id"] === callId)?.["output"];
    expect(output(1, "call_png")).toEqual([{ type: "input_image", image_url: `data:image/png;base64,${image.toString("base64")}`, detail: "original" }]);
    expect(output(2, "call_home")).toBe(`image path \`${join(s.daemon.home.home, "secret.png")}\` is not readable under this thread's sandbox policy`);

    // An imageView item for the image that was sent, none for the refusal (as 0.169).
    const views = s.daemon.messages.filter(isNotification("item/completed", (p) => p.item.type === "imageView")).map((m) => m.params.item);
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ type: "imageView", id: "call_png", path: join(cwd, "tiny.png") });
    s.checkWire();
  });
});
