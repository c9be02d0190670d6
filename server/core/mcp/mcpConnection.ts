// One MCP server for one thread: its connection through the SDK's `Client`, its state, its tools.
//
// Lifecycle: notStarted → starting → connected, or → failed (with the error a person reads) or
// cancelled (close() during start-up). `disabled` and a bad config table are final. A server that
// failed or whose process exited is started again by the next request that needs it (callTool,
// listResources, …): a server that restarts is picked up by the next call. The last tool list is
// kept meanwhile, so the model's view does not flicker with the process.
//
// Failure never escapes as anything but an McpServerError (mcpErrors.ts) from the request that met
// it: start() never rejects, the SDK's events are caught here, and the process is the launcher's and
// spawn.ts's (own process group, killed with its tree on close). Messages name the server and the
// cause, in 0.169's words where it has some ("MCP client for `x` timed out after 30 seconds…",
// "tool call failed for `x/t`: timed out awaiting tools/call after 2s"), with what 0.169 does not
// say added (the exit code, the server's last stderr line, stdout that was not JSON-RPC).
//
// The client declares elicitation (form mode, as 0.169 does) and hands each `elicitation/create` to
// the owner's `elicit` callback; without one, elicitations are declined.
import type { DaemonMetrics, McpServerMetricState } from "../metrics/daemonMetrics.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolResultSchema,
  ElicitRequestSchema,
  ErrorCode,
  ListResourceTemplatesResultSchema,
  ListResourcesResultSchema,
  ListToolsResultSchema,
  McpError,
  ReadResourceResultSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type ElicitRequest,
  type ElicitResult,
  type Implementation,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { AnyObjectSchema, SchemaOutput } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import type { Logger } from "../../log.js";
import { toolAllowed, type McpHttpTransportConfig, type McpServerConfig, type McpServerEntry, type McpStdioTransportConfig } from "./mcpConfig.js";
import { McpServerError, type McpFailureReason } from "./mcpErrors.js";
import { SandboxedStdioTransport } from "./sandboxedStdioTransport.js";
import { stdioLaunchOf, type McpStdioEnvironment } from "./stdioLaunch.js";

export type McpConnectionState = "notStarted" | "starting" | "connected" | "failed" | "cancelled" | "disabled";

export interface McpConnectionStatus {
  readonly state: McpConnectionState;
  /** Why the server is failed or cancelled, for a person (the startup-status notification's `error`); null otherwise. */
  readonly error: string | null;
  /** The underlying cause alone (0.169's `toolsError` carries it); null when not failed. */
  readonly cause: string | null;
  readonly serverInfo: Implementation | null;
  readonly capabilities: ServerCapabilities | null;
  readonly instructions: string | null;
}

/** The elicitation a server asks for, as the SDK parsed it (`mode` "form" with `requestedSchema`, or "url"). */
export type McpElicitationParams = ElicitRequest["params"];

export interface McpElicitationRequest {
  readonly server: string;
  readonly params: McpElicitationParams;
  /** Aborted when the server cancels the request or the connection ends. */
  readonly signal: AbortSignal;
}

/** `{action: "accept", content}`, `{action: "decline"}` or `{action: "cancel"}`. */
export type McpElicitationResult = ElicitResult;

export interface McpProgress {
  readonly progress: number;
  readonly total: number | null;
  readonly message: string | null;
}

export interface McpCallOptions {
  readonly signal?: AbortSignal;
  /** Each `notifications/progress` the server sends for this call. */
  readonly onProgress?: (progress: McpProgress) => void;
  /** Passed as the request's `_meta` (mcpServer/tool/call's `_meta`). */
  readonly meta?: Record<string, unknown>;
}

