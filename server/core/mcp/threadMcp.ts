// All MCP servers of one thread: one McpConnection per `[mcp_servers.<name>]` table, started together,
// stopped with the thread. This is what the thread (turn tools, approvals, the mcpServer* methods)
// talks to; it never touches rpc or the wire, and its shapes are chosen so that the handlers' mapping
// is field for field (McpServerSnapshot → v2 McpServerStatus, McpServerStatusUpdate →
// mcpServer/startupStatus/updated).
//
// Servers fail alone: a server that does not start, crashes or misbehaves is reported through its
// status and through the McpServerError of the request that met it, and every other server goes on
// serving. A failed server is started again by the next request for it.
import type { DaemonMetrics } from "../metrics/daemonMetrics.js";
import type {
  Implementation,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
  Tool,
  CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../../log.js";
import type { JsonObject } from "../config/json.js";
import { InvalidInputError } from "../errors.js";
import { readMcpServers, sameServerConfig, type McpServerEntry } from "./mcpConfig.js";
import {
  McpConnection,
  type McpCallOptions,
  type McpConnectionState,
  type McpConnectionStatus,
  type McpElicitationRequest,
  type McpElicitationResult,
} from "./mcpConnection.js";
import { McpServerError } from "./mcpErrors.js";
import type { McpStdioEnvironment } from "./stdioLaunch.js";

export interface ThreadMcpOptions {
  readonly log: Logger;
  /** How stdio servers are launched: launcher, the thread's policy (read at each start), cwd, environment. */
  readonly stdio: McpStdioEnvironment;
  /** Variables for `bearer_token_env_var` / `env_http_headers`; the daemon's environment by default. */
  readonly httpEnv?: Readonly<Record<string, string | undefined>>;
  /** A server's `elicitation/create`; without it every elicitation is declined. */
  readonly elicit?: (request: McpElicitationRequest) => Promise<McpElicitationResult>;
  /** Every state change of every server. */
  readonly onStatus?: (update: McpServerStatusUpdate) => void;
  /** The set of tools changed (a server connected, listed anew, was added, removed or restarted by a reload). */
  readonly onToolsChanged?: () => void;
  readonly clientInfo?: Implementation;
  readonly metrics?: DaemonMetrics;
}

/** 0.169's McpServerStartupState; null for the states the notification has no word for. */
export type McpStartupStatus = "starting" | "ready" | "failed" | "cancelled";

export interface McpServerStatusUpdate {
  readonly name: string;
  readonly state: McpConnectionState;
  /** mcpServer/startupStatus/updated's `status`; null (notStarted, disabled): nothing to announce. */
  readonly startupStatus: McpStartupStatus | null;
  /** The notification's `error`: set for failed and cancelled. */
  readonly error: string | null;
}

export type McpAuthStatus = "unsupported" | "bearerToken";

/** One server as mcpServerStatus/list shows it. */
export interface McpServerSnapshot {
  readonly name: string;
  /** → runtimeStatus. */
  readonly state: McpConnectionState;
  /** Why it is failed or cancelled (the startup notification's text). */
  readonly error: string | null;
  /** 0.169's `toolsError`: set when discovery failed and no tool list exists (not even an earlier one). */
  readonly toolsError: string | null;
  readonly serverInfo: Implementation | null;
  readonly capabilities: ServerCapabilities | null;
  readonly instructions: string | null;
  /** By raw tool name, after enabled_tools / disabled_tools (the last list a failed server gave). */
  readonly tools: Readonly<Record<string, Tool>>;
  /** `_meta` of the tool list's first page (→ toolListMeta). */
  readonly toolListMeta: Readonly<Record<string, unknown>> | null;
  /** Filled by statuses({detail: "full"}); [] otherwise, and for servers without the resources capability. */
  readonly resources: readonly Resource[];
  readonly resourceTemplates: readonly ResourceTemplate[];
  /** Gatehouse has no MCP OAuth: a configured bearer token or Authorization header, else unsupported. */
  readonly authStatus: McpAuthStatus;
  /** `scheme://host[:port]` of a streamable HTTP server; null for stdio. */
  readonly httpOrigin: string | null;
  readonly transport: "stdio" | "streamableHttp" | null;
}

export interface McpResourceEntry extends Resource {
  readonly server: string;
}
export interface McpResourceTemplateEntry extends ResourceTemplate {
  readonly server: string;
}

function startupStatusOf(state: McpConnectionState): McpStartupStatus | null {
  switch (state) {
    case "starting":
      return "starting";
    case "connected":
      return "ready";
    case "failed":
      return "failed";
    case "cancelled":
      return "cancelled";
    case "notStarted":
    case "disabled":
      return null;
  }
}

function authStatusOf(entry: McpServerEntry): McpAuthStatus {
  if (!entry.ok || entry.config.transport.kind !== "streamableHttp") return "unsupported";
  const t = entry.config.transport;
  const headers = [...Object.keys(t.httpHeaders), ...Object.keys(t.envHttpHeaders)].map((h) => h.toLowerCase());
  return t.bearerTokenEnvVar !== null || headers.includes("authorization") ? "bearerToken" : "unsupported";
}

function httpOriginOf(entry: McpServerEntry): string | null {
  if (!entry.ok || entry.config.transport.kind !== "streamableHttp") return null;
  return new URL(entry.config.transport.url).origin;
}

export class ThreadMcpServers {
  private readonly connections = new Map<string, McpConnection>();
  private started = false;
  private closed = false;

  /** `servers`: EffectiveConfig.mcpServers, or entries already read with readMcpServers. */
  constructor(
    servers: Readonly<Record<string, JsonObject>> | readonly McpServerEntry[],
    private readonly options: ThreadMcpOptions,
  ) {
    for (const entry of Array.isArray(servers) ? servers : readMcpServers(servers as Readonly<Record<string, JsonObject>>)) this.add(entry);
  }

  /** Server names, in name order. */
  get names(): string[] {
    return [...this.connections.keys()].sort();
  }

  /**
   * Starts every enabled server at once; resolves when each has connected or failed (never rejects).
   * A server whose table is unusable is announced failed here, once. Calling it again starts only
   * servers that have not started yet.
   */
  async start(): Promise<void> {
    if (this.closed) return;
    const announce = !this.started;
    this.started = true;
    await Promise.all(
      [...this.connections.values()].map((c) => {
        if (announce && !c.entry.ok && c.entry.enabled) this.emit(c.name, c.status);
        return c.status.state === "notStarted" ? c.start() : Promise.resolve();
      }),
    );
  }

  /** Every server's current state and tools, without waiting and without resources. */
  servers(): McpServerSnapshot[] {
    return this.names.map((name) => this.snapshot(this.connections.get(name) as McpConnection, [], []));
  }

  /**
   * mcpServerStatus/list: starts what has not started, waits for start-ups in progress (as 0.169
   * does), then with `detail: "full"` (the default) lists every connected server's resources and
   * templates (all pages; a server whose listing fails shows none, as in 0.169).
   */
  async statuses(options: { detail?: "full" | "toolsAndAuthOnly"; serverName?: string | null; signal?: AbortSignal } = {}): Promise<McpServerSnapshot[]> {
    await this.start();
    const names = options.serverName == null ? this.names : this.names.filter((n) => n === options.serverName);
    return Promise.all(
      names.map(async (name) => {
        const c = this.connections.get(name) as McpConnection;
        if (options.detail === "toolsAndAuthOnly" || c.status.state !== "connected") return this.snapshot(c, [], []);
        const [resources, templates] = await Promise.all([
          c.listAllResources(options.signal).catch((e: unknown) => this.listingFailed<Resource>(name, "resources", e)),
          c.listAllResourceTemplates(options.signal).catch((e: unknown) => this.listingFailed<ResourceTemplate>(name, "resource templates", e)),
        ]);
        return this.snapshot(c, resources, templates);
      }),
    );
  }

  /** Calls a tool by its raw names; a failed or exited server is started again first. Throws McpServerError. */
  async callTool(server: string, tool: string, args: Record<string, unknown> | undefined, options: McpCallOptions = {}): Promise<CallToolResult> {
    return this.connection(server).callTool(tool, args, options);
  }

  /**
   * list_mcp_resources as 0.169 answers it: with a server, one page and its cursor passed through;
   * without, every page of every connected server (in name order; a server that failed is neither
   * restarted nor waited for, a listing that fails is skipped), and a cursor is refused.
   */
  async listResources(
    server?: string | null,
    cursor?: string | null,
    signal?: AbortSignal,
  ): Promise<{ resources: McpResourceEntry[]; nextCursor: string | null }> {
    if (server != null) {
      const page = await this.connection(server).listResources(cursor ?? undefined, signal);
      return { resources: page.resources.map((r) => ({ server, ...r })), nextCursor: page.nextCursor };
    }
    if (cursor != null) throw new InvalidInputError("cursor can only be used when a server is specified");
    const all = await this.everyServer((c) => c.listAllResources(signal), "resources");
    return { resources: all.flatMap(([name, list]) => list.map((r) => ({ server: name, ...r }))), nextCursor: null };
  }

  /** list_mcp_resource_templates, with listResources's rules. */
  async listResourceTemplates(
    server?: string | null,
    cursor?: string | null,
    signal?: AbortSignal,
  ): Promise<{ resourceTemplates: McpResourceTemplateEntry[]; nextCursor: string | null }> {
    if (server != null) {
      const page = await this.connection(server).listResourceTemplates(cursor ?? undefined, signal);
      return { resourceTemplates: page.resourceTemplates.map((t) => ({ server, ...t })), nextCursor: page.nextCursor };
    }
    if (cursor != null) throw new InvalidInputError("cursor can only be used when a server is specified");
    const all = await this.everyServer((c) => c.listAllResourceTemplates(signal), "resource templates");
    return { resourceTemplates: all.flatMap(([name, list]) => list.map((t) => ({ server: name, ...t }))), nextCursor: null };
  }

  async readResource(server: string, uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
    return this.connection(server).readResource(uri, signal);
  }

  /**
   * Applies a new config (config/mcpServer/reload): servers whose table did not change keep running;
   * changed ones are stopped and started again, removed ones stopped, added ones started (when start()
   * has been called). Resolves when the stops are done and the new start-ups are over.
   */
  async reload(servers: Readonly<Record<string, JsonObject>> | readonly McpServerEntry[]): Promise<void> {
    if (this.closed) return;
    const next = new Map((Array.isArray(servers) ? servers : readMcpServers(servers as Readonly<Record<string, JsonObject>>)).map((e) => [e.name, e]));
    const stopping: Promise<void>[] = [];
    const added: McpConnection[] = [];
    for (const [name, c] of [...this.connections]) {
      const entry = next.get(name);
      if (entry !== undefined && sameServerConfig(entry, c.entry)) continue;
      this.connections.delete(name);
      stopping.push(c.close());
    }
    for (const [name, entry] of next) if (!this.connections.has(name)) added.push(this.add(entry));
    await Promise.all(stopping);
    this.toolsChanged();
    if (this.started) {
      await Promise.all(
        added.map((c) => {
          if (!c.entry.ok && c.entry.enabled) this.emit(c.name, c.status);
          return c.start();
        }),
      );
    }
  }

  /** Stops every server and kills their processes; later requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.connections.values()].map((c) => c.close()));
  }

  // ----

  private add(entry: McpServerEntry): McpConnection {
    const c = new McpConnection(entry, {
      log: this.options.log,
      stdio: this.options.stdio,
      ...(this.options.httpEnv ? { httpEnv: this.options.httpEnv } : {}),
      ...(this.options.elicit ? { elicit: this.options.elicit } : {}),
      ...(this.options.clientInfo ? { clientInfo: this.options.clientInfo } : {}),
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      onStatus: (status) => {
        if (this.connections.get(entry.name) === c) this.emit(entry.name, status);
      },
      onToolsChanged: () => {
        if (this.connections.get(entry.name) === c) this.toolsChanged();
      },
    });
    this.connections.set(entry.name, c);
    return c;
  }

  private emit(name: string, status: McpConnectionStatus): void {
    this.options.onStatus?.({ name, state: status.state, startupStatus: startupStatusOf(status.state), error: status.error });
  }

  private toolsChanged(): void {
    this.options.onToolsChanged?.();
  }

  private connection(server: string): McpConnection {
    const c = this.connections.get(server);
    if (c === undefined || this.closed) throw new McpServerError(server, "unknownServer", `unknown MCP server '${server}'`);
    return c;
  }

  private async everyServer<T>(list: (c: McpConnection) => Promise<T[]>, what: string): Promise<[string, T[]][]> {
    await this.start();
    // Only connected servers: listing must not restart a server that failed (a hanging one would hold every listing up).
    const names = this.names.filter((n) => this.connections.get(n)?.status.state === "connected");
    return Promise.all(
      names.map(async (name): Promise<[string, T[]]> => [
        name,
        await list(this.connections.get(name) as McpConnection).catch((e: unknown) => this.listingFailed<T>(name, what, e)),
      ]),
    );
  }

  private listingFailed<T>(server: string, what: string, error: unknown): T[] {
    this.options.log.warn({ mcpServer: server, error: error instanceof Error ? error.message : String(error) }, `failed to list ${what} for MCP server`);
    return [];
  }

  private snapshot(c: McpConnection, resources: readonly Resource[], resourceTemplates: readonly ResourceTemplate[]): McpServerSnapshot {
    const s = c.status;
    const tools: Record<string, Tool> = {};
    for (const t of c.tools) tools[t.name] = t;
    const noCatalog = (s.state === "failed" || s.state === "cancelled") && c.tools.length === 0;
    return {
      name: c.name,
      state: s.state,
      error: s.error,
      toolsError: noCatalog && s.cause !== null ? `MCP startup failed: ${s.cause}` : null,
      serverInfo: s.serverInfo,
      capabilities: s.capabilities,
      instructions: s.instructions,
      tools,
      toolListMeta: c.toolListMeta,
      resources,
      resourceTemplates,
      authStatus: authStatusOf(c.entry),
      httpOrigin: httpOriginOf(c.entry),
      transport: c.entry.ok ? c.entry.config.transport.kind : null,
    };
  }
}
