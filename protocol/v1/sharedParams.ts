// sharedParams: the v1 types that requests' params use (reference: codex-cli 0.80.0), apart from the
// results and events so that a legacy client's first request builds only these (server/handlers/
// lazyTable.ts loads protocol/v1/requestHeads.ts). shared.ts re-exports them; moved here unchanged.
// Conventions as in shared.ts: optional params fields are .nullish(), every named type is registered
// with .register(z.globalRegistry, { id }).
import * as z from "zod";
import { AbsolutePathBuf } from "../v2/paths.js";

/** Determines the conditions under which the user is consulted to approve running the command proposed by Codex. */
export const V1AskForApproval = z
  .union([z.literal("untrusted"), z.literal("on-failure"), z.literal("on-request"), z.literal("never")])
  .register(z.globalRegistry, { id: "V1AskForApproval" });
export type V1AskForApproval = z.infer<typeof V1AskForApproval>;

export const V1ContentItem = z
  .discriminatedUnion("type", [
    z.object({
      text: z.string(),
      type: z.literal("input_text"),
    }),
    z.object({
      image_url: z.string(),
      type: z.literal("input_image"),
    }),
    z.object({
      text: z.string(),
      type: z.literal("output_text"),
    }),
  ])
  .register(z.globalRegistry, { id: "V1ContentItem" });
export type V1ContentItem = z.infer<typeof V1ContentItem>;

/** See https://platform.openai.com/docs/guides/reasoning?api-mode=responses#get-started-with-reasoning */
export const V1ReasoningEffort = z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]).register(z.globalRegistry, { id: "V1ReasoningEffort" });
export type V1ReasoningEffort = z.infer<typeof V1ReasoningEffort>;

/** Responses API compatible content items that can be returned by a tool call. This is a subset of ContentItem with the types we support as function call outputs. */
export const V1FunctionCallOutputContentItem = z
  .discriminatedUnion("type", [
    z.object({
      text: z.string(),
      type: z.literal("input_text"),
    }),
    z.object({
      image_url: z.string(),
      type: z.literal("input_image"),
    }),
  ])
  .register(z.globalRegistry, { id: "V1FunctionCallOutputContentItem" });
export type V1FunctionCallOutputContentItem = z.infer<typeof V1FunctionCallOutputContentItem>;

/** The payload we send back to OpenAI when reporting a tool call result.
 *
 * `content` preserves the historical plain-string payload so downstream integrations (tests, logging, etc.) can keep treating tool output as `String`. When an MCP server returns richer data we additionally populate `content_items` with the structured form that the Responses/Chat Completions APIs understand. */
export const FunctionCallOutputPayload = z
  .object({
    content: z.string(),
    content_items: z.array(V1FunctionCallOutputContentItem).nullish(),
    success: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "FunctionCallOutputPayload" });
export type FunctionCallOutputPayload = z.infer<typeof FunctionCallOutputPayload>;

/** Details of a ghost commit created from a repository state. */
export const GhostCommit = z
  .object({
    id: z.string(),
    parent: z.string().nullish(),
    preexisting_untracked_dirs: z.array(z.string()),
    preexisting_untracked_files: z.array(z.string()),
  })
  .register(z.globalRegistry, { id: "GhostCommit" });
export type GhostCommit = z.infer<typeof GhostCommit>;

export const V1LocalShellAction = z
  .object({
    command: z.array(z.string()),
    env: z.record(z.string(), z.string()).nullish(),
    timeout_ms: z.int().min(0).nullish(),
    type: z.literal("exec"),
    user: z.string().nullish(),
    working_directory: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "V1LocalShellAction" });
export type V1LocalShellAction = z.infer<typeof V1LocalShellAction>;

export const V1LocalShellStatus = z.enum(["completed", "in_progress", "incomplete"]).register(z.globalRegistry, { id: "V1LocalShellStatus" });
export type V1LocalShellStatus = z.infer<typeof V1LocalShellStatus>;

export const V1ReasoningItemContent = z
  .discriminatedUnion("type", [
    z.object({
      text: z.string(),
      type: z.literal("reasoning_text"),
    }),
    z.object({
      text: z.string(),
      type: z.literal("text"),
    }),
  ])
  .register(z.globalRegistry, { id: "V1ReasoningItemContent" });
export type V1ReasoningItemContent = z.infer<typeof V1ReasoningItemContent>;