export interface McpConnectionOptions {
  readonly log: Logger;
  /** Counts this server in its state (mcp_servers{state}). */
  readonly metrics?: DaemonMetrics;
  readonly stdio: McpStdioEnvironment;
  /** Variables for `bearer_token_env_var` and `env_http_headers`; the daemon's environment by default. */
  readonly httpEnv?: Readonly<Record<string, string | undefined>>;
  readonly elicit?: (request: McpElicitationRequest) => Promise<McpElicitationResult>;
  /** Each state change. */
  readonly onStatus?: (status: McpConnectionStatus) => void;
  /** The tool list changed (first connect, `notifications/tools/list_changed`). */
  readonly onToolsChanged?: () => void;
  readonly clientInfo?: Implementation;
}

/**
 * 0.169 introduces itself as `codex-mcp-client`; servers that adapt to known clients see the same name,
 * and the title says who is really calling (as userAgent leads with the reference's version).
 */
export const DEFAULT_CLIENT_INFO: Implementation = { name: "codex-mcp-client", title: "Gatehouse", version: "0.169.0" };

/** Pages of a list before a server is taken to be looping. */
const MAX_PAGES = 1000;
/** After close, how long an HTTP server gets to acknowledge the end of its session. */
const SESSION_END_GRACE_MS = 1000;

/**
 * The SDK validates `structuredContent` against a tool's outputSchema only in callTool/listTools,
 * which are not used (0.169 does not validate either); this keeps it from building Ajv for nothing.
 */
const NO_SCHEMA_VALIDATION: jsonSchemaValidator = {
  getValidator: () => (input) => ({ valid: true, data: input as never, errorMessage: undefined }),
};

function secondsText(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(3).replace(/0+$/, "");
}

