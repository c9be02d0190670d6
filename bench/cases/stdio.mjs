// Request round trip over stdio with one client: after initialize + initialized, the chosen
// cheap method (--method) is sent sequentially, one request in flight, and each latency is
// measured from just before the write to the arrival of the response's bytes. Both servers run
// at once (each idle while the other is measured); after a warm-up the requests are split into
// rounds alternating ours/reference, and p50/p99 are over all measured requests.
import { startServer } from '../lib/proc.mjs';
import { alternate, roundTripRows } from '../lib/rounds.mjs';
import { handshake, sequentialRequests, stdioRpc } from '../lib/rpc.mjs';

export default {
  id: 'stdio',
  title: 'round trip, 1 client, stdio',
  async run({ sides, opts, scratch, log }) {
    const unavailable = {};
    const servers = [];
    try {
      for (const side of sides.filter((s) => !s.unavailable)) {
        const home = scratch.fresh(`stdio-${side.key}`);
        const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
        const rpc = stdioRpc(srv);
        servers.push({ side, srv, home, block: (n, out) => sequentialRequests(rpc, n, opts, out) });
        try {
          await handshake(rpc, opts.stepTimeoutMs);
          await sequentialRequests(rpc, opts.warmupRequests, opts);
        } catch (err) {
          unavailable[side.key] = `start / warm-up: ${err.message}`;
        }
      }
      const res = await alternate({ servers, total: opts.requests, rounds: opts.rounds, unavailable, log, label: 'stdio' });
      return {
        rows: roundTripRows(`${opts.method} ×${opts.requests}`, 1.0, res, unavailable),
        unavailable,
        data: res,
      };
    } finally {
      for (const x of servers) {
        await x.srv.stop();
        x.home.dispose();
      }
    }
  },
};
