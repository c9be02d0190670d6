// DaemonMetrics as Prometheus series (prom-client), one registry per daemon, scraped by GET /metrics
// on the WebSocket listener. Loaded only by a daemon that listens (cli/appServer.ts).
//
// Series (all prefixed gatehouse_ but the process/Node.js defaults):
//   connections{transport}                  open connections (gauge); connections_total{transport}
//   requests_total{method,outcome}           client requests answered: ok, error, cancelled
//   request_duration_seconds{method}         their latency (histogram)
//   turns_started_total, turns_finished_total{outcome}, turns_running
//   approval_requests_pending{method}        server requests waiting for a client (approvals,
//                                            elicitations, questions); approval_requests_total{method,decision}
//   sandbox_launches_total{sandbox,outcome}  launched (bwrap, seatbelt, none) or refused (fail-closed)
//   proxy_connections_total{outcome}         managed network proxy: allowed, denied, upstream-failed
//   mcp_servers{state}                       MCP servers of loaded threads by state
//   process_resident_memory_bytes, nodejs_eventloop_lag_seconds, … (prom-client's defaults)
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DaemonMetrics, McpServerMetricState } from "./daemonMetrics.js";

export interface PrometheusMetrics {
  readonly metrics: DaemonMetrics;
  readonly contentType: string;
  /** The exposition text of every series now. */
  scrape(): Promise<string>;
}

// Request latencies run from sub-millisecond answers (config/read) to handlers that wait on a turn's
// start or a git walk; the buckets cover 0.5 ms to 10 s.
const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const MCP_STATES: readonly McpServerMetricState[] = ["starting", "ready", "failed", "cancelled"];

export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const connections = new Gauge({ name: "gatehouse_connections", help: "Open client connections.", labelNames: ["transport"], registers: [registry] });
  const connectionsTotal = new Counter({
    name: "gatehouse_connections_total",
    help: "Client connections accepted.",
    labelNames: ["transport"],
    registers: [registry],
  });
  const requests = new Counter({
    name: "gatehouse_requests_total",
    help: "Client JSON-RPC requests answered, by method and outcome (ok, error, cancelled).",
    labelNames: ["method", "outcome"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "gatehouse_request_duration_seconds",
    help: "Client JSON-RPC requests: time from arrival to answer, by method.",
    labelNames: ["method"],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const turnsStarted = new Counter({ name: "gatehouse_turns_started_total", help: "Turns started.", registers: [registry] });
  const turnsFinished = new Counter({
    name: "gatehouse_turns_finished_total",
    help: "Turns finished, by outcome (completed, interrupted, failed).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const turnsRunning = new Gauge({ name: "gatehouse_turns_running", help: "Turns running now.", registers: [registry] });
  const approvalsPending = new Gauge({
    name: "gatehouse_approval_requests_pending",
    help: "Server requests (approvals, elicitations, questions) waiting for a client's answer.",
    labelNames: ["method"],
    registers: [registry],
  });
  const approvals = new Counter({
    name: "gatehouse_approval_requests_total",
    help: "Server requests settled, by method and decision (the client's decision, or failed, aborted, disconnected, timedOut).",
    labelNames: ["method", "decision"],
    registers: [registry],
  });
  const launches = new Counter({
    name: "gatehouse_sandbox_launches_total",
    help: "Launches through the sandbox launcher (commands, MCP servers), by sandbox (bwrap, seatbelt, none) and outcome (launched, refused).",
    labelNames: ["sandbox", "outcome"],
    registers: [registry],
  });
  const proxy = new Counter({
    name: "gatehouse_proxy_connections_total",
    help: "Managed network proxy connections, by outcome (allowed, denied, upstream-failed).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const mcpServers = new Gauge({
    name: "gatehouse_mcp_servers",
    help: "MCP servers of loaded threads, by state.",
    labelNames: ["state"],
    registers: [registry],
  });
  // Every state is a series from the start, so a dashboard sees 0 rather than no data.
  for (const state of MCP_STATES) mcpServers.set({ state }, 0);
  for (const outcome of ["completed", "interrupted", "failed"]) turnsFinished.inc({ outcome }, 0);
  for (const transport of ["ws", "unix", "stdio"]) {
    connections.set({ transport }, 0);
    connectionsTotal.inc({ transport }, 0);
  }

  const metrics: DaemonMetrics = {
    connectionOpened: (transport) => {
      connections.inc({ transport });
      connectionsTotal.inc({ transport });
    },
    connectionClosed: (transport) => connections.dec({ transport }),
    requestFinished: (method, outcome, seconds) => {
      requests.inc({ method, outcome });
      latency.observe({ method }, seconds);
    },
    turnStarted: () => {
      turnsStarted.inc();
      turnsRunning.inc();
    },
    turnFinished: (outcome) => {
      turnsFinished.inc({ outcome });
      turnsRunning.dec();
    },
    serverRequestAsked: (method) => approvalsPending.inc({ method }),
    serverRequestSettled: (method, decision) => {
      approvalsPending.dec({ method });
      approvals.inc({ method, decision });
    },
    sandboxLaunch: (sandbox, outcome) => launches.inc({ sandbox, outcome }),
    proxyConnection: (outcome) => proxy.inc({ outcome }),
    mcpServerState: (from, to) => {
      if (from !== null) mcpServers.dec({ state: from });
      if (to !== null) mcpServers.inc({ state: to });
    },
  };
  return { metrics, contentType: registry.contentType, scrape: () => registry.metrics() };
}
