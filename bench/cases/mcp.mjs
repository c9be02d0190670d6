// One stdio MCP server configured (@modelcontextprotocol/server-everything, a dev dependency): the
// time from sending thread/start on a fresh server and home to the moment the model receives the
// first request of a turn started right after it, which is the first request that carries the
// thread's tool list (both servers start the thread's MCP servers with the thread and let the turn
// wait for them). BENCH_MCP_RUNS (7) fresh servers per side in alternation (A B, B A, …); median per
// side, target ≤ 1.0×. A sample counts only when that first request offers the MCP resource tools
// (so the server did start) on both sides.
import { createRequire } from 'node:module';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deadline, startServer } from '../lib/proc.mjs';
import { inTurn } from '../lib/rounds.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';
import { CONFIG_TOML } from '../lib/scratch.mjs';
import { median } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);
const EVERYTHING = join(require.resolve('@modelcontextprotocol/server-everything/package.json'), '..', 'dist/index.js');
const frame = (ev) => `event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`;

/** A loopback model that answers every request with one short message and records when each arrived. */
function startModel() {
  const model = { baseUrl: '', arrivals: [], close: null };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = null;
      }
      model.arrivals.push({ t: performance.now(), tools: (body?.tools ?? []).map((t) => t?.name ?? t?.type) });
      const item = { type: 'message', role: 'assistant', id: 'm1', status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        frame({ type: 'response.created', response: { id: 'r1' } }) +
          frame({ type: 'response.output_item.added', output_index: 0, item }) +
          frame({ type: 'response.output_item.done', output_index: 0, item }) +
          frame({ type: 'response.completed', response: { id: 'r1', usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } } }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      model.baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
      model.close = () => new Promise((r) => server.close(() => r()));
      resolve(model);
    }),
  );
}

async function sample(side, { scratch, opts }, model) {
  const home = scratch.fresh(`mcp-${side.key}`);
  const config =
    CONFIG_TOML.replace('http://127.0.0.1:9/v1', model.baseUrl) +
    `\n[mcp_servers.everything]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(EVERYTHING)}, "stdio"]\n`;
  writeFileSync(join(home.home, 'config.toml'), config);
  const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
  const rpc = stdioRpc(srv);
  const limit = deadline(opts.stepTimeoutMs * 3, 'mcp: the first model request');
  try {
    await handshake(rpc, opts.stepTimeoutMs);
    const before = model.arrivals.length;
    const started = await rpc.request('thread/start', { cwd: home.dir, approvalPolicy: 'never', sandbox: 'read-only' }, { timeoutMs: opts.stepTimeoutMs });
    const threadId = resultOf('thread/start', started).thread.id;
    resultOf(
      'turn/start',
      await rpc.request('turn/start', { threadId, input: [{ type: 'text', text: 'hi', text_elements: [] }] }, { timeoutMs: opts.stepTimeoutMs }),
    );
    const first = await Promise.race([
      (async () => {
        while (model.arrivals.length <= before) await new Promise((r) => setTimeout(r, 2));
        return model.arrivals[before];
      })(),
      limit,
    ]);
    if (!first.tools.includes('list_mcp_resources')) throw new Error(`the first request offers no MCP tools: ${first.tools.join(',')}`);
    return first.t - started.sentAt;
  } finally {
    limit.cancel();
    await srv.stop();
    home.dispose();
  }
}

export default {
  id: 'mcp',
  title: 'one stdio MCP server configured: thread/start → the first model request with the tool list, fresh server per sample, paired',
  async run(ctx) {
    const runs = Number(process.env.BENCH_MCP_RUNS ?? 7);
    const model = await startModel();
    const times = { ours: [], ref: [] };
    const failed = {};
    try {
      for (let r = 0; r < runs; r++) {
        ctx.log(`mcp: round ${r + 1}/${runs}`);
        for (const side of inTurn(
          ctx.sides.filter((s) => !s.unavailable && !failed[s.key]),
          r,
        )) {
          try {
            times[side.key].push(await sample(side, ctx, model));
          } catch (err) {
            failed[side.key] = err.message;
            ctx.log(`mcp: ${side.name}: ${err.message}`);
          }
        }
      }
    } finally {
      await model.close();
    }
    const value = (k) => (failed[k] || !times[k].length ? null : median(times[k]));
    return {
      rows: [
        { metric: `thread/start → first model request with the MCP tools, median of ${runs}`, unit: 'ms', ours: value('ours'), ref: value('ref'), target: 1.0 },
      ],
      unavailable: Object.fromEntries(Object.entries(failed)),
      data: times,
    };
  },
};
