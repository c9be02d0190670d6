// update_plan: the model's step list, shown to clients as turn/plan/updated.
import { functionOutput, parseToolArgs, type Tool } from "./toolTypes.js";

const STATUS: Record<string, "pending" | "inProgress" | "completed"> = { pending: "pending", in_progress: "inProgress", completed: "completed" };

export const updatePlanTool: Tool = {
  name: "update_plan",
  spec: {
    type: "function",
    name: "update_plan",
    description:
      "Updates the task plan.\nProvide an optional explanation and a list of plan items, each with a step and status.\nAt most one step can be in_progress at a time.",
    strict: false,
    parameters: {
      type: "object",
      properties: {
        explanation: { type: "string" },
        plan: {
          type: "array",
          description: "The list of steps",
          items: {
            type: "object",
            properties: { step: { type: "string" }, status: { type: "string", description: "One of: pending, in_progress, completed" } },
            required: ["step", "status"],
            additionalProperties: false,
          },
        },
      },
      required: ["plan"],
      additionalProperties: false,
    },
  },
  run(call, ctx) {
    const parsed = parseToolArgs(call.input);
    if (typeof parsed === "string") return Promise.resolve(functionOutput(call, parsed));
    const a = parsed as { explanation?: unknown; plan?: unknown };
    if (!Array.isArray(a.plan)) return Promise.resolve(functionOutput(call, "failed to parse function arguments: missing field `plan`"));
    const plan: { step: string; status: "pending" | "inProgress" | "completed" }[] = [];
    for (const entry of a.plan as unknown[]) {
      const e = (entry ?? {}) as { step?: unknown; status?: unknown };
      const status = typeof e.status === "string" ? STATUS[e.status] : undefined;
      if (typeof e.step !== "string" || status === undefined)
        return Promise.resolve(
          functionOutput(call, "failed to parse function arguments: each plan item needs a step and a status of pending, in_progress or completed"),
        );
      plan.push({ step: e.step, status });
    }
    if (plan.filter((p) => p.status === "inProgress").length > 1) return Promise.resolve(functionOutput(call, "at most one step can be in_progress at a time"));
    ctx.thread.emit("turn/plan/updated", {
      threadId: ctx.thread.id,
      turnId: ctx.turnId,
      explanation: typeof a.explanation === "string" ? a.explanation : null,
      plan,
    });
    return Promise.resolve(functionOutput(call, "Plan updated"));
  },
};
