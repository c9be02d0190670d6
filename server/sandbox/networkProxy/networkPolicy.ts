// The proxy's decision for one connection or request, in this order:
//   attributed? → deny list → network mode → resolve once and refuse local/private addresses →
//   allow list → ask → deny on error or timeout.
// Why this order:
//  - An unattributed connection is refused before anything else: nobody could be asked about it and
//    nothing could report it, so it must not cost a DNS query or reach an allow-listed host either.
//  - A deny can never be approved away, so it comes before every path to "allow".
//  - The mode check needs no DNS, and a request the mode refuses should not leak a lookup.
//  - Local/private addresses are refused before the allow list, because an allow-listed *name* that
//    resolves to a private address is the DNS-rebinding attack; only an exact allow-list entry for an
//    address literal (or `localhost`) opens a local target.
//  - The addresses checked here are the ones the caller dials (the verdict carries them), so a
//    second lookup can never swap in an address that was not checked. The reference leaves this open.
import { isIP } from "node:net";
import { compileDomainPatterns, isNonPublicAddress, matchesAny, matchesExactly, type DomainPattern } from "./hosts.js";

/** The approval cache's protocol names (codex's); the wire spells them `socks5Tcp` etc. */
export type ProxyProtocol = "http" | "https" | "socks5-tcp";

/** What a connection asks for and who asked: the unit of every decision, event and prompt. */
export interface ProxyTarget {
  /** Normalised (hosts.ts normalizeHost). */
  readonly host: string;
  readonly protocol: ProxyProtocol;
  /** The port as dialled. */
  readonly port: number;
  /** The command the connection is attributed to; null when it came in unattributed. */
  readonly owner: string | null;
}

export type ApprovalDecision = "allow" | "deny" | { readonly deny: string };

/**
 * Asked when a target passes the deny list and the local-address check but is not allow-listed.
 * The signal aborts when the answer is no longer wanted (timeout, client gone, proxy closed).
 */
export type DecideFn = (target: ProxyTarget, context: { readonly signal: AbortSignal }) => Promise<ApprovalDecision>;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a name resolves to; the proxy checks them all and dials only these. */
export type Resolver = (host: string) => Promise<readonly ResolvedAddress[]>;

export type NetworkMode = "limited" | "full";

export interface NetworkPolicy {
  /** "limited": GET, HEAD and OPTIONS on plain HTTP only. "full": everything. */
  readonly mode: NetworkMode;
  readonly allowedDomains: readonly string[];
  readonly deniedDomains: readonly string[];
  /** Let targets on loopback, private, link-local… addresses through the address check. */
  readonly allowLocalBinding: boolean;
}

export type DenyReason =
  "unattributed" | "denylist" | "method" | "mitm-required" | "local-address" | "not-approved" | "no-approver" | "approval-timeout" | "approval-error";

export type AllowReason = "allowlist" | "approved";

export type Verdict =
  | { readonly kind: "allow"; readonly reason: AllowReason; readonly addresses: readonly ResolvedAddress[] }
  | { readonly kind: "deny"; readonly reason: DenyReason; readonly message: string }
  /** The name did not resolve: not a policy decision, reported as an unreachable upstream. */
  | { readonly kind: "unresolved"; readonly message: string };

/** The methods "limited" mode lets through: they are meant not to change anything upstream. */
export const LIMITED_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

// codex's words for the tool output, completed by the proxy's own cases.
const NOT_ALLOWLISTED = "domain is not on the allowlist for the current sandbox mode";
const METHOD_BLOCKED = "request method is blocked by the current network mode";
export const DENY_MESSAGES: Readonly<Record<Exclude<DenyReason, "not-approved">, string>> = {
  unattributed: "the connection could not be attributed to a sandboxed command",
  denylist: "domain is explicitly denied by policy",
  method: METHOD_BLOCKED,
  "mitm-required": `${METHOD_BLOCKED} (methods inside TLS cannot be seen, so tunnels are refused in limited mode)`,
  "local-address": "local/private network addresses are blocked by the sandbox policy",
  "no-approver": NOT_ALLOWLISTED,
  "approval-timeout": `${NOT_ALLOWLISTED} (no approval decision arrived in time)`,
  "approval-error": `${NOT_ALLOWLISTED} (the approval request failed)`,
};

/** The `x-proxy-error` code for a denial (codex's vocabulary). */
export function proxyErrorCode(reason: DenyReason): string {
  switch (reason) {
    case "denylist":
      return "blocked-by-denylist";
    case "method":
      return "blocked-by-method-policy";
    case "mitm-required":
      return "blocked-by-mitm-required";
    case "not-approved":
    case "no-approver":
    case "approval-timeout":
    case "approval-error":
      return "blocked-by-allowlist";
    case "unattributed":
    case "local-address":
      return "blocked-by-policy";
  }
}

