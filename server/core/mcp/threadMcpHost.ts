// A loaded thread's MCP servers as the rest of the daemon sees them: started when the thread opens
// (after the answer that opened it, as 0.169 announces them after thread/started), announced with
// mcpServer/startupStatus/updated, their elicitations forwarded to the thread's client, their tools
// offered to each turn (tools/mcpTools.ts), and the mcpServer* methods' answers in 0.169's shapes.
import type { DaemonMetrics } from "../metrics/daemonMetrics.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { McpServerStatus } from "../../../protocol/v2/index.js";
import type { Logger } from "../../log.js";
import { GATEHOUSE_VERSION } from "../../version.js";
import type { SandboxLauncher } from "../../sandbox/launcherTypes.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { EffectiveConfig } from "../config/effective.js";
import type { ServerRequestThread } from "../ports.js";
import type { ServerRequestBroker } from "../threads/serverRequestBroker.js";
import type { McpCallToolResult } from "../tools/mcpModelTools.js";
import { mcpToolCallFailedMessage } from "../tools/mcpModelTools.js";
import { mcpTurnTools, type McpOfferedTool, type McpTurnSource } from "../tools/mcpTools.js";
type Json = Record<string, unknown>;
import type { McpTurnTools } from "../tools/router.js";
import { readMcpServers, type McpServerEntry } from "./mcpConfig.js";
import { McpServerError } from "./mcpErrors.js";
import { mcpStdioEnvironment, type McpEarlyLaunches } from "./stdioLaunch.js";
import { ThreadMcpServers, type McpServerSnapshot } from "./threadMcp.js";

export interface ThreadMcpHostDeps {
  readonly config: () => EffectiveConfig;
  readonly launcher: SandboxLauncher;
  readonly log: Logger;
  /** The thread the servers belong to: where status and elicitations go. */
  readonly thread: ServerRequestThread & { readonly activeTurnId: string | null };
  /** The policy a stdio server starts with (read at each start; a running server keeps its own). */
  readonly sandboxPolicy: () => SandboxPolicy;
  readonly cwd: string;
  /** The tools' broker (elicitations and tool approvals are the tools' server requests). */
  readonly broker: ServerRequestBroker;
  /** Whether the thread's approval policy lets servers ask the user (granular `mcp_elicitations: false` does not). */
  readonly elicitationsAllowed: () => boolean;
  /** Writes an "always" answer to config.toml (`[mcp_servers.<server>.tools.<tool>] approval_mode = "approve"`). */
  readonly approveAlways?: (server: string, tool: string) => Promise<void>;
  readonly metrics?: DaemonMetrics;
  /** The thread's stdio servers launched with thread/start; their clients adopt them on the first start. */
  readonly earlyLaunches?: McpEarlyLaunches | null;
}

/** How Gatehouse introduces itself to an MCP server (`initialize`'s clientInfo). */
export const MCP_CLIENT_INFO = { name: "gatehouse", version: GATEHOUSE_VERSION } as const;

function toResult(r: CallToolResult): McpCallToolResult {
  return {
    content: r.content as McpCallToolResult["content"],
    ...(r.structuredContent !== undefined ? { structuredContent: r.structuredContent } : {}),
    ...(r.isError !== undefined ? { isError: r.isError } : {}),
    ...(r._meta !== undefined ? { _meta: r._meta } : {}),
  };
}

export class ThreadMcpHost {
  readonly servers: ThreadMcpServers;
  /** Tools accepted "for the session" (0.169 stops asking for them in this thread). */
  readonly approvedForSession = new Set<string>();
  private entries: McpServerEntry[];
  private started: Promise<void> | null = null;

  constructor(private readonly deps: ThreadMcpHostDeps) {
    const config = deps.config();
    this.entries = readMcpServers(config.mcpServers);
    this.servers = new ThreadMcpServers(this.entries, {
      log: deps.log.child({ component: "mcp" }),
      stdio: {
        ...mcpStdioEnvironment(config, { launcher: deps.launcher, sandboxPolicy: deps.sandboxPolicy, cwd: deps.cwd }),
        ...(deps.earlyLaunches ? { earlyProcess: deps.earlyLaunches.take.bind(deps.earlyLaunches) } : {}),
      },
      clientInfo: MCP_CLIENT_INFO,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      onStatus: (update) => {
        if (update.startupStatus === null) return;
        deps.thread.emit("mcpServer/startupStatus/updated", {
          threadId: deps.thread.id,
          name: update.name,
          status: update.startupStatus,
          error: update.error,
          failureReason: null,
        });
      },
      elicit: async (request) => {
        if (!deps.elicitationsAllowed()) return { action: "decline" };
        const p = request.params as Record<string, unknown>;
        const params = { ...p, serverName: request.server, threadId: deps.thread.id, turnId: deps.thread.activeTurnId, mode: p["mode"] ?? "form" };
        const answer = await deps.broker.ask(deps.thread, "mcpServer/elicitation/request", params, request.signal);
        if (answer.kind !== "answered") return { action: answer.kind === "aborted" ? "cancel" : "decline" };
        const r = (answer.result ?? {}) as { action?: unknown; content?: unknown };
        if (r.action === "accept")
          return { action: "accept", ...(r.content && typeof r.content === "object" ? { content: r.content as Record<string, never> } : {}) };
        return { action: r.action === "cancel" ? "cancel" : "decline" };
      },
    });
  }

