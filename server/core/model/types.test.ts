import { describe, expect, it } from "vitest";
import { ResponseItem } from "./types.js";

describe("ResponseItem", () => {
  it("accepts every §1.3 item and keeps fields it does not model", () => {
    const items: unknown[] = [
      { type: "message", role: "developer", content: [{ type: "input_text", text: "base prompt" }] },
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "hi" },
          { type: "input_image", image_url: "data:image/png;base64,AA" },
        ],
      },
      { type: "message", id: "msg_1", role: "assistant", status: "completed", content: [{ type: "output_text", text: "yo", annotations: [] }] },
      { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "s" }], content: null, encrypted_content: "gAAA" },
      { type: "function_call", id: "fc_1", name: "exec_command", arguments: '{"cmd":"ls"}', call_id: "call_1" },
      { type: "function_call_output", call_id: "call_1", output: "Exit code: 0" },
      { type: "function_call_output", call_id: "call_2", output: [{ type: "input_image", image_url: "data:image/png;base64,AA" }] },
      { type: "custom_tool_call", call_id: "call_3", name: "apply_patch", input: "*** Begin Patch\n*** End Patch" },
      { type: "custom_tool_call_output", call_id: "call_3", output: "Success." },
      { type: "local_shell_call", call_id: "call_4", status: "completed", action: { type: "exec", command: ["bash", "-lc", "ls"] } },
      { type: "web_search_call", id: "ws_1", status: "completed", action: { type: "search", query: "x" } },
    ];
    for (const item of items) {
      const parsed = ResponseItem.safeParse(item);
      expect(parsed.success, JSON.stringify(item)).toBe(true);
      // Echoed back verbatim: parsing neither drops nor adds anything.
      expect(parsed.data).toEqual(item);
    }
  });

  it("rejects what is not an item", () => {
    for (const bad of [null, {}, { type: "mystery" }, { type: "function_call", name: "x" }, { type: "message", role: "robot", content: [] }]) {
      expect(ResponseItem.safeParse(bad).success).toBe(false);
    }
  });
});
