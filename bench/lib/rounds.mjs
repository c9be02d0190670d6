// Alternating measurement shared by the round-trip cases. `total` units of work per server
// (requests, or requests per client) are split into `rounds` blocks run A B, B A, A B, … (the
// order swaps every round, so neither side always runs right after the other's block); each
// block pushes its latencies into the side's sample and the server's CPU time (all threads,
// /proc) is summed over the blocks. A server that fails is dropped (killed) with its reason.
import { cpuTimeMs } from './procfs.mjs';
import { percentile } from './stats.mjs';

/** The list in round r's order: as given on even rounds, reversed on odd ones. */
export const inTurn = (list, r) => (r % 2 ? [...list].reverse() : list);

/** servers: [{ side, srv, block(n, out) }]; returns { lat: {ours, ref}, cpuMs, requests }. */
export async function alternate({ servers, total, rounds, unavailable, log, label, requestsPerUnit = 1 }) {
  const lat = { ours: [], ref: [] };
  const cpuMs = { ours: 0, ref: 0 };
  const per = Math.ceil(total / rounds);
  for (let r = 0, done = 0; done < total; r++, done += per) {
    log(`${label}: round ${r + 1}/${rounds}`);
    for (const x of inTurn(servers, r).filter((s) => !unavailable[s.side.key])) {
      const cpu0 = cpuTimeMs(x.srv.pid);
      try {
        await x.block(Math.min(per, total - done), lat[x.side.key]);
        cpuMs[x.side.key] += cpuTimeMs(x.srv.pid) - cpu0;
      } catch (err) {
        unavailable[x.side.key] = `round ${r + 1}: ${err.message}`;
        x.srv.killNow(); // dropped: nothing more is measured on it
      }
    }
  }
  return { lat, cpuMs, requests: total * requestsPerUnit };
}

/** p50 (with the target), p99 and server CPU per request rows of a round-trip case. */
export function roundTripRows(what, target, { lat, cpuMs, requests }, unavailable) {
  const ok = (key) => !unavailable[key] && lat[key].length > 0;
  const p = (key, q) => (ok(key) ? percentile(lat[key], q) : null);
  const cpu = (key) => (ok(key) ? (cpuMs[key] * 1000) / requests : null);
  return [
    { metric: `${what} p50`, unit: 'ms', ours: p('ours', 50), ref: p('ref', 50), target },
    { metric: `${what} p99`, unit: 'ms', ours: p('ours', 99), ref: p('ref', 99), target: null },
    { metric: 'server CPU per request', unit: 'µs', ours: cpu('ours'), ref: cpu('ref'), target: null },
  ];
}