  /** Starts every server once (later calls share the first start); never rejects. */
  start(): Promise<void> {
    this.started ??= this.servers.start();
    return this.started;
  }

  /** The turn's MCP tools, once every server has started or failed (0.169's turn waits for start-up too). */
  async turnTools(): Promise<McpTurnTools> {
    await this.start();
    return mcpTurnTools(this.turnSource(), {
      broker: this.deps.broker,
      approvedForSession: this.approvedForSession,
      ...(this.deps.approveAlways ? { approveAlways: this.deps.approveAlways } : {}),
      toolOutputTokenLimit: null,
    });
  }

  private turnSource(): McpTurnSource {
    const servers = this.servers;
    const byName = new Map(this.entries.map((e) => [e.name, e]));
    const source: McpTurnSource = {
      tools: () =>
        servers.servers().flatMap((snap) => {
          if (snap.state !== "connected") return [];
          const entry = byName.get(snap.name);
          const config = entry?.ok ? entry.config : null;
          return Object.values(snap.tools).map((tool): McpOfferedTool => ({
            server: snap.name,
            tool: {
              name: tool.name,
              ...(tool.title !== undefined ? { title: tool.title } : {}),
              ...(tool.description !== undefined ? { description: tool.description } : {}),
              inputSchema: tool.inputSchema as Record<string, unknown>,
              ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
            },
            ...(snap.instructions ? { instructions: snap.instructions } : {}),
            approvalMode: config?.toolApprovalModes[tool.name] ?? config?.defaultToolsApprovalMode ?? "auto",
          }));
        }),
      callTool: async (server, tool, args, options) => {
        try {
          return toResult(
            await servers.callTool(server, tool, (args ?? undefined) as Record<string, unknown> | undefined, {
              signal: options.signal,
              onProgress: (p) => options.onProgress(p.progress, p.total ?? undefined, p.message ?? undefined),
            }),
          );
        } catch (error) {
          const cause =
            error instanceof McpServerError && error.reason === "serverExited" ? "Transport closed" : error instanceof Error ? error.message : String(error);
          throw new Error(mcpToolCallFailedMessage(server, tool, cause), { cause: error });
        }
      },
      serverNames: () =>
        servers
          .servers()
          .filter((s) => s.state === "connected")
          .map((s) => s.name),
      listResources: async (server, cursor) => {
        const page = await servers.listResources(server, cursor ?? null);
        return { resources: page.resources as unknown as Json[], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
      },
      listResourceTemplates: async (server, cursor) => {
        const page = await servers.listResourceTemplates(server, cursor ?? null);
        return { resourceTemplates: page.resourceTemplates as unknown as Json[], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
      },
      readResource: async (server, uri) => (await servers.readResource(server, uri)) as unknown as { contents: Json[] },
    };
    return source;
  }

  /** Which servers are ready, failed (with why) or cancelled: 0.80's mcp_startup_complete. */
  startupSummary(): { ready: string[]; failed: { server: string; error: string }[]; cancelled: string[] } {
    const snaps = this.servers.servers();
    return {
      ready: snaps.filter((s) => s.state === "connected").map((s) => s.name),
      failed: snaps.filter((s) => s.state === "failed").map((s) => ({ server: s.name, error: s.error ?? "failed" })),
      cancelled: snaps.filter((s) => s.state === "cancelled").map((s) => s.name),
    };
  }

  /** config/mcpServer/reload: the servers as config now names them (unchanged ones keep running). */
  async reload(): Promise<void> {
    this.entries = readMcpServers(this.deps.config().mcpServers);
    await this.servers.reload(this.entries);
  }

  close(): Promise<void> {
    return this.servers.close();
  }
}

/** An McpServerSnapshot as mcpServerStatus/list shows it (0.169's McpServerStatus). */
export function statusToWire(s: McpServerSnapshot): McpServerStatus {
  const info = s.serverInfo as (Record<string, unknown> & { name: string; version: string }) | null;
  return {
    name: s.name,
    runtimeStatus: null,
    pluginId: null,
    httpOrigin: s.httpOrigin,
    serverInfo: info
      ? {
          name: info.name,
          title: (info["title"] as string | undefined) ?? null,
          version: info.version,
          description: (info["description"] as string | undefined) ?? null,
          icons: (info["icons"] as unknown[] | undefined) ?? null,
          websiteUrl: (info["websiteUrl"] as string | undefined) ?? null,
        }
      : null,
    serverCapabilities: s.capabilities,
    toolListMeta: s.toolListMeta,
    tools: s.tools,
    toolsError: s.toolsError,
    resources: s.resources,
    resourceTemplates: s.resourceTemplates,
    authStatus: s.authStatus,
  } as McpServerStatus;
}
