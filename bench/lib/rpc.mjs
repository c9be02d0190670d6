// Client side of the app-server wire: JSON-RPC 2.0 without the "jsonrpc" member, one JSON per
// stdio line or per WebSocket text frame. `request` resolves with the response message, the
// time it was sent and the time it arrived (performance.now(), taken when the bytes arrived,
// before parsing), so latency = t - sentAt. Notifications and server requests are ignored.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export class Rpc {
  constructor(sendText) {
    this.sendText = sendText;
    this.nextId = 1;
    this.pending = new Map();
    this.closed = null;
  }

  onText(text, t) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return; // not JSON: not ours to judge here
    }
    if (!msg || msg.method !== undefined || !this.pending.has(msg.id)) return;
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    p.resolve({ msg, t, sentAt: p.sentAt });
  }

  request(method, params, { timeoutMs = 10_000, id = this.nextId++ } = {}) {
    if (this.closed) return Promise.reject(new Error(this.closed));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no response within ${timeoutMs} ms`));
      }, timeoutMs);
      const p = { resolve, reject, timer, sentAt: 0 };
      this.pending.set(id, p);
      p.sentAt = performance.now();
      this.sendText(JSON.stringify({ id, method, params }));
    });
  }

  notify(method, params) {
    if (!this.closed) this.sendText(JSON.stringify({ method, params }));
  }

  close(reason) {
    this.closed ??= reason;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
    }
    this.pending.clear();
  }
}

/** The response's result, or an Error naming the method and the server's error. */
export function resultOf(method, { msg }) {
  if (msg.error) {
    const e = msg.error;
    throw new Error(`${method} answered error ${e.code}: ${String(e.message).slice(0, 160)}`);
  }
  if (!('result' in msg)) throw new Error(`${method}: response without result`);
  return msg.result;
}

export const INITIALIZE_PARAMS = { clientInfo: { name: 'bench', version: '0.0.0' } };

/** initialize + initialized; rejects if initialize is answered with an error. */
export async function handshake(rpc, timeoutMs) {
  resultOf('initialize', await rpc.request('initialize', INITIALIZE_PARAMS, { timeoutMs }));
  rpc.notify('initialized');
}

/** n requests of `method`, one in flight; each latency (ms) is pushed to `out` when given. */
export async function sequentialRequests(rpc, n, { method, params, stepTimeoutMs }, out) {
  for (let i = 0; i < n; i++) {
    const res = await rpc.request(method, params, { timeoutMs: stepTimeoutMs });
    resultOf(method, res);
    out?.push(res.t - res.sentAt);
  }
}

/** An Rpc over a started server's stdin/stdout (see proc.mjs); closed when the server exits. */
export function stdioRpc(srv) {
  const rpc = new Rpc((text) => srv.write(text + '\n'));
  srv.onLine = (line, t) => rpc.onText(line, t);
  srv.exited.then(() => rpc.close(`server ${srv.describeExit()}`));
  return rpc;
}

/**
 * An Rpc over a WebSocket. No Origin header (the `ws` client sends none unless asked; the
 * reference answers 403 to any Origin) and no permessage-deflate (not negotiated by the
 * reference anyway; keeps both servers on the plain path).
 */
export function connectWs(url, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    const rpc = new Rpc((text) => ws.send(text));
    rpc.ws = ws;
    ws.on('message', (data, isBinary) => {
      const t = performance.now();
      if (!isBinary) rpc.onText(data.toString(), t);
    });
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('open', () => resolve(rpc));
    ws.on('error', (err) => {
      reject(err);
      rpc.close(`WebSocket error: ${err.message}`);
    });
    ws.once('close', (code) => rpc.close(`WebSocket closed (${code})`));
  });
}
