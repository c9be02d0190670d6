// The daemon's one managed network proxy and its approvals. Built by server/app.ts;
// the proxy itself is created and started by the first command that needs it, never at start-up.
//
// Policy = config's managed network settings (core/config/managedNetwork.ts) + the hosts of the
// `network_rule`s in <home>/rules/*.rules (where 0.169, and so Gatehouse, persists a network policy
// amendment). It is recomputed on every config reload and after every amendment, and applied with
// `setPolicy` at once. Rules files that do not parse, or lists the proxy refuses, fail closed: every
// target is denied until they are fixed.
//
// Per command (`forCommand`): managed networking applies to a sandboxed command whose policy enables
// network (it turns "enabled" into proxy-only; "restricted" stays isolated, and an
// unwrapped command — danger-full-access, external sandbox, an approved escalation — gets no proxy).
import type { DaemonMetrics } from "../metrics/daemonMetrics.js";
import type { Logger } from "../../log.js";
import { NetworkProxy, type NetworkPolicy, type ProxyEvent, type Resolver } from "../../sandbox/networkProxy/index.js";
import { isSplitPolicy, toSplitPolicy, type SplitSandboxPolicy } from "../../sandbox/splitSandboxPolicy.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { EffectiveConfig } from "../config/effective.js";
import type { ManagedNetworkSettings } from "../config/managedNetwork.js";
import { appendNetworkRule, loadNetworkRules } from "./execpolicy/execPolicy.js";
import { NetworkApprovals, protocolNames, type NetworkOwner, type NetworkProtocol } from "./networkApprovals.js";

/** The proxy's own ask deadline is only a backstop: NetworkApprovals applies the configured timeout per prompt. */
const DECISION_BACKSTOP_MS = 2 ** 31 - 1;

export interface ManagedNetworkConfigSource {
  readonly effective: EffectiveConfig;
  onReload(listener: (config: EffectiveConfig) => void): () => void;
}

export interface ManagedNetworkServiceOptions {
  readonly home: string;
  readonly log: Logger;
  readonly config: ManagedNetworkConfigSource;
  /** Test seam: host-name lookups (default: the system resolver). */
  readonly resolver?: Resolver;
  readonly metrics?: DaemonMetrics;
}

/** What a command gets when managed networking applies to it. */
export interface ManagedNetworkLease {
  /** For the launcher: `LaunchOptions.managedNetwork = { proxy, owner, allowLocalBinding }`. */
  readonly proxy: NetworkProxy;
  readonly owner: string;
  readonly allowLocalBinding: boolean;
  /** Lines for this command's blocked targets (append to its item output and tool output). */
  deniedLines(): readonly string[];
  /** The command ended: unregisters it and ends its proxied connections. */
  release(): Promise<void>;
}

interface RuleLists {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly error: string | null;
}

export class ManagedNetworkService {
  readonly approvals: NetworkApprovals;
  #proxy: Promise<NetworkProxy> | null = null;
  #rules: RuleLists | null = null;
  /** Set when the proxy refused the computed lists (a bad pattern): everything is denied. */
  #policyError: string | null = null;
  readonly #unsubscribe: () => void;

  constructor(private readonly options: ManagedNetworkServiceOptions) {
    this.approvals = new NetworkApprovals({
      log: options.log.child({ component: "network" }),
      settings: () => this.settings(),
      amend: (host, protocol, action) => this.#amend(host, protocol, action),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
    this.#unsubscribe = options.config.onReload(() => {
      void this.refresh();
    });
  }

  /** The settings in force (null: managed networking off); a rules or policy error makes them refused. */
  settings(): ManagedNetworkSettings | null {
    const s = this.options.config.effective.managedNetwork;
    if (s === null) return null;
    const error = s.refused ?? this.#rules?.error ?? this.#policyError;
    return error === null || error === s.refused ? s : { ...s, refused: error, prompts: false };
  }

