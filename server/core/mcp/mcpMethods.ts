// The mcpServer* methods: mcpServerStatus/list, mcpServer/tool/call, mcpServer/resource/read and
// config/mcpServer/reload. With a thread id they use that thread's servers (the connections its turns
// use); mcpServerStatus/list without one uses the daemon's own set, started under config's sandbox
// policy in the daemon's cwd, kept until a reload or shutdown.
import type { DaemonMetrics } from "../metrics/daemonMetrics.js";
import type {
  ListMcpServerStatusParams,
  ListMcpServerStatusResponse,
  McpResourceReadParams,
  McpResourceReadResponse,
  McpServerToolCallParams,
  McpServerToolCallResponse,
} from "../../../protocol/v2/index.js";
import type { Logger } from "../../log.js";
import type { SandboxLauncher } from "../../sandbox/launcherTypes.js";
import { sandboxPolicyFromConfig } from "../commandSetup/sandboxFromWire.js";
import type { ConfigService } from "../config/configService.js";
import { InvalidInputError } from "../errors.js";
import type { ThreadManager } from "../threads/threadManager.js";
import { readMcpServers } from "./mcpConfig.js";
import { MCP_CLIENT_INFO, statusToWire, type ThreadMcpHost } from "./threadMcpHost.js";
import { mcpStdioEnvironment } from "./stdioLaunch.js";
import { ThreadMcpServers } from "./threadMcp.js";

export interface McpMethodsDeps {
  readonly threads: ThreadManager;
  readonly config: ConfigService;
  readonly launcher: () => Promise<SandboxLauncher>;
  readonly log: Logger;
  readonly metrics?: DaemonMetrics;
}

export class McpMethods {
  private daemonServers: Promise<ThreadMcpServers> | null = null;

  constructor(private readonly deps: McpMethodsDeps) {}

  /** The thread's MCP host (opening it if the loaded thread has not yet); a thread that is not loaded is refused. */
  private async hostOf(threadId: string): Promise<ThreadMcpHost> {
    const host = await this.deps.threads.mcpOf(threadId);
    if (!host) throw new InvalidInputError("no MCP servers are configured");
    return host;
  }

  private daemonSet(): Promise<ThreadMcpServers> {
    this.daemonServers ??= (async () => {
      const config = this.deps.config.effective;
      const launcher = await this.deps.launcher();
      const policy = sandboxPolicyFromConfig(config);
      return new ThreadMcpServers(readMcpServers(config.mcpServers), {
        log: this.deps.log.child({ component: "mcp" }),
        stdio: mcpStdioEnvironment(config, { launcher, sandboxPolicy: () => policy, cwd: process.cwd() }),
        clientInfo: MCP_CLIENT_INFO,
        ...(this.deps.metrics ? { metrics: this.deps.metrics } : {}),
      });
    })();
    return this.daemonServers;
  }

  async status(params: ListMcpServerStatusParams): Promise<ListMcpServerStatusResponse> {
    const servers = params.threadId ? (await this.hostOf(params.threadId)).servers : await this.daemonSet();
    const all = (await servers.statuses({ detail: params.detail ?? "full", serverName: params.serverName ?? null })).map(statusToWire);
    const start = params.cursor ? Number.parseInt(params.cursor, 10) : 0;
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw new InvalidInputError(`invalid cursor: ${params.cursor ?? ""}`);
    const limit = params.limit && params.limit > 0 ? params.limit : all.length;
    const data = all.slice(start, start + limit);
    const next = start + data.length;
    return { data, nextCursor: next < all.length ? String(next) : null };
  }

  async callTool(params: McpServerToolCallParams): Promise<McpServerToolCallResponse> {
    const host = await this.hostOf(params.threadId);
    await host.start();
    const args = params.arguments === undefined || params.arguments === null ? undefined : (params.arguments as Record<string, unknown>);
    const meta = params._meta && typeof params._meta === "object" ? (params._meta as Record<string, unknown>) : undefined;
    const result = await host.servers.callTool(params.server, params.tool, args, meta ? { meta } : {});
    return {
      content: result.content as unknown[],
      ...(result.isError !== undefined ? { isError: result.isError } : {}),
      ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
      ...(result._meta !== undefined ? { _meta: result._meta } : {}),
    };
  }

  async readResource(params: McpResourceReadParams): Promise<McpResourceReadResponse> {
    const servers = params.threadId ? (await this.hostOf(params.threadId)).servers : await this.daemonSet();
    await servers.start();
    const result = await servers.readResource(params.server, params.uri);
    return { contents: result.contents as McpResourceReadResponse["contents"] };
  }

  /** Re-reads config and applies it to every loaded thread's servers and the daemon's own set. */
  async reload(): Promise<void> {
    await this.deps.config.reload();
    await this.deps.threads.reloadMcp();
    if (this.daemonServers) await (await this.daemonServers).reload(readMcpServers(this.deps.config.effective.mcpServers));
  }

  async close(): Promise<void> {
    if (this.daemonServers) await (await this.daemonServers.catch(() => null))?.close();
  }
}