/** An error's message plus its causes (fetch failed: connect ECONNREFUSED …). */
function errorText(error: unknown): string {
  const parts: string[] = [];
  let cur: unknown = error;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 4; depth++) {
    if (cur instanceof Error) {
      if (cur.message && !parts.includes(cur.message)) parts.push(cur.message);
      cur = cur.cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join(": ") || "unknown error";
}

function isSchemaError(error: unknown): error is Error & { issues: readonly { path: readonly PropertyKey[]; message: string }[] } {
  return error instanceof Error && Array.isArray((error as { issues?: unknown }).issues);
}

function schemaErrorText(error: Error & { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const first = error.issues[0];
  if (first === undefined) return error.message;
  const where = first.path.length > 0 ? `\`${first.path.map(String).join(".")}\`: ` : "";
  return `${where}${first.message}${error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : ""}`;
}

/** Rejects with the signal's reason as soon as it aborts; the work itself goes on (its owner ends it). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    // The work was started all the same (the caller evaluated it): its own failure is not news.
    work.catch(() => undefined);
    return Promise.reject(signal.reason as unknown);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as unknown);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => (signal.removeEventListener("abort", onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener("abort", onAbort), reject(error)),
    );
  });
}

class StartupTimeout extends Error {}
class Cancelled extends Error {}

/** A request's own AbortController, tied to the caller's signal without leaving a listener on it. */
function linkedAbort(signal: AbortSignal | undefined): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  if (signal === undefined) return { controller, unlink: () => undefined };
  const onAbort = (): void => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return { controller, unlink: () => signal.removeEventListener("abort", onAbort) };
}

interface Live {
  readonly client: Client;
  readonly transport: Transport;
  /** The same transport when it is streamable HTTP (its session is ended on shut-down). */
  readonly http: StreamableHTTPClientTransport | null;
}

export class McpConnection {
  readonly name: string;
  /** Null when the server's table is unusable. */
  readonly config: McpServerConfig | null;
  private statusValue: McpConnectionStatus;
  private toolList: Tool[] = [];
  private toolListMetaValue: Record<string, unknown> | null = null;
  private live: Live | null = null;
  private starting: Promise<void> | null = null;
  /** Bumped by every start and by close(): work of an older generation only cleans up after itself. */
  private generation = 0;
  private closed = false;
  private startupAbort: AbortController | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  /** Why the last process ended, and what it wrote: kept for the requests its exit failed. */
  private lastExit: string | null = null;
  private lastHints = "";
  private readonly log: Logger;

  constructor(
    readonly entry: McpServerEntry,
    private readonly options: McpConnectionOptions,
  ) {
    this.name = entry.name;
    this.config = entry.ok ? entry.config : null;
    this.log = options.log.child({ mcpServer: entry.name });
    const idle = { cause: null, serverInfo: null, capabilities: null, instructions: null };
    if (!entry.ok)
      this.statusValue = entry.enabled ? { ...idle, state: "failed", error: entry.error, cause: entry.error } : { ...idle, state: "disabled", error: null };
    else this.statusValue = { ...idle, state: entry.config.enabled ? "notStarted" : "disabled", error: null };
  }

  get status(): McpConnectionStatus {
    return this.statusValue;
  }

  /** The tools the server listed last, after enabled_tools / disabled_tools. */
  get tools(): readonly Tool[] {
    return this.toolList;
  }

  /** `_meta` of the first page of the last tool list (0.169's toolListMeta); null when none. */
  get toolListMeta(): Record<string, unknown> | null {
    return this.toolListMetaValue;
  }

  /** Whether start() would try anything: enabled, with a usable table, not closed. */
  get startable(): boolean {
    return this.config !== null && this.config.enabled && !this.closed;
  }

  /** Starts the server unless it is connected or starting; resolves when that start-up is over. Never rejects. */
  start(): Promise<void> {
    if (!this.startable) return Promise.resolve();
    if (this.starting !== null) return this.starting;
    if (this.statusValue.state === "connected") return Promise.resolve();
    const generation = ++this.generation;
    const run = this.startOnce(generation).finally(() => {
      if (this.starting === run) this.starting = null;
    });
    this.starting = run;
    return run;
  }

  /** Stops the server (its whole process tree) and refuses further requests. A start-up in progress ends as cancelled. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    const live = this.live;
    this.live = null;
    if (this.statusValue.state === "starting") this.setStatus({ state: "cancelled", error: "MCP startup cancelled", cause: "MCP startup cancelled" });
    this.startupAbort?.abort(new Cancelled());
    if (live !== null) await this.shutDown(live);
    await this.starting?.catch(() => undefined);
    this.count(null);
  }

  async callTool(tool: string, args: Record<string, unknown> | undefined, options: McpCallOptions = {}): Promise<CallToolResult> {
    const failure = (reason: McpFailureReason, detail: string): McpServerError =>
      new McpServerError(this.name, reason, `tool call failed for \`${this.name}/${tool}\`: ${detail}`);
    if (this.config !== null && !toolAllowed(this.config, tool)) throw failure("toolDisabled", `tool '${tool}' is disabled for MCP server '${this.name}'`);
    const client = await this.connected(options.signal, (e) => failure(e.reason, e.message));
    const { controller, unlink } = linkedAbort(options.signal);
    try {
      return await client.request(
        { method: "tools/call", params: { name: tool, ...(args === undefined ? {} : { arguments: args }), ...(options.meta ? { _meta: options.meta } : {}) } },
        CallToolResultSchema,
        {
          signal: controller.signal,
          timeout: this.config?.toolTimeoutMs,
          ...(options.onProgress
            ? {
                onprogress: (p: { progress: number; total?: number; message?: string }) =>
                  options.onProgress?.({ progress: p.progress, total: p.total ?? null, message: p.message ?? null }),
              }
            : {}),
        },
      );
    } catch (error) {
      const { reason, detail } = this.requestFailure(error, "tools/call", options.signal);
      throw failure(reason, detail);
    } finally {
      unlink();
    }
  }

  /** One page of resources (the model's list_mcp_resources with a server passes its cursor through). */
  async listResources(cursor?: string, signal?: AbortSignal): Promise<{ resources: Resource[]; nextCursor: string | null }> {
    const page = await this.request("resources/list", cursor === undefined ? {} : { cursor }, ListResourcesResultSchema, signal);
    return { resources: page.resources, nextCursor: page.nextCursor ?? null };
  }

  /** Every page of resources; [] for a server that does not declare the resources capability. */
  async listAllResources(signal?: AbortSignal): Promise<Resource[]> {
    await this.connected(signal);
    if (this.statusValue.capabilities?.resources === undefined) return [];
    return this.allPages((cursor) => this.listResources(cursor, signal).then((p) => ({ items: p.resources, nextCursor: p.nextCursor })), "resources/list");
  }

  async listResourceTemplates(cursor?: string, signal?: AbortSignal): Promise<{ resourceTemplates: ResourceTemplate[]; nextCursor: string | null }> {
    const page = await this.request("resources/templates/list", cursor === undefined ? {} : { cursor }, ListResourceTemplatesResultSchema, signal);
    return { resourceTemplates: page.resourceTemplates, nextCursor: page.nextCursor ?? null };
  }

  async listAllResourceTemplates(signal?: AbortSignal): Promise<ResourceTemplate[]> {
    await this.connected(signal);
    if (this.statusValue.capabilities?.resources === undefined) return [];
    return this.allPages(
      (cursor) => this.listResourceTemplates(cursor, signal).then((p) => ({ items: p.resourceTemplates, nextCursor: p.nextCursor })),
      "resources/templates/list",
    );
  }

  readResource(uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
    return this.request("resources/read", { uri }, ReadResourceResultSchema, signal);
  }

  // ---- start-up ----

  private async startOnce(generation: number): Promise<void> {
    const config = this.config as McpServerConfig;
    this.setStatus({ state: "starting", error: null, cause: null });
    // Aborted with StartupTimeout when the time is up, with Cancelled by close().
    const timeout = new AbortController();
    this.startupAbort = timeout;
    const timer = setTimeout(() => timeout.abort(new StartupTimeout()), config.startupTimeoutMs);
    let live: Live | null = null;
    try {
      const { transport, http } = await this.createTransport(config);
      const client = this.createClient();
      live = { client, transport, http };
      const attempt = live;
      client.onclose = () => this.lost(generation, attempt);
      client.onerror = (error) => this.log.debug({ error: errorText(error) }, "MCP client error");
      // untilAborted: the launcher's transform (bwrap probe) happens before any request could time out.
      await untilAborted(client.connect(transport, { signal: timeout.signal, timeout: config.startupTimeoutMs }), timeout.signal);
      if (generation !== this.generation) throw new Cancelled();
      const capabilities = client.getServerCapabilities() ?? {};
      const listed = capabilities.tools === undefined ? { tools: [], meta: null } : await untilAborted(this.listTools(client, timeout.signal), timeout.signal);
      if (generation !== this.generation) throw new Cancelled();
      this.live = live;
      this.toolList = listed.tools;
      this.toolListMetaValue = listed.meta;
      this.setStatus({
        state: "connected",
        error: null,
        cause: null,
        serverInfo: client.getServerVersion() ?? null,
        capabilities,
        instructions: client.getInstructions() ?? null,
      });
      this.log.debug({ tools: listed.tools.length }, "MCP server connected");
      this.options.onToolsChanged?.();
    } catch (error) {
      if (live !== null) await this.shutDown(live);
      if (generation !== this.generation) return; // close() or a newer start owns the state now
      const timedOut = timeout.signal.reason instanceof StartupTimeout;
      // What the server wrote meanwhile (a usage text on stderr, a banner on stdout) is often why it never answered.
      const hints = timedOut && live?.transport instanceof SandboxedStdioTransport ? this.stdioHints(live.transport) : "";
      const cause = timedOut ? `timed out handshaking with MCP server after ${secondsText(config.startupTimeoutMs)}s${hints}` : this.startupCause(error, live);
      const message = timedOut
        ? `MCP client for \`${this.name}\` timed out after ${secondsText(config.startupTimeoutMs)} seconds. Add or adjust \`startup_timeout_sec\` in your config.toml:\n[mcp_servers.${this.name}]\nstartup_timeout_sec = XX${hints === "" ? "" : `\n(${hints.slice(2)})`}`
        : `MCP client for \`${this.name}\` failed to start: ${cause}`;
      this.log.warn({ error: cause }, "MCP server failed to start");
      this.setStatus({ state: "failed", error: message, cause });
    } finally {
      clearTimeout(timer);
      if (this.startupAbort === timeout) this.startupAbort = null;
    }
  }

  private startupCause(error: unknown, live: Live | null): string {
    const transport = live?.transport;
    if (transport instanceof SandboxedStdioTransport && transport.exitDescription !== null) {
      return `the server ${transport.exitDescription} before it finished starting${this.stdioHints(transport)}`;
    }
    if (isSchemaError(error)) return `the server answered initialize or tools/list with a malformed result: ${schemaErrorText(error)}`;
    return errorText(error);
  }

  private createClient(): Client {
    const client = new Client(this.options.clientInfo ?? DEFAULT_CLIENT_INFO, {
      capabilities: { elicitation: { form: {} } },
      jsonSchemaValidator: NO_SCHEMA_VALIDATION,
    });
    client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
      const elicit = this.options.elicit;
      if (elicit === undefined) return { action: "decline" };
      return elicit({ server: this.name, params: request.params, signal: extra.signal });
    });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      void this.refreshTools();
    });
    return client;
  }

  private async createTransport(config: McpServerConfig): Promise<{ transport: Transport; http: StreamableHTTPClientTransport | null }> {
    if (config.transport.kind === "stdio") return { transport: this.stdioTransport(config, config.transport), http: null };
    const http = await this.httpTransport(config.transport);
    return { transport: http, http };
  }

  private stdioTransport(config: McpServerConfig, transport: McpStdioTransportConfig): SandboxedStdioTransport {
    const launch = stdioLaunchOf(config, transport, this.options.stdio);
    return new SandboxedStdioTransport(launch, this.log, this.options.stdio.earlyProcess?.(this.name, launch) ?? null);
  }

  /**
   * The HTTP transport brings the SDK's OAuth schemas, PKCE and an SSE parser: loaded only when a
   * server uses it, so a thread with stdio servers starts them sooner (bench/, `--only mcp`).
   */
  private async httpTransport(transport: McpHttpTransportConfig): Promise<StreamableHTTPClientTransport> {
    const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
    const env = this.options.httpEnv ?? process.env;
    const headers: Record<string, string> = { ...transport.httpHeaders };
    for (const [header, variable] of Object.entries(transport.envHttpHeaders)) {
      const value = env[variable];
      if (value !== undefined && value !== "") headers[header] = value;
      else this.log.warn({ header, variable }, "MCP server header variable is not set; the header is not sent");
    }
    if (transport.bearerTokenEnvVar !== null) {
      const variable = transport.bearerTokenEnvVar;
      const token = env[variable];
      // 0.169's words.
      if (token === undefined) throw new Error(`Environment variable ${variable} for MCP server '${this.name}' is not set`);
      if (token === "") throw new Error(`Environment variable ${variable} for MCP server '${this.name}' is empty`);
      headers["Authorization"] = `Bearer ${token}`;
    }
    return new StreamableHTTPClientTransport(new URL(transport.url), { requestInit: { headers } });
  }

  /** Every page, filtered; `meta` is the first page's `_meta` (0.169's toolListMeta). */
  private async listTools(client: Client, signal: AbortSignal): Promise<{ tools: Tool[]; meta: Record<string, unknown> | null }> {
    const config = this.config as McpServerConfig;
    let meta: Record<string, unknown> | null = null;
    const tools = await this.allPages(async (cursor) => {
      const page = await client.request({ method: "tools/list", params: cursor === undefined ? {} : { cursor } }, ListToolsResultSchema, {
        signal,
        timeout: config.startupTimeoutMs,
      });
      if (cursor === undefined) meta = page._meta ?? null;
      return { items: page.tools, nextCursor: page.nextCursor ?? null };
    }, "tools/list");
    return { tools: tools.filter((t) => toolAllowed(config, t.name)), meta };
  }

  private async allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, method: string): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      const result = await page(cursor);
      out.push(...result.items);
      if (result.nextCursor === null) return out;
      if (seen.has(result.nextCursor)) throw new Error(`MCP server \`${this.name}\` answered ${method} with a cursor it had already given`);
      seen.add(result.nextCursor);
      cursor = result.nextCursor;
    }
    throw new Error(`MCP server \`${this.name}\` answered ${method} with more than ${MAX_PAGES} pages`);
  }

  /** `notifications/tools/list_changed`: lists again, one refresh at a time; a failure keeps the old list. */
  private async refreshTools(): Promise<void> {
    if (this.refreshing !== null) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    const run = (async () => {
      do {
        this.refreshAgain = false;
        const live = this.live;
        if (live === null || this.statusValue.state !== "connected") return;
        try {
          const listed = await this.listTools(live.client, new AbortController().signal);
          if (this.live !== live) return;
          this.toolList = listed.tools;
          this.toolListMetaValue = listed.meta;
          this.options.onToolsChanged?.();
        } catch (error) {
          this.log.warn({ error: errorText(error) }, "MCP server's tool list could not be refreshed; keeping the last one");
        }
      } while (this.refreshAgain);
    })();
    this.refreshing = run.finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  // ---- requests ----

  /** The connected client, starting or restarting the server when needed. */
  private async connected(signal: AbortSignal | undefined, wrap?: (error: McpServerError) => McpServerError): Promise<Client> {
    const unavailable = (reason: McpFailureReason, message: string): McpServerError => {
      const error = new McpServerError(this.name, reason, message);
      return wrap ? wrap(error) : error;
    };
    if (this.config === null) throw unavailable("invalidConfig", this.statusValue.error ?? `MCP server \`${this.name}\` is not configured correctly`);
    if (!this.config.enabled) throw unavailable("disabled", `MCP server \`${this.name}\` is disabled (enabled = false)`);
    if (this.closed) throw unavailable("cancelled", `MCP server \`${this.name}\` was stopped`);
    if (this.statusValue.state !== "connected" || this.live === null) {
      try {
        await untilAborted(this.start(), signal);
      } catch (error) {
        throw unavailable("aborted", `cancelled while waiting for MCP server \`${this.name}\` to start (${errorText(error)})`);
      }
    }
    const live = this.live as Live | null;
    if (this.statusValue.state === "connected" && live !== null) return live.client;
    const reason: McpFailureReason =
      this.statusValue.state === "cancelled" ? "cancelled" : this.statusValue.error?.includes("timed out after") ? "startupTimeout" : "startupFailed";
    throw unavailable(reason, this.statusValue.error ?? `MCP server \`${this.name}\` is not available`);
  }

  private async request<T extends AnyObjectSchema>(
    method: "resources/list" | "resources/templates/list" | "resources/read",
    params: Record<string, unknown>,
    schema: T,
    signal: AbortSignal | undefined,
  ): Promise<SchemaOutput<T>> {
    const failure = (reason: McpFailureReason, detail: string): McpServerError =>
      new McpServerError(this.name, reason, `${method} failed for \`${this.name}\`: ${detail}`);
    const client = await this.connected(signal, (e) => failure(e.reason, e.message));
    const { controller, unlink } = linkedAbort(signal);
    try {
      return await client.request({ method, params } as Parameters<Client["request"]>[0], schema, {
        signal: controller.signal,
        timeout: this.config?.toolTimeoutMs,
      });
    } catch (error) {
      const { reason, detail } = this.requestFailure(error, method, signal);
      throw failure(reason, detail);
    } finally {
      unlink();
    }
  }

  /** Classifies a failed request; a lost connection marks the server failed, so the next request restarts it. */
  private requestFailure(error: unknown, method: string, signal: AbortSignal | undefined): { reason: McpFailureReason; detail: string } {
    const transport = this.live?.transport;
    const hints = transport instanceof SandboxedStdioTransport ? this.stdioHints(transport) : "";
    if (signal?.aborted) return { reason: "aborted", detail: "cancelled" };
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      const seconds = secondsText(this.config?.toolTimeoutMs ?? 0);
      return { reason: "timeout", detail: `timed out awaiting ${method} after ${seconds}s (tool_timeout_sec in [mcp_servers.${this.name}])${hints}` };
    }
    if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
      const exit = this.lastExit ?? "closed the connection";
      return { reason: "serverExited", detail: `the server ${exit} during the request${this.lastHints}; it is started again on the next call` };
    }
    if (isSchemaError(error)) return { reason: "malformedResult", detail: `the server returned a malformed result: ${schemaErrorText(error)}` };
    if (error instanceof McpError) return { reason: "serverError", detail: error.message };
    // Anything else is the transport's (an HTTP request that failed, a write to a dead process).
    this.markLost(`the connection to the server failed: ${errorText(error)}`);
    return { reason: "serverExited", detail: `the connection to the server failed: ${errorText(error)}; it is reconnected on the next call` };
  }

  private stdioHints(transport: SandboxedStdioTransport): string {
    const parts: string[] = [];
    const stderr = transport.stderrTail;
    if (stderr !== "") parts.push(`stderr: ${stderr}`);
    const bad = transport.unreadableOutput;
    if (bad.lines > 0)
      parts.push(
        `it wrote ${bad.lines} line${bad.lines === 1 ? "" : "s"} to stdout that ${bad.lines === 1 ? "is" : "are"} not JSON-RPC (last: ${bad.last ?? "?"})`,
      );
    return parts.length === 0 ? "" : `; ${parts.join("; ")}`;
  }

  /** The client's connection ended (the process exited, the HTTP transport closed). */
  private lost(generation: number, live: Live): void {
    if (this.live !== live) return;
    this.live = null;
    const transport = live.transport;
    this.lastExit = transport instanceof SandboxedStdioTransport ? transport.exitDescription : null;
    this.lastHints = transport instanceof SandboxedStdioTransport ? this.stdioHints(transport) : "";
    if (generation !== this.generation || this.closed) return;
    const cause = `the server ${this.lastExit ?? "closed the connection"}${this.lastHints}`;
    this.log.warn({ error: cause }, "MCP server stopped; it is started again on the next call");
    this.setStatus({ state: "failed", error: `MCP server \`${this.name}\` stopped: ${cause}`, cause });
  }

  private markLost(cause: string): void {
    const live = this.live;
    if (live === null) return;
    this.live = null;
    this.setStatus({ state: "failed", error: `MCP server \`${this.name}\` stopped: ${cause}`, cause });
    void this.shutDown(live);
  }

  private async shutDown(live: Live): Promise<void> {
    try {
      if (live.http !== null) {
        const http = live.http;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          http.terminateSession().catch(() => undefined),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, SESSION_END_GRACE_MS))),
        ]);
        clearTimeout(timer);
      }
      await live.client.close();
      await live.transport.close();
    } catch (error) {
      this.log.debug({ error: errorText(error) }, "MCP server did not close cleanly");
    }
  }

  /** The state this server is counted in; null: not counted (not started, disabled, closed). */
  private countedState: McpServerMetricState | null = null;

  private count(state: McpServerMetricState | null): void {
    if (state === this.countedState) return;
    this.options.metrics?.mcpServerState(this.countedState, state);
    this.countedState = state;
  }

  private setStatus(change: Partial<McpConnectionStatus> & Pick<McpConnectionStatus, "state">): void {
    const keepInfo = change.state === "connected" || change.state === "failed";
    this.statusValue = {
      state: change.state,
      error: change.error ?? null,
      cause: change.cause ?? null,
      serverInfo: change.serverInfo ?? (keepInfo ? this.statusValue.serverInfo : null),
      capabilities: change.capabilities ?? (keepInfo ? this.statusValue.capabilities : null),
      instructions: change.instructions ?? (keepInfo ? this.statusValue.instructions : null),
    };
    const s = change.state;
    this.count(s === "connected" ? "ready" : s === "starting" || s === "failed" || s === "cancelled" ? s : null);
    this.options.onStatus?.(this.statusValue);
  }
}