/** The one line a command's item and the model's output carry for a blocked target. */
export function blockedLine(host: string, message: string): string {
  return `Network access to ${JSON.stringify(host)} was blocked: ${message}.`;
}

export interface CompiledPolicy {
  readonly mode: NetworkMode;
  readonly allow: readonly DomainPattern[];
  readonly deny: readonly DomainPattern[];
  readonly allowLocalBinding: boolean;
}

/** Throws DomainPatternError on an invalid entry: a list that cannot be read must not be half-applied. */
export function compilePolicy(policy: NetworkPolicy): CompiledPolicy {
  return {
    mode: policy.mode,
    allow: compileDomainPatterns(policy.allowedDomains, "allow"),
    deny: compileDomainPatterns(policy.deniedDomains, "deny"),
    allowLocalBinding: policy.allowLocalBinding,
  };
}

export interface EvaluateDeps {
  readonly resolve: Resolver;
  readonly decide: DecideFn | undefined;
  readonly decisionTimeoutMs: number;
  /** Aborts when the connection is gone or the proxy closes: the pending ask is abandoned. */
  readonly signal: AbortSignal;
}

/**
 * Decides one target. `method` is the HTTP method for `http` requests (null otherwise).
 * Never throws: every failure is a denial or an unresolved verdict.
 */
export async function evaluate(policy: CompiledPolicy, target: ProxyTarget, method: string | null, deps: EvaluateDeps): Promise<Verdict> {
  const deny = (reason: Exclude<DenyReason, "not-approved">): Verdict => ({ kind: "deny", reason, message: DENY_MESSAGES[reason] });
  if (target.owner === null) return deny("unattributed");
  if (matchesAny(policy.deny, target.host)) return deny("denylist");
  if (policy.mode === "limited") {
    if (target.protocol === "https") return deny("mitm-required");
    if (target.protocol !== "http" || method === null || !LIMITED_METHODS.has(method)) return deny("method");
  }

  let addresses: readonly ResolvedAddress[];
  const family = isIP(target.host);
  if (family === 4 || family === 6) {
    addresses = [{ address: target.host, family }];
  } else {
    try {
      addresses = await deps.resolve(target.host);
    } catch (error) {
      return { kind: "unresolved", message: `could not resolve ${target.host}: ${(error as Error).message}` };
    }
    if (addresses.length === 0) return { kind: "unresolved", message: `${target.host} has no addresses` };
  }
  if (!policy.allowLocalBinding && addresses.some((a) => isNonPublicAddress(a.address))) {
    const literalOpened = (family !== 0 || target.host === "localhost") && matchesExactly(policy.allow, target.host);
    if (!literalOpened) return deny("local-address");
  }

  if (matchesAny(policy.allow, target.host)) return { kind: "allow", reason: "allowlist", addresses };
  if (deps.decide === undefined) return deny("no-approver");
  const answer = await askWithDeadline(deps.decide, target, deps.decisionTimeoutMs, deps.signal);
  switch (answer.kind) {
    case "timeout":
      return deny("approval-timeout");
    case "error":
      return deny("approval-error");
    case "answer":
      if (answer.decision === "allow") return { kind: "allow", reason: "approved", addresses };
      if (answer.decision === "deny") return { kind: "deny", reason: "not-approved", message: NOT_ALLOWLISTED };
      return { kind: "deny", reason: "not-approved", message: answer.decision.deny || NOT_ALLOWLISTED };
  }
}

type AskOutcome = { kind: "answer"; decision: ApprovalDecision } | { kind: "timeout" } | { kind: "error" };

/** Calls decide once; whatever happens first (answer, rejection, deadline, abort) settles it. */
function askWithDeadline(decide: DecideFn, target: ProxyTarget, timeoutMs: number, outer: AbortSignal): Promise<AskOutcome> {
  const controller = new AbortController();
  return new Promise<AskOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: AskOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer.removeEventListener("abort", onAbort);
      controller.abort();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: "error" });
    const timer = setTimeout(() => finish({ kind: "timeout" }), timeoutMs);
    if (outer.aborted) return finish({ kind: "error" });
    outer.addEventListener("abort", onAbort);
    let pending: Promise<ApprovalDecision>;
    try {
      pending = decide(target, { signal: controller.signal });
    } catch {
      return finish({ kind: "error" });
    }
    Promise.resolve(pending).then(
      (decision) => finish(isDecision(decision) ? { kind: "answer", decision } : { kind: "error" }),
      () => finish({ kind: "error" }),
    );
  });
}

function isDecision(value: unknown): value is ApprovalDecision {
  if (value === "allow" || value === "deny") return true;
  return typeof value === "object" && value !== null && typeof (value as { deny?: unknown }).deny === "string";
}
