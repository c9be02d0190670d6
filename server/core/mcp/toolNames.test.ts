// The expected names were produced by codex 0.169.0 itself: the faulty fixture's tools listed under
// these server names, as 0.169's tool_search returned them to a scripted model.
import { describe, expect, it } from "vitest";
import { MAX_MCP_TOOL_NAME_LENGTH, modelToolNames, sanitizeToolNamePart } from "./toolNames.js";

const LONG_TOOL = `a_tool_whose_name_is_far_too_long_${"x".repeat(46)}`;
const names = (refs: { server: string; tool: string }[]): [string, string][] => modelToolNames(refs).map((n) => [n.namespace, n.name]);

describe("modelToolNames (0.169's model-visible MCP tool names)", () => {
  it("namespaces a server's tools as mcp__<server>, the flat form being mcp__<server>__<tool>", () => {
    expect(modelToolNames([{ server: "faulty", tool: "echo" }])).toEqual([
      { server: "faulty", tool: "echo", namespace: "mcp__faulty", name: "echo", qualifiedName: "mcp__faulty__echo" },
    ]);
  });

  it("replaces every character outside [A-Za-z0-9_] with _, the hyphen included", () => {
    expect(names([{ server: "dot.ted-server", tool: "weird.name/with space" }])).toEqual([["mcp__dot_ted_server", "weird_name_with_space"]]);
    expect(sanitizeToolNamePart("")).toBe("_");
    expect(sanitizeToolNamePart("é")).toBe("_");
  });

  it("keeps a long name that fits 128 with its namespace, and cuts one that does not, with a hash of the raw names", () => {
    expect(names([{ server: "faulty", tool: LONG_TOOL }])).toEqual([["mcp__faulty", LONG_TOOL]]);
    const server = "dot.ted-server_with_a_rather_long_name_for_testing";
    expect(names([{ server, tool: LONG_TOOL }])).toEqual([
      ["mcp__dot_ted_server_with_a_rather_long_name_for_testing", "a_tool_whose_name_is_far_too_long_xxxxxxxxxxxxxxxxxxxxxxxx_d64d4b4ee1a1"],
    ]);
  });

  it("gives colliding namespaces and colliding tool names each a hash suffix", () => {
    expect(
      names([
        { server: "a.b", tool: "x.y" },
        { server: "a.b", tool: "x_y" },
        { server: "a.b", tool: "echo" },
        { server: "a_b", tool: "echo" },
      ]),
    ).toEqual([
      ["mcp__a_b_c5342199e32f", "echo"],
      ["mcp__a_b_c5342199e32f", "x_y_14d85825cbd0"],
      ["mcp__a_b_c5342199e32f", "x_y_91fc602adc95"],
      ["mcp__a_b_909e3df97957", "echo"],
    ]);
  });

  it("does not prefix a server already named mcp__…", () => {
    expect(names([{ server: "mcp__pre", tool: "echo" }])).toEqual([["mcp__pre", "echo"]]);
  });

  it("lists a tool a server listed twice once, and never exceeds the limit", () => {
    expect(
      modelToolNames([
        { server: "s", tool: "t" },
        { server: "s", tool: "t" },
      ]),
    ).toHaveLength(1);
    const huge = modelToolNames([{ server: "s".repeat(300), tool: "t".repeat(300) }])[0];
    expect(huge?.qualifiedName.length).toBeLessThanOrEqual(MAX_MCP_TOOL_NAME_LENGTH);
    expect(huge?.qualifiedName).toMatch(/^mcp__s+__?_[0-9a-f]{12}$/);
  });

  it("keeps every model-visible name unique", () => {
    const refs = [...Array(50).keys()].map((i) => ({ server: `srv${i % 3}`, tool: `${"t".repeat(120)}${i}` }));
    const all = modelToolNames(refs).map((n) => n.qualifiedName);
    expect(new Set(all).size).toBe(refs.length);
    for (const q of all) expect(q.length).toBeLessThanOrEqual(MAX_MCP_TOOL_NAME_LENGTH);
  });
});
