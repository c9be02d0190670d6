// Network approvals: the managed proxy's `decide`, for targets neither
// list decides. Every connection reaches here with the command that opened it (the proxy attributes
// it by channel); the turn engine registers each command that runs with managed networking, so a
// prompt names the right thread, turn and command, and a decline ends that command.
//
// Order for one target of one command:
//   unregistered owner → deny; settings refused → deny;
//   session cache (the command's thread): approved → allow, denied → deny;
//   policy cannot ask (never; granular without sandbox_approval) → deny, reported as
//     "Network access to "<host>" was blocked by policy." (codex's words);
//   no managed network requirements (0.169 asks only with them) → deny, reported;
//   else one `item/commandExecution/requestApproval` per (thread, host, protocol, port): concurrent
//   requests for the key wait on that prompt and share its answer.
// Answers: accept → the waiters through, nothing cached; acceptForSession → cached for the thread;
// applyNetworkPolicyAmendment → persisted (as 0.169, a network_rule in rules/default.rules) and
// applied to the proxy at once, then its action decides; decline → deny and end the owning command
// ("rejected by user"); cancel → deny and interrupt the owning turn. A failed, timed-out, aborted or
// disconnected prompt denies (the broker's lifecycle: serverRequest/resolved; on a disconnect the
// prompt goes to another subscriber, or waits for the next one within the disconnect grace).
//
// Invariants: every decide call settles (the prompt is bounded by its timeout, and a waiter whose
// connection is gone is answered at once); nothing here allows a target the prompt did not allow.
import type { DaemonMetrics } from "../metrics/daemonMetrics.js";
import { randomUUID } from "node:crypto";
import type { CommandExecutionRequestApprovalParams, NetworkApprovalProtocol } from "../../../protocol/v2/index.js";
import type { Logger } from "../../log.js";
import type { ApprovalDecision, DecideFn, ProxyEvent, ProxyTarget } from "../../sandbox/networkProxy/index.js";
import type { ApprovalPolicy, ServerRequestThread } from "../ports.js";
import { ServerRequestBroker, type BrokerResult } from "../threads/serverRequestBroker.js";
import type { NetworkRuleProtocol } from "./execpolicy/parser.js";
import { normalizeApprovalPolicy } from "./approvalPlan.js";
import { keyString, sessionApprovalsFor, type ApprovalKey } from "./sessionApprovals.js";

/** The session cache's (and the proxy's) protocol names. */
export type NetworkProtocol = Extract<ApprovalKey, { kind: "network" }>["protocol"];

/** The one mapping of protocol names: cache `socks5-tcp` ↔ wire `socks5Tcp` ↔ rules file `socks5_tcp`. */
export function protocolNames(protocol: NetworkProtocol): { readonly wire: NetworkApprovalProtocol; readonly rules: NetworkRuleProtocol } {
  switch (protocol) {
    case "http":
      return { wire: "http", rules: "http" };
    case "https":
      return { wire: "https", rules: "https" };
    case "socks5-tcp":
      return { wire: "socks5Tcp", rules: "socks5_tcp" };
    case "socks5-udp":
      return { wire: "socks5Udp", rules: "socks5_udp" };
  }
}

/** What the turn engine tells about one command that runs with managed networking. */
export interface NetworkOwner {
  readonly thread: ServerRequestThread;
  readonly threadId: string;
  readonly turnId: string;
  /** The command's item. */
  readonly itemId: string;
  readonly approvalPolicy: ApprovalPolicy;
  /** The turn's signal: an interrupted turn withdraws the command's prompts. */
  readonly signal: AbortSignal;
  /** The user declined a prompt of this command: end it as "rejected by user". */
  onDecline(): void;
  /** The user cancelled a prompt of this command: interrupt the turn. */
  onCancel(): void;
  /** Called with each blocked-target line as a target of this command is blocked (e.g. an output delta). */
  onDeniedLine?(line: string): void;
}

