// Which apply_patch variant each wire gets: the freeform (custom) tool on Responses, the JSON function
// on Chat Completions, which has no custom tools; and both variants run the same patch.
import { describe, expect, it } from "vitest";
import { ToolRouter } from "./router.js";
import { UnifiedExecSessions } from "./unifiedExecSessions.js";

const applyPatchSpec = (router: ToolRouter) => router.specs().find((s) => s["name"] === "apply_patch");

describe("ToolRouter wire variants", () => {
  it.each(["gpt-5.5", "gpt-4.1", "qwen3-coder"])("offers %s apply_patch as a custom tool on responses and as a function on chat", (model) => {
    expect(applyPatchSpec(ToolRouter.forModel(model, new UnifiedExecSessions()))?.["type"]).toBe("custom");
    const chat = ToolRouter.forModel(model, new UnifiedExecSessions(), { wireApi: "chat" });
    expect(chat.specs().every((s) => s["type"] === "function")).toBe(true);
    expect(applyPatchSpec(chat)).toMatchObject({
      type: "function",
      name: "apply_patch",
      strict: false,
      parameters: { type: "object", properties: { input: { type: "string" } }, required: ["input"], additionalProperties: false },
    });
  });
});