export const V1ReasoningItemReasoningSummary = z
  .object({
    text: z.string(),
    type: z.literal("summary_text"),
  })
  .register(z.globalRegistry, { id: "V1ReasoningItemReasoningSummary" });
export type V1ReasoningItemReasoningSummary = z.infer<typeof V1ReasoningItemReasoningSummary>;

export const V1WebSearchAction = z
  .discriminatedUnion("type", [
    z.object({
      query: z.string().nullish(),
      type: z.literal("search"),
    }),
    z.object({
      type: z.literal("open_page"),
      url: z.string().nullish(),
    }),
    z.object({
      pattern: z.string().nullish(),
      type: z.literal("find_in_page"),
      url: z.string().nullish(),
    }),
    z.object({
      type: z.literal("other"),
    }),
  ])
  .register(z.globalRegistry, { id: "V1WebSearchAction" });
export type V1WebSearchAction = z.infer<typeof V1WebSearchAction>;

export const V1ResponseItem = z
  .discriminatedUnion("type", [
    z.object({
      content: z.array(V1ContentItem),
      id: z.string().nullish(),
      role: z.string(),
      type: z.literal("message"),
    }),
    z.object({
      content: z.array(V1ReasoningItemContent).nullish(),
      encrypted_content: z.string().nullish(),
      id: z.string(),
      summary: z.array(V1ReasoningItemReasoningSummary),
      type: z.literal("reasoning"),
    }),
    z.object({
      action: V1LocalShellAction,
      /** Set when using the Responses API. */
      call_id: z.string().nullish(),
      /** Set when using the chat completions API. */
      id: z.string().nullish(),
      status: V1LocalShellStatus,
      type: z.literal("local_shell_call"),
    }),
    z.object({
      arguments: z.string(),
      call_id: z.string(),
      id: z.string().nullish(),
      name: z.string(),
      type: z.literal("function_call"),
    }),
    z.object({
      call_id: z.string(),
      output: FunctionCallOutputPayload,
      type: z.literal("function_call_output"),
    }),
    z.object({
      call_id: z.string(),
      id: z.string().nullish(),
      input: z.string(),
      name: z.string(),
      status: z.string().nullish(),
      type: z.literal("custom_tool_call"),
    }),
    z.object({
      call_id: z.string(),
      output: z.string(),
      type: z.literal("custom_tool_call_output"),
    }),
    z.object({
      action: V1WebSearchAction,
      id: z.string().nullish(),
      status: z.string().nullish(),
      type: z.literal("web_search_call"),
    }),
    z.object({
      ghost_commit: GhostCommit,
      type: z.literal("ghost_snapshot"),
    }),
    z.object({
      encrypted_content: z.string(),
      type: z.literal("compaction"),
    }),
    z.object({
      type: z.literal("other"),
    }),
  ])
  .register(z.globalRegistry, { id: "V1ResponseItem" });
export type V1ResponseItem = z.infer<typeof V1ResponseItem>;

/** Represents whether outbound network access is available to the agent. */
export const V1NetworkAccess = z.enum(["restricted", "enabled"]).register(z.globalRegistry, { id: "V1NetworkAccess" });
export type V1NetworkAccess = z.infer<typeof V1NetworkAccess>;

/** Determines execution restrictions for model shell commands. */
export const V1SandboxPolicy = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("danger-full-access"),
    }),
    z.object({
      type: z.literal("read-only"),
    }),
    z.object({
      /** Whether the external sandbox permits outbound network traffic. */
      network_access: V1NetworkAccess.optional(),
      type: z.literal("external-sandbox"),
    }),
    z.object({
      /** When set to `true`, will NOT include the `/tmp` among the default writable roots on UNIX. Defaults to `false`. */
      exclude_slash_tmp: z.boolean().optional(),
      /** When set to `true`, will NOT include the per-user `TMPDIR` environment variable among the default writable roots. Defaults to `false`. */
      exclude_tmpdir_env_var: z.boolean().optional(),
      /** When set to `true`, outbound network access is allowed. `false` by default. */
      network_access: z.boolean().optional(),
      type: z.literal("workspace-write"),
      /** Additional folders (beyond cwd and possibly TMPDIR) that should be writable from within the sandbox. */
      writable_roots: z.array(AbsolutePathBuf).optional(),
    }),
  ])
  .register(z.globalRegistry, { id: "V1SandboxPolicy" });
export type V1SandboxPolicy = z.infer<typeof V1SandboxPolicy>;
