// Request round trip with many WebSocket clients: each server is started with
// `--listen ws://127.0.0.1:PORT` (a port found free by binding port 0 and closing it; the
// reference logs "listening on: ws://…" on stderr and serves /readyz and /healthz). It needs no
// auth on loopback, but answers 403 to any Origin header, which Node's `ws` client does not send.
// N clients connect (one JSON per text frame), each initializes, then all send the method
// concurrently, each keeping exactly one request in flight, in rounds alternating
// ours/reference (lib/rounds.mjs); p50/p99 are over every request of every client. The bench process itself
// shares the machine's cores with the server, equally for both.
//
// Two methods are measured, one after the other on the same connections: --method (default
// configRequirements/read, target 0.5×: the request path and the transport, with a 79-byte answer)
// and config/read (target 0.35×: layered config, a 7 KB answer, the heaviest of the cheap reads a
// client sends at start-up, so the one 32 clients at once stress). With --method config/read only
// the second is run.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { sleep, startServer } from '../lib/proc.mjs';
import { connectWs, handshake, sequentialRequests } from '../lib/rpc.mjs';
import { alternate, roundTripRows } from '../lib/rounds.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** First connection doubles as the readiness probe: retried until the server listens. */
async function connectWhenReady(url, srv, timeoutMs) {
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (srv.exitInfo) throw new Error(`server ${srv.describeExit()}`);
    try {
      return await connectWs(url, { timeoutMs: 5000 });
    } catch (err) {
      if (/refused: HTTP/.test(err.message) || performance.now() > end) {
        throw new Error(`${err.message}; server ${srv.describeExit()}`);
      }
      await sleep(50);
    }
  }
}

const allClients = (clients, n, opts, out) => Promise.all(clients.map((c) => sequentialRequests(c, n, opts, out)));

const CONFIG_READ = { method: 'config/read', params: {}, target: 0.35 };

/** What is measured, in order: --method with the generic target, then config/read with its own. */
export function measuredMethods(opts) {
  const chosen = { method: opts.method, params: opts.params, target: 0.5 };
  return opts.method === CONFIG_READ.method ? [{ ...chosen, target: CONFIG_READ.target }] : [chosen, CONFIG_READ];
}

export default {
  id: 'ws',
  title: 'round trip, N clients, WebSocket',
  async run({ sides, opts, scratch, log }) {
    const unavailable = {};
    const servers = [];
    try {
      for (const side of sides.filter((s) => !s.unavailable)) {
        const home = scratch.fresh(`ws-${side.key}`);
        const url = `ws://127.0.0.1:${await freePort()}`;
        const srv = startServer({ argv: [...side.argv, '--listen', url], env: home.env, cwd: home.dir });
        const clients = [];
        servers.push({ side, srv, home, clients });
        try {
          clients.push(await connectWhenReady(url, srv, opts.stepTimeoutMs));
          while (clients.length < opts.clients) clients.push(await connectWs(url));
          await Promise.all(clients.map((c) => handshake(c, opts.stepTimeoutMs)));
        } catch (err) {
          unavailable[side.key] = `start / connect: ${err.message}`;
        }
      }
      const rows = [];
      const data = {};
      const methods = measuredMethods(opts);
      for (const m of methods) {
        const mopts = { ...opts, method: m.method, params: m.params };
        for (const x of servers.filter((s) => !unavailable[s.side.key])) {
          x.block = (n, out) => allClients(x.clients, n, mopts, out);
          try {
            await x.block(opts.warmupPerClient);
          } catch (err) {
            unavailable[x.side.key] = `${m.method} warm-up: ${err.message}`;
            x.srv.killNow();
          }
        }
        const res = await alternate({
          servers,
          total: opts.perClient,
          rounds: opts.rounds,
          unavailable,
          log,
          label: `ws ${m.method}`,
          requestsPerUnit: opts.clients,
        });
        const mrows = roundTripRows(`${m.method}, ${opts.clients} clients ×${opts.perClient}`, m.target, res, unavailable);
        // Two CPU rows would read alike; name the method when there are two.
        if (methods.length > 1) for (const row of mrows) if (!row.metric.startsWith(m.method)) row.metric += ` (${m.method})`;
        rows.push(...mrows);
        data[m.method] = res;
      }
      return { rows, unavailable, data };
    } finally {
      for (const x of servers) {
        for (const c of x.clients) c.ws.terminate();
        await x.srv.stop({ via: 'signal' });
        x.home.dispose();
      }
    }
  },
};
