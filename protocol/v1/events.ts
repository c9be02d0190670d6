// The legacy event stream: `codex/event/<type>` notifications whose params wrap an EventMsg
// (0.80's EventMsg.json). Not part of the ServerNotification union in the
// reference schema, so it is not a table row: the method name is derived from the payload's type.
import * as z from "zod";
import { ThreadId } from "../v2/sharedParams.js";
import { EventMsg } from "./shared.js";

export const CodexEventNotification = z
  .object({
    id: z.string(),
    msg: EventMsg,
    conversationId: ThreadId,
  })
  .register(z.globalRegistry, { id: "CodexEventNotification" });
export type CodexEventNotification = z.infer<typeof CodexEventNotification>;

export const codexEventMethod = (msg: { type: string }): string => `codex/event/${msg.type}`;