export interface NetworkOwnerRegistration {
  /** The proxy owner id: what `attach(socket, kind, owner)` / `openEndpoint(owner)` are given. */
  readonly owner: string;
  /** The blocked-target lines for this command's targets, in order, each once. */
  deniedLines(): readonly string[];
  /** The command ended: its later connections are unattributed (denied). */
  unregister(): void;
}

export interface NetworkPromptSettings {
  /** Whether a target no list decides may be asked about (0.169: only with managed requirements). */
  readonly prompts: boolean;
  readonly approvalTimeoutMs: number;
  /** Set when the settings could not be read: everything is denied. */
  readonly refused: string | null;
}

export interface NetworkApprovalsOptions {
  readonly log: Logger;
  /** Read per decision, so a config reload applies to the next one. Null: managed networking off. */
  readonly settings: () => NetworkPromptSettings | null;
  /** Persists a host rule and applies it to the proxy before resolving. */
  readonly amend: (host: string, protocol: NetworkProtocol, action: "allow" | "deny") => Promise<void>;
  /** Counts the prompts (pending, and how each settled). */
  readonly metrics?: DaemonMetrics;
}

interface Registered {
  readonly id: string;
  readonly owner: NetworkOwner;
  readonly lines: string[];
  /** Keys whose denial this registry already reported (or that the user declined): the proxy's own line is not added. */
  readonly reported: Set<string>;
}

interface Prompt {
  readonly result: Promise<ApprovalDecision>;
  readonly controller: AbortController;
  waiters: number;
}

const NOT_ALLOWLISTED = "domain is not on the allowlist for the current sandbox mode";
export const UNREGISTERED_OWNER = "the connection belongs to no running command";
const DENIED_FOR_SESSION = `${NOT_ALLOWLISTED} (denied earlier in this session)`;
const NO_REQUIREMENTS = `${NOT_ALLOWLISTED} (approvals need managed network requirements: requirements.toml [experimental_network])`;

/** The line for a target that policy `never` (or a granular policy that cannot ask) blocks. */
export function blockedByPolicyLine(host: string): string {
  return `Network access to ${JSON.stringify(host)} was blocked by policy.`;
}

/**
 * A command's output with its blocked targets' lines appended (for the item's aggregatedOutput and
 * the model's tool output), each on its own line, as sandbox denials are appended in commandRunner.
 */
export function appendNetworkDenials(output: string, lines: readonly string[]): string {
  let out = output;
  for (const line of lines) out += `${out.endsWith("\n") || out === "" ? "" : "\n"}${line}\n`;
  return out;
}

export class NetworkApprovals {
  readonly #owners = new Map<string, Registered>();
  readonly #prompts = new Map<string, Prompt>();
  readonly #broker: ServerRequestBroker;

  constructor(private readonly options: NetworkApprovalsOptions) {
    this.#broker = new ServerRequestBroker({
      log: options.log,
      timeoutMs: () => options.settings()?.approvalTimeoutMs ?? null,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
  }

