// What the daemon reports about itself, as events. Each layer calls the one method that names what
// happened; how the events become numbers (Prometheus, server/core/metrics/prometheusMetrics.ts) is
// decided once, at the composition root. Stdio daemons get NO_METRICS: nothing scrapes them, so the
// metrics library is never loaded there (cold start, bench/ `--only startup`).
//
// Labels are closed sets (the unions below, or "other"), so a client cannot grow a series per value
// it sends: a method name the table does not know is counted as "unknown" by the caller.

export type RequestOutcome = "ok" | "error" | "cancelled";
export type TurnOutcome = "completed" | "interrupted" | "failed";
export type SandboxLaunchOutcome = "launched" | "refused";
export type ProxyConnectionOutcome = "allowed" | "denied" | "upstream-failed";
export type McpServerMetricState = "starting" | "ready" | "failed" | "cancelled";
/**
 * How a server request (an approval, an elicitation, a question to the user) ended: the client's
 * decision when it gave one, else what happened to the request.
 */
export type ServerRequestOutcome = "accept" | "acceptForSession" | "decline" | "cancel" | "other-answer" | "failed" | "aborted" | "disconnected" | "timedOut";

export interface DaemonMetrics {
  connectionOpened(transport: string): void;
  connectionClosed(transport: string): void;
  requestFinished(method: string, outcome: RequestOutcome, seconds: number): void;
  turnStarted(): void;
  turnFinished(outcome: TurnOutcome): void;
  serverRequestAsked(method: string): void;
  serverRequestSettled(method: string, outcome: ServerRequestOutcome): void;
  sandboxLaunch(sandbox: string, outcome: SandboxLaunchOutcome): void;
  proxyConnection(outcome: ProxyConnectionOutcome): void;
  /** A server of a thread entered `to` (from `from`, null when it is new); `to` null: it was removed. */
  mcpServerState(from: McpServerMetricState | null, to: McpServerMetricState | null): void;
}

export const NO_METRICS: DaemonMetrics = {
  connectionOpened: () => undefined,
  connectionClosed: () => undefined,
  requestFinished: () => undefined,
  turnStarted: () => undefined,
  turnFinished: () => undefined,
  serverRequestAsked: () => undefined,
  serverRequestSettled: () => undefined,
  sandboxLaunch: () => undefined,
  proxyConnection: () => undefined,
  mcpServerState: () => undefined,
};

const DECISIONS: Record<string, ServerRequestOutcome> = {
  // v2 approvals
  accept: "accept",
  acceptForSession: "acceptForSession",
  decline: "decline",
  cancel: "cancel",
  // v1 (0.80) approvals
  approved: "accept",
  approved_for_session: "acceptForSession",
  denied: "decline",
  abort: "cancel",
};

/** The outcome label of an answered server request: its `decision` (approvals) or `action` (elicitations). */
export function answeredOutcome(result: unknown): ServerRequestOutcome {
  if (typeof result !== "object" || result === null) return "other-answer";
  const { decision, action } = result as { decision?: unknown; action?: unknown };
  if (typeof decision === "object" && decision !== null) {
    // The amendment decisions: an execpolicy amendment accepts; a network amendment allows or denies.
    const d = decision as { acceptWithExecpolicyAmendment?: unknown; applyNetworkPolicyAmendment?: { network_policy_amendment?: { action?: unknown } } };
    if (d.acceptWithExecpolicyAmendment !== undefined) return "accept";
    const networkAction = d.applyNetworkPolicyAmendment?.network_policy_amendment?.action;
    return networkAction === "allow" ? "accept" : networkAction === "deny" ? "decline" : "other-answer";
  }
  const word = typeof decision === "string" ? decision : typeof action === "string" ? action : null;
  return word === null ? "other-answer" : (DECISIONS[word] ?? "other-answer");
}
