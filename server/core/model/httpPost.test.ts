import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import { httpPost, jsonPieces } from "./httpPost.js";
import { listenOnLoopback, type LoopbackListener } from "./loopback.js";

let listener: LoopbackListener | undefined;

afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handler(req, Buffer.concat(chunks).toString("utf8"), res));
  });
  listener = await listenOnLoopback(server);
  return `http://127.0.0.1:${listener.port}/v1/responses?x=1`;
}

async function drain(body: AsyncIterator<Uint8Array, undefined>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for (let next = await body.next(); !next.done; next = await body.next()) chunks.push(next.value);
  return Buffer.concat(chunks).toString("utf8");
}

describe("httpPost", () => {
  it("sends the body with its length and the headers, and reads the answer as it arrives", async () => {
    let seen: { method?: string; url?: string; headers?: IncomingMessage["headers"]; body?: string } = {};
    const url = await serve((req, body, res) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(200, { "content-type": "text/event-stream", "set-cookie": ["a=1", "b=2"] });
      res.write("data: one\n\n");
      setTimeout(() => res.end("data: two\n\n"), 20);
    });
    const answer = await httpPost(url, { "content-type": "application/json", "x-test": "1" }, '{"k":"ü"}', new AbortController().signal);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Content-Type")).toBe("text/event-stream");
    expect(answer.headers.get("set-cookie")).toBe("a=1, b=2");
    expect(answer.headers.get("retry-after")).toBeNull();
    expect(await drain(answer.body)).toBe("data: one\n\ndata: two\n\n");
    expect(seen).toMatchObject({ method: "POST", url: "/v1/responses?x=1", body: '{"k":"ü"}' });
    expect(seen.headers).toMatchObject({ "content-type": "application/json", "x-test": "1", "content-length": String(Buffer.byteLength('{"k":"ü"}')) });
    // Nothing asks for compression (0.169 does not either), so the body is never encoded.
    expect(seen.headers?.["accept-encoding"]).toBeUndefined();
  });

  it("sends a body larger than one slice byte for byte, a surrogate pair on the slice boundary intact", async () => {
    let seen: { length?: string; body?: string } = {};
    const url = await serve((req, body, res) => {
      seen = { length: req.headers["content-length"], body };
      res.writeHead(200);
      res.end();
    });
    // 16,383 units then an emoji: its two halves straddle the first 16 Ki-unit slice.
    const body = `${"a".repeat(16 * 1024 - 1)}😀${"ü".repeat(40_000)}€😀`;
    const answer = await httpPost(url, {}, body, new AbortController().signal);
    await drain(answer.body);
    expect(seen.length).toBe(String(Buffer.byteLength(body, "utf8")));
    expect(seen.body).toBe(body);
  });

  it("sends a body given as pieces as if joined: small ones together, a large one cut, its length their sum", async () => {
    let seen: { length?: string; body?: string } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen = { length: req.headers["content-length"], body: Buffer.concat(chunks).toString("utf8") };
        res.writeHead(200);
        res.end();
      });
    });
    listener = await listenOnLoopback(server);
    const small = Array.from({ length: 3_000 }, (_, i) => `,{"n":${i},"t":"ü€"}`);
    const large = `${"b".repeat(3 * 16 * 1024 - 1)}😀${"c".repeat(100)}`;
    const pieces = ['{"input":[', ...small.map((p, i) => (i === 0 ? p.slice(1) : p)), "", `,"${large}"`, "]}"];
    const answer = await httpPost(`http://127.0.0.1:${listener.port}/`, {}, pieces, new AbortController().signal);
    await drain(answer.body);
    const joined = pieces.join("");
    expect(seen.length).toBe(String(Buffer.byteLength(joined, "utf8")));
    expect(seen.body).toBe(joined);
    expect((JSON.parse(seen.body ?? "") as { input: unknown[] }).input).toHaveLength(3_001);
  });

  it("sends an empty body with length 0", async () => {
    let seen: { length?: string; body?: string } = {};
    const url = await serve((req, body, res) => {
      seen = { length: req.headers["content-length"], body };
      res.writeHead(200);
      res.end();
    });
    await drain((await httpPost(url, {}, "", new AbortController().signal)).body);
    expect(seen).toEqual({ length: "0", body: "" });
  });

  it("gives an error answer's body as text", async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end('{"error":{"message":"bad key"}}');
    });
    const answer = await httpPost(url, {}, "{}", new AbortController().signal);
    expect(answer.status).toBe(401);
    expect(await answer.text()).toBe('{"error":{"message":"bad key"}}');
  });

  it("rejects with the signal's reason before the answer, and from next() after it", async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200);
      res.write("data: one\n\n");
      // Never ends: only the abort finishes this answer.
    });
    const before = new AbortController();
    const waiting = httpPost(url, {}, "{}", before.signal);
    // At once, before the answer's headers can arrive.
    before.abort(new Error("stop before"));
    await expect(waiting).rejects.toThrow("stop before");

    const during = new AbortController();
    const answer = await httpPost(url, {}, "{}", during.signal);
    const first = await answer.body.next();
    expect(Buffer.from(first.value ?? []).toString()).toBe("data: one\n\n");
    const pending = answer.body.next();
    during.abort(new Error("stop during"));
    await expect(pending).rejects.toThrow("stop during");
  });

  it("an abort after the body ended is harmless", async () => {
    const url = await serve((_req, _body, res) => res.end("done"));
    const controller = new AbortController();
    const answer = await httpPost(url, {}, "{}", controller.signal);
    expect(await answer.text()).toBe("done");
    controller.abort(new Error("late"));
    expect(await answer.body.next()).toEqual({ done: true, value: undefined });
  });

  it("a connection dropped mid-body rejects next()", async () => {
    const url = await serve((req, _body, res) => {
      res.writeHead(200);
      res.write("data: one\n\n");
      setTimeout(() => req.socket.destroy(), 20);
    });
    const answer = await httpPost(url, {}, "{}", new AbortController().signal);
    await answer.body.next();
    await expect(answer.body.next()).rejects.toThrow();
  });

  it("a refused connection rejects with the system's error; other schemes are refused up front", async () => {
    const url = await serve(() => {});
    const port = new URL(url).port;
    await listener?.close();
    listener = undefined;
    await expect(httpPost(`http://127.0.0.1:${port}/`, {}, "{}", new AbortController().signal)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await expect(httpPost("ftp://127.0.0.1/", {}, "{}", new AbortController().signal)).rejects.toThrow("only http and https URLs are supported");
  });

  it("speaks TLS to an https URL and refuses a certificate nobody vouches for", async () => {
    // A self-signed certificate for 127.0.0.1, valid until 2126: made for this test, trusted by nobody.
    const tls = createTlsServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (_req, res) => res.end("should not be reached"));
    let requests = 0;
    tls.on("request", () => requests++);
    listener = await listenOnLoopback(tls);
    await expect(httpPost(`https://127.0.0.1:${listener.port}/v1/responses`, {}, "{}", new AbortController().signal)).rejects.toMatchObject({
      code: "DEPTH_ZERO_SELF_SIGNED_CERT",
    });
    expect(requests).toBe(0);
  });
});