  /** Managed networking for one command, or null when it does not apply (then the launch is as before). */
  async forCommand(owner: NetworkOwner, policy: SandboxPolicy | SplitSandboxPolicy, sandboxed: boolean): Promise<ManagedNetworkLease | null> {
    if (!sandboxed || this.options.config.effective.managedNetwork === null) return null;
    const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
    if (split.fileSystem.kind !== "restricted" || split.network !== "enabled") return null;
    const proxy = await this.proxy();
    const settings = this.settings();
    const registration = this.approvals.register(owner);
    return {
      proxy,
      owner: registration.owner,
      allowLocalBinding: settings?.allowLocalBinding ?? false,
      deniedLines: () => registration.deniedLines(),
      release: async () => {
        registration.unregister();
        await proxy.releaseOwner(registration.owner);
      },
    };
  }

  /** The proxy, created and started on first use. */
  proxy(): Promise<NetworkProxy> {
    this.#proxy ??= (async () => {
      await this.#loadRules();
      const proxy = new NetworkProxy({
        policy: this.#denyAll(),
        decide: this.approvals.decide,
        decisionTimeoutMs: DECISION_BACKSTOP_MS,
        onEvent: (event) => this.#onEvent(event),
        ...(this.options.resolver ? { resolver: this.options.resolver } : {}),
      });
      this.#apply(proxy);
      await proxy.ensureStarted();
      this.options.log.info("managed network proxy started");
      return proxy;
    })().catch((error: unknown) => {
      this.#proxy = null;
      throw error;
    });
    return this.#proxy;
  }

  /** Re-reads the rules files and applies config + rules to the proxy (if it runs). */
  async refresh(): Promise<void> {
    await this.#loadRules();
    const proxy = this.#proxy ? await this.#proxy.catch(() => null) : null;
    if (proxy) this.#apply(proxy);
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    const proxy = this.#proxy ? await this.#proxy.catch(() => null) : null;
    await proxy?.close();
  }

  /** The policy handed to the proxy: config's lists plus the rules files' hosts. */
  policy(): NetworkPolicy {
    const s = this.settings();
    if (s === null || s.refused !== null) return this.#denyAll(s?.mode);
    const rules = this.#rules ?? { allow: [], deny: [], error: null };
    const unique = (xs: readonly string[]): string[] => [...new Set(xs)];
    return {
      mode: s.mode,
      allowedDomains: unique([...s.allowedDomains, ...rules.allow]),
      deniedDomains: unique([...s.deniedDomains, ...rules.deny]),
      allowLocalBinding: s.allowLocalBinding,
    };
  }

  #denyAll(mode: NetworkPolicy["mode"] = "full"): NetworkPolicy {
    return { mode, allowedDomains: [], deniedDomains: [], allowLocalBinding: false };
  }

  #apply(proxy: NetworkProxy): void {
    this.#policyError = null;
    try {
      proxy.setPolicy(this.policy());
    } catch (error) {
      this.#policyError = `the network lists were refused: ${error instanceof Error ? error.message : String(error)}`;
      this.options.log.warn({ err: error }, this.#policyError);
      proxy.setPolicy(this.#denyAll());
    }
  }

  async #loadRules(): Promise<void> {
    try {
      const rules = await loadNetworkRules(this.options.home);
      this.#rules = {
        allow: rules.filter((r) => r.decision === "allow").map((r) => r.host),
        deny: rules.filter((r) => r.decision === "deny").map((r) => r.host),
        error: null,
      };
    } catch (error) {
      const message = `network rules not loaded: ${error instanceof Error ? error.message : String(error)}`;
      this.options.log.warn({ err: error }, message);
      this.#rules = { allow: [], deny: [], error: message };
    }
  }

  async #amend(host: string, protocol: NetworkProtocol, action: "allow" | "deny"): Promise<void> {
    await appendNetworkRule(this.options.home, host, protocolNames(protocol).rules, action);
    await this.refresh();
  }

  #onEvent(event: ProxyEvent): void {
    this.approvals.onProxyEvent(event);
    this.options.metrics?.proxyConnection(event.type);
    if (event.type === "denied")
      this.options.log.info(
        { host: event.target.host, port: event.target.port, protocol: event.target.protocol, reason: event.reason },
        "network target denied",
      );
  }
}