  register(owner: NetworkOwner): NetworkOwnerRegistration {
    const id = `cmd-${randomUUID()}`;
    const entry: Registered = { id, owner, lines: [], reported: new Set() };
    this.#owners.set(id, entry);
    return {
      owner: id,
      deniedLines: () => [...entry.lines],
      unregister: () => {
        if (this.#owners.get(id) === entry) this.#owners.delete(id);
      },
    };
  }

  /** Connections now waiting on a prompt (for tests and diagnostics). */
  pendingWaiters(): number {
    let n = 0;
    for (const p of this.#prompts.values()) n += p.waiters;
    return n;
  }

  /** The proxy's `decide`. */
  readonly decide: DecideFn = (target, { signal }) => this.#decide(target, signal);

  /** The proxy's `onEvent` (or a part of it): a denied target becomes a line of its command's output. */
  onProxyEvent(event: ProxyEvent): void {
    if (event.type !== "denied" || event.target.owner === null) return;
    const entry = this.#owners.get(event.target.owner);
    if (!entry) return;
    if (event.reason === "not-approved" && entry.reported.has(keyString(keyOf(event.target)))) return;
    this.#report(entry, event.line);
  }

  #report(entry: Registered, line: string): void {
    if (entry.lines.includes(line)) return;
    entry.lines.push(line);
    try {
      entry.owner.onDeniedLine?.(line);
    } catch (error) {
      this.options.log.warn({ err: error }, "network denial listener failed");
    }
  }

  async #decide(target: ProxyTarget, signal: AbortSignal): Promise<ApprovalDecision> {
    const entry = target.owner === null ? undefined : this.#owners.get(target.owner);
    if (!entry) return { deny: UNREGISTERED_OWNER };
    const settings = this.options.settings();
    if (settings === null) return { deny: "network proxy is disabled" };
    if (settings.refused !== null) return { deny: `managed network settings refused: ${settings.refused}` };
    const key = keyOf(target);
    const cache = sessionApprovalsFor(entry.owner.thread);
    if (cache.has(key)) return "allow";
    if (cache.isDenied(key)) return { deny: DENIED_FOR_SESSION };
    if (!normalizeApprovalPolicy(entry.owner.approvalPolicy).askSandbox) {
      entry.reported.add(keyString(key));
      this.#report(entry, blockedByPolicyLine(target.host));
      return "deny";
    }
    if (!settings.prompts) return { deny: NO_REQUIREMENTS };

    const promptKey = `${entry.owner.threadId}\u0000${keyString(key)}`;
    let prompt = this.#prompts.get(promptKey);
    if (!prompt) {
      const controller = new AbortController();
      const created: Prompt = { controller, waiters: 0, result: Promise.resolve("deny") };
      const run = this.#ask(entry, target, key, controller).finally(() => {
        if (this.#prompts.get(promptKey) === created) this.#prompts.delete(promptKey);
      });
      prompt = Object.assign(created, { result: run });
      this.#prompts.set(promptKey, prompt);
    }
    return this.#wait(prompt, signal);
  }

  /** One waiter on a shared prompt: answered at once when its own connection goes. */
  #wait(prompt: Prompt, signal: AbortSignal): Promise<ApprovalDecision> {
    prompt.waiters += 1;
    return new Promise<ApprovalDecision>((resolve) => {
      let done = false;
      const leave = (decision: ApprovalDecision): void => {
        if (done) return;
        done = true;
        signal.removeEventListener("abort", onAbort);
        prompt.waiters -= 1;
        // Nobody waits any more: withdraw the prompt (the broker answers it "aborted").
        if (prompt.waiters === 0) prompt.controller.abort();
        resolve(decision);
      };
      const onAbort = (): void => leave("deny");
      if (signal.aborted) return leave("deny");
      signal.addEventListener("abort", onAbort);
      prompt.result.then(leave, () => leave("deny"));
    });
  }

  async #ask(entry: Registered, target: ProxyTarget, key: Extract<ApprovalKey, { kind: "network" }>, controller: AbortController): Promise<ApprovalDecision> {
    const { owner } = entry;
    const onTurnAbort = (): void => controller.abort();
    if (owner.signal.aborted) controller.abort();
    owner.signal.addEventListener("abort", onTurnAbort);
    const wire = protocolNames(key.protocol).wire;
    const host = target.host;
    // Field order as 0.169 sends it.
    const params: CommandExecutionRequestApprovalParams = {
      kind: "command",
      threadId: owner.threadId,
      turnId: owner.turnId,
      itemId: `network#local#${wire}#${host}#${target.port}#${randomUUID()}`,
      startedAtMs: Date.now(),
      environmentId: "local",
      reason: `Network access to ${host} requires approval`,
      networkApprovalContext: { host, protocol: wire },
      proposedNetworkPolicyAmendments: [
        { host, action: "allow" },
        { host, action: "deny" },
      ],
      availableDecisions: ["accept", "acceptForSession", { applyNetworkPolicyAmendment: { network_policy_amendment: { host, action: "allow" } } }, "cancel"],
    };
    const log = this.options.log.child({
      threadId: owner.threadId,
      turnId: owner.turnId,
      itemId: owner.itemId,
      host,
      protocol: key.protocol,
      port: target.port,
    });
    let answer: BrokerResult;
    try {
      answer = await this.#broker.ask(owner.thread, "item/commandExecution/requestApproval", params, controller.signal);
    } finally {
      owner.signal.removeEventListener("abort", onTurnAbort);
    }
    const warn = (message: string): void => owner.thread.emit("warning", { threadId: owner.threadId, message });
    switch (answer.kind) {
      case "aborted":
        log.info("network approval withdrawn");
        return "deny";
      case "failed":
        warn(`network approval request failed: ${answer.message}; denied`);
        return "deny";
      case "disconnected":
        warn("network approval request failed: no client left to answer it; denied");
        return "deny";
      case "timedOut":
        warn(`network approval request timed out after ${answer.timeoutMs} ms; denied`);
        return { deny: `${NOT_ALLOWLISTED} (no approval decision arrived within ${answer.timeoutMs} ms)` };
      case "answered":
        break;
    }
    const decision = readDecision(answer.result);
    log.info({ decision }, "network approval resolved");
    const cache = sessionApprovalsFor(owner.thread);
    if (decision === null) {
      warn(`network approval request failed: the client's answer has no valid decision (${JSON.stringify(answer.result)?.slice(0, 200)}); denied`);
      return "deny";
    }
    if (decision === "accept") return "allow";
    if (decision === "acceptForSession") {
      cache.approve(key);
      return "allow";
    }
    if (decision === "decline" || decision === "cancel") {
      // 0.169 ends the command with "rejected by user" rather than the proxy's line.
      entry.reported.add(keyString(key));
      try {
        if (decision === "decline") owner.onDecline();
        else owner.onCancel();
      } catch (error) {
        log.warn({ err: error }, "network approval: ending the command failed");
      }
      return "deny";
    }
    const amendedHost = decision.host.trim().toLowerCase().replace(/\.+$/, "");
    try {
      await this.options.amend(amendedHost, key.protocol, decision.action);
      log.info({ amendedHost, action: decision.action }, "network policy amendment saved");
    } catch (error) {
      const message = `network policy amendment not saved: ${error instanceof Error ? error.message : String(error)}`;
      log.warn({ err: error }, message);
      warn(message);
    }
    if (amendedHost !== host) return "deny";
    if (decision.action === "deny") {
      cache.deny(key);
      return { deny: "domain is explicitly denied by policy" };
    }
    return "allow";
  }
}

function keyOf(target: ProxyTarget): Extract<ApprovalKey, { kind: "network" }> {
  return { kind: "network", host: target.host.toLowerCase(), protocol: target.protocol, port: target.port };
}

type NetworkDecision = "accept" | "acceptForSession" | "decline" | "cancel" | { readonly host: string; readonly action: "allow" | "deny" };

function readDecision(result: unknown): NetworkDecision | null {
  const v = typeof result === "object" && result !== null ? (result as { decision?: unknown }).decision : undefined;
  if (v === "accept" || v === "acceptForSession" || v === "decline" || v === "cancel") return v;
  if (typeof v !== "object" || v === null) return null;
  const n = (v as { applyNetworkPolicyAmendment?: { network_policy_amendment?: { host?: unknown; action?: unknown } } }).applyNetworkPolicyAmendment
    ?.network_policy_amendment;
  if (n && typeof n.host === "string" && n.host.trim() !== "" && (n.action === "allow" || n.action === "deny")) return { host: n.host, action: n.action };
  return null;
}
