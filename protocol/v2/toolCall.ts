// toolCall: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
// Imports no other v2 module: the engine parses the client's answers with these, and shared.ts (which
// takes DynamicToolCallOutputContentItem from here) is a thread's, turn's and item's results.
import * as z from "zod";

export const DynamicToolCallOutputContentItem = z
  .discriminatedUnion("type", [
    z.object({
      text: z.string(),
      type: z.literal("inputText"),
    }),
    z.object({
      imageUrl: z.string(),
      type: z.literal("inputImage"),
    }),
    z.object({
      audioUrl: z.string(),
      type: z.literal("inputAudio"),
    }),
  ])
  .register(z.globalRegistry, { id: "DynamicToolCallOutputContentItem" });
export type DynamicToolCallOutputContentItem = z.infer<typeof DynamicToolCallOutputContentItem>;

export const DynamicToolCallParams = z
  .object({
    arguments: z.unknown(),
    callId: z.string(),
    namespace: z.string().nullish(),
    threadId: z.string(),
    tool: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "DynamicToolCallParams" });
export type DynamicToolCallParams = z.infer<typeof DynamicToolCallParams>;

export const DynamicToolCallResponse = z
  .object({
    contentItems: z.array(DynamicToolCallOutputContentItem),
    success: z.boolean(),
  })
  .register(z.globalRegistry, { id: "DynamicToolCallResponse" });
export type DynamicToolCallResponse = z.infer<typeof DynamicToolCallResponse>;

/** EXPERIMENTAL. Captures a user's answer to a request_user_input question. */
export const ToolRequestUserInputAnswer = z
  .object({
    answers: z.array(z.string()),
  })
  .register(z.globalRegistry, { id: "ToolRequestUserInputAnswer" });
export type ToolRequestUserInputAnswer = z.infer<typeof ToolRequestUserInputAnswer>;

/** EXPERIMENTAL. Defines a single selectable option for request_user_input. */
export const ToolRequestUserInputOption = z
  .object({
    description: z.string(),
    label: z.string(),
  })
  .register(z.globalRegistry, { id: "ToolRequestUserInputOption" });
export type ToolRequestUserInputOption = z.infer<typeof ToolRequestUserInputOption>;

/** EXPERIMENTAL. Represents one request_user_input question and its required options. */
export const ToolRequestUserInputQuestion = z
  .object({
    header: z.string(),
    id: z.string(),
    isOther: z.boolean().optional(),
    isSecret: z.boolean().optional(),
    options: z.array(ToolRequestUserInputOption).nullish(),
    question: z.string(),
  })
  .register(z.globalRegistry, { id: "ToolRequestUserInputQuestion" });
export type ToolRequestUserInputQuestion = z.infer<typeof ToolRequestUserInputQuestion>;

/** EXPERIMENTAL. Params sent with a request_user_input event. */
export const ToolRequestUserInputParams = z
  .object({
    /** @deprecated Use `isBlocking` to decide whether the request should block. */
    autoResolutionMs: z.int().min(0).nullish(),
    isBlocking: z.boolean(),
    itemId: z.string(),
    questions: z.array(ToolRequestUserInputQuestion),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ToolRequestUserInputParams" });
export type ToolRequestUserInputParams = z.infer<typeof ToolRequestUserInputParams>;

/** EXPERIMENTAL. Response payload mapping question ids to answers. */
export const ToolRequestUserInputResponse = z
  .object({
    answers: z.record(z.string(), ToolRequestUserInputAnswer),
  })
  .register(z.globalRegistry, { id: "ToolRequestUserInputResponse" });
export type ToolRequestUserInputResponse = z.infer<typeof ToolRequestUserInputResponse>;
