// Upstream servers for the managed-network tests: plain HTTP on loopback addresses other than
// 127.0.0.1 (the proxy variables' NO_PROXY sends 127.0.0.1 around the proxy, so a test server there
// would not be a proxied target), serving a folder of files and counting every request it receives,
// so "nothing reached the upstream" is a number. Also the fixtures real tools fetch: a bare git
// repository for the dumb HTTP protocol, and a one-wheel pip "simple" index.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize } from "node:path";

export interface Upstream {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Every request line received, as "METHOD /path". */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves `root` (GET and HEAD; a folder answers its index.html); `body` answers every path instead. */
export async function startUpstream(host: string, options: { root?: string; body?: string } = {}): Promise<Upstream> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`upstreams listen on loopback only, not ${host}`);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    if (options.body !== undefined || options.root === undefined) {
      const body = options.body ?? `hello from ${host}\n`;
      res.writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    const rel = normalize(decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/"));
    let file = join(options.root, rel);
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const data = readFileSync(file);
      // pip reads an index page only when it is labelled HTML.
      res.writeHead(200, { "content-length": data.length, "content-type": file.endsWith(".html") ? "text/html" : "application/octet-stream" });
      res.end(req.method === "HEAD" ? undefined : data);
    } catch {
      res.writeHead(404, { "content-length": 0 });
      res.end();
    }
  });
  server.on("connection", (s) => s.on("error", () => {}));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    url: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.invalid", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.invalid" },
  });

/** A bare repository with one commit on `main`, ready for the dumb HTTP protocol; returns its HEAD commit. */
export function makeBareRepo(dir: string): string {
  const work = mkdtempSync(join(dir, "..", "repo-work-"));
  git(work, "init", "-q", "-b", "main");
  writeFileSync(join(work, "README"), "hello\n");
  git(work, "add", "README");
  git(work, "commit", "-q", "-m", "first");
  git(dir, "init", "-q", "--bare");
  git(work, "push", "-q", dir, "main");
  git(dir, "symbolic-ref", "HEAD", "refs/heads/main");
  git(dir, "update-server-info");
  return git(work, "rev-parse", "HEAD").trim();
}

/** A PEP 503 simple index at `root/simple/` holding one pure-Python wheel, `tinypkg-0.1`. */
export function makePipIndex(root: string): void {
  const wheel = "tinypkg-0.1-py3-none-any.whl";
  mkdirSync(join(root, "simple", "tinypkg"), { recursive: true });
  mkdirSync(join(root, "files"), { recursive: true });
  const script = `
import zipfile, hashlib, base64, sys
out = sys.argv[1]
files = {
  "tinypkg/__init__.py": b"VALUE = 1\\n",
  "tinypkg-0.1.dist-info/METADATA": b"Metadata-Version: 2.1\\nName: tinypkg\\nVersion: 0.1\\n",
  "tinypkg-0.1.dist-info/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
record = ""
for name, data in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record += f"{name},sha256={digest},{len(data)}\\n"
record += "tinypkg-0.1.dist-info/RECORD,,\\n"
with zipfile.ZipFile(out, "w") as z:
    for name, data in files.items():
        z.writestr(name, data)
    z.writestr("tinypkg-0.1.dist-info/RECORD", record)
`;
  execFileSync("python3", ["-c", script, join(root, "files", wheel)]);
  writeFileSync(join(root, "simple", "index.html"), `<!DOCTYPE html><html><body><a href="tinypkg/">tinypkg</a></body></html>\n`);
  writeFileSync(join(root, "simple", "tinypkg", "index.html"), `<!DOCTYPE html><html><body><a href="../../files/${wheel}">${wheel}</a></body></html>\n`);
}