const SELF_SIGNED_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrCqUNyluqL0i1nR/
seVps3F4YgpWsPjr7Tl63voxBgWhRANCAAQQGNxGJbswBwRqd3xukYzzd79tlC1c
2s9QYOt0PTPAChPewzpDaMjR5Mv96CT/tKs7mCmgy37CISoLCyQvvlRL
-----END PRIVATE KEY-----
`;

const SELF_SIGNED_CERT = `-----BEGIN CERTIFICATE-----
MIIBjzCCATagAwIBAgIUHC9FnwfBAUXF3+xTp//Fmqw43BowCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMzE2MjgzNloYDzIxMjYxMDMw
MTYyODM2WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQQGNxGJbswBwRqd3xukYzzd79tlC1c2s9QYOt0PTPAChPewzpDaMjR
5Mv96CT/tKs7mCmgy37CISoLCyQvvlRLo2QwYjAdBgNVHQ4EFgQUYbF5zFI/FOLV
o/2iNOR+88+nNIcwHwYDVR0jBBgwFoAUYbF5zFI/FOLVo/2iNOR+88+nNIcwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC
IEQ2yeJCh4G9RGsFd/sDL1ytMymqGm0yJAmdPPnrkQ04AiAcFMcBP8d/ZA+ZVeRU
upe5hC5rCOVoZPAHYqUN7WXG0Q==
-----END CERTIFICATE-----
`;

describe("jsonPieces", () => {
  it("joins to exactly JSON.stringify, the array's elements one piece each, wherever the array sits", () => {
    const items = [{ a: "ü😀" }, null, [1, 2], "x", undefined, { b: undefined }];
    const bodies: Record<string, unknown>[] = [
      { model: "m", input: items, tools: [], stream: true },
      { input: items, stream: true },
      { model: "m", skipped: undefined, input: items },
      { input: [] },
      { model: "m", input: [], after: undefined },
    ];
    for (const body of bodies) {
      const pieces = jsonPieces(body, "input");
      expect(pieces.join("")).toBe(JSON.stringify(body));
      expect(pieces).toHaveLength((body["input"] as unknown[]).length + 2);
    }
  });
});
