// The image builds and runs (npm run test:container; not part of `npm test`). It builds the real
// Dockerfile with Podman against a base image made on this machine (base-image.sh: debootstrap plus
// this machine's node and npm, tagged as the Dockerfile's FROM), starts the image as the README says
// (default CMD, token file mounted, port published), and drives it over WebSocket as a client would:
// /readyz, initialize, thread/start and turns on the offline `demo` provider, whose `ls` runs in
// bubblewrap inside the container. `gatehouse doctor` in the container says the same.
//
// Podman runs with test/container/containers.conf (runc, no default ulimits: see the file) and its
// own storage under the cache folder, so the stand-in base image never shadows a real node image.
// The cache ($GATEHOUSE_CONTAINER_CACHE, default ~/.cache/gatehouse-container) keeps the debootstrap
// root and the storage with its layers: a rerun rebuilds only what changed since (every run builds;
// GATEHOUSE_CONTAINER_NO_CACHE=1 builds every layer again). Needs root (debootstrap, rootful Podman).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { isNotification, itemAs, type Params } from "../helpers/protocol.js";
import { SocketClient } from "../helpers/socketClient.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));
const cache = process.env["GATEHOUSE_CONTAINER_CACHE"] || join(homedir(), ".cache/gatehouse-container");
const IMAGE = "localhost/gatehouse:test";
const BUILD_STAGE = "localhost/gatehouse-build:test";
/** The image's user (Dockerfile `useradd --uid`): the mounted token file must be readable by it. */
const IMAGE_UID = 10001;
const name = `gatehouse-test-${process.pid}`;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; the output is kept, and also appended to `logFile` when given. */
function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; logFile?: string } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? root, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += String(c)));
    child.stderr.on("data", (c: Buffer) => (stderr += String(c)));
    child.once("error", reject);
    child.once("close", (code) => {
      if (opts.logFile) writeFileSync(opts.logFile, `$ ${cmd} ${args.join(" ")}\n${stdout}${stderr}\n`, { flag: "a" });
      resolve({ code, stdout, stderr });
    });
  });
}

const podmanEnv: NodeJS.ProcessEnv = {
  ...process.env,
  CONTAINERS_CONF: join(here, "containers.conf"),
  CONTAINERS_STORAGE_CONF: join(cache, "storage.conf"),
};
const podman = (...args: string[]): Promise<Ran> => run("podman", args, { env: podmanEnv });

async function mustPodman(...args: string[]): Promise<string> {
  const r = await podman(...args);
  if (r.code !== 0) throw new Error(`podman ${args.join(" ")} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout.trim();
}

/** The Dockerfile's base image as Podman resolves its short name (registries.conf's "node" alias). */
function baseImage(): string {
  const arg = /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(join(root, "Dockerfile"), "utf8"));
  if (!arg?.[1]) throw new Error("the Dockerfile has no `ARG NODE_IMAGE=…` default");
  const ref = arg[1];
  const first = ref.split("/")[0] ?? "";
  if (ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) return ref;
  return `docker.io/${ref.includes("/") ? ref : `library/${ref}`}`;
}

/** The status of a WebSocket upgrade sent with these headers (101 when it succeeds). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => {
      ws.close();
      resolve(101);
    });
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once("error", (e) => reject(e));
  });
}

type TurnSandboxPolicy = NonNullable<Params<"turn/start">["sandboxPolicy"]>;

/**
 * One thread on the demo provider, one turn: the demo lists the cwd with `ls`. `policy` overrides the
 * thread's sandbox for the turn. Returns the thread/start result, the turn and its command item.
 */
async function demoTurn(client: SocketClient, cwd: string, sandbox: "read-only" | "workspace-write", policy?: TurnSandboxPolicy) {
  const started = await client.result("thread/start", { cwd, modelProvider: "demo", sandbox, approvalPolicy: "never" });
  const threadId = started.thread.id;
  const input = [{ type: "text" as const, text: "What is in this folder?", text_elements: [] }];
  await client.result("turn/start", { threadId, input, ...(policy ? { sandboxPolicy: policy } : {}) });
  const completed = await client.waitFor(
    isNotification("turn/completed", (p) => p.threadId === threadId),
    30_000,
  );
  const command = await client.waitFor(
    isNotification("item/completed", (p) => p.threadId === threadId && p.item.type === "commandExecution"),
    30_000,
  );
  return {
    started,
    turn: completed.params.turn,
    command: itemAs(command.params.item, "commandExecution"),
  };
}

/** The numbered entries of an `ls /proc`: the pids the command could see. */
const pidsIn = (output: string | null | undefined): number[] =>
  (output ?? "")
    .split("\n")
    .filter((l) => /^\d+$/.test(l))
    .map(Number);

describe("the image (Dockerfile, built and run with Podman)", () => {
  let work = "";
  let url = "";
  let maskedUrl = "";
  const masked = `${name}-masked`;
  let token = "";
  let client: SocketClient | undefined;
  const timings: string[] = [];
  const t0 = Date.now();

  /**
   * Runs the image detached with `args` and the default CMD, publishes 4500 on a free loopback port,
   * and waits for /readyz. (Without systemd, Podman logs that it cannot set the health check's
   * timer; the check runs when asked.) The WebSocket URL.
   */
  async function start(container: string, args: string[]): Promise<string> {
    await mustPodman("run", "--detach", "--name", container, "--publish", "127.0.0.1::4500", ...args, IMAGE);
    const port = (await mustPodman("port", container, "4500/tcp")).split(":").pop();
    for (let i = 0; ; i++) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (ready === 200) return `ws://127.0.0.1:${port}`;
      if (i >= 100) throw new Error(`${container}: no /readyz within 20 s; logs:\n${(await podman("logs", container)).stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    if (process.platform !== "linux" || process.getuid?.() !== 0) {
      throw new Error("the container test needs Linux and root (debootstrap, rootful Podman): run `npm run test:container` as root");
    }
    mkdirSync(cache, { recursive: true });
    writeFileSync(
      join(cache, "storage.conf"),
      `# Written by test/container/container.test.ts: the test's own image store.\n[storage]\ndriver = "overlay"\ngraphroot = "${cache}/storage"\nrunroot = "/run/gatehouse-container"\n`,
    );
    const log = join(cache, "last-run.log");
    writeFileSync(log, "");

    let t = Date.now();
    const base = await run("bash", [join(here, "base-image.sh"), cache, baseImage()], { env: podmanEnv, logFile: log });
    if (base.code !== 0) throw new Error(`base-image.sh failed (${log}):\n${base.stderr.slice(-3000)}`);
    timings.push(`base image ${((Date.now() - t) / 1000).toFixed(1)} s`);

    t = Date.now();
    const noCache = process.env["GATEHOUSE_CONTAINER_NO_CACHE"] === "1" ? ["--no-cache"] : [];
    // --format docker keeps the HEALTHCHECK (OCI images have none); --pull=never: no registry here.
    // The build stage is tagged too (from the layers just built), so that pruning the earlier builds'
    // images (untagged now, they would pile up in the cache) keeps this build's layers for the next run.
    for (const args of [
      [...noCache, "-t", IMAGE],
      ["--target", "build", "-t", BUILD_STAGE],
    ]) {
      const build = await run("podman", ["build", "--pull=never", "--format", "docker", ...args, "."], { env: podmanEnv, logFile: log });
      if (build.code !== 0) throw new Error(`podman build failed (${log}):\n${(build.stdout + build.stderr).slice(-4000)}`);
    }
    const size = Number(await mustPodman("image", "inspect", "--format", "{{.Size}}", IMAGE));
    timings.push(`build ${((Date.now() - t) / 1000).toFixed(1)} s`, `image ${(size / 1e6).toFixed(0)} MB`);
    await podman("image", "prune", "--force");

    work = mkdtempSync(join(tmpdir(), "gatehouse-container-"));
    chmodSync(work, 0o755);
    token = `${randomBytes(32).toString("base64")}\n`;
    const tokenFile = join(work, "token");
    writeFileSync(tokenFile, token, { mode: 0o600 });
    chownSync(tokenFile, IMAGE_UID, IMAGE_UID);
    token = token.trim();
    // The project is the image user's, as the README says: under workspace-write, bubblewrap makes
    // placeholders for protected names (.git, .codex, .agents) in the writable root, as that user.
    const workspace = join(work, "workspace");
    mkdirSync(workspace);
    writeFileSync(join(workspace, "hello.txt"), "hello from the host\n");
    chownSync(workspace, IMAGE_UID, IMAGE_UID);
    chownSync(join(workspace, "hello.txt"), IMAGE_UID, IMAGE_UID);

    t = Date.now();
    // As the README runs it: the default CMD (WebSocket on 0.0.0.0:4500, token auth), the token file
    // mounted, the port published (on loopback here), /proc unmasked for bubblewrap.
    url = await start(name, [
      "--security-opt",
      "systempaths=unconfined",
      "--volume",
      `${tokenFile}:/run/secrets/gatehouse-token:ro`,
      "--volume",
      `${workspace}:/workspace`,
    ]);
    timings.push(`ready ${((Date.now() - t) / 1000).toFixed(1)} s after podman run`);
    // The same without the flag: Podman's masked /proc and read-only /proc/sys.
    maskedUrl = await start(masked, ["--volume", `${tokenFile}:/run/secrets/gatehouse-token:ro`]);
    client = await SocketClient.ws(url, { Authorization: `Bearer ${token}` });
  }, 1_200_000);

  afterAll(async () => {
    client?.close();
    const logs = await podman("logs", name);
    if (logs.code === 0) writeFileSync(join(cache, "container.log"), logs.stdout + logs.stderr);
    await podman("rm", "--force", "--time", "0", name, masked);
    if (work) rmSync(work, { recursive: true, force: true });
    process.stderr.write(`container test: ${[...timings, `total ${((Date.now() - t0) / 1000).toFixed(1)} s`].join(", ")}\n`);
  }, 60_000);

  it("answers /readyz and /healthz, and refuses a WebSocket upgrade without the token", async () => {
    const http = url.replace("ws:", "http:");
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect(await upgradeStatus(url, {})).toBe(401);
    expect(await upgradeStatus(url, { Authorization: "Bearer not-the-token" })).toBe(401);
    expect(await upgradeStatus(url, { Authorization: `Bearer ${token}` })).toBe(101);
  });

  it("initialize, thread/start and a demo turn whose `ls` runs in the sandbox on the mounted workspace", async () => {
    const c = client!;
    const init = await c.result("initialize", { clientInfo: { name: "container-test", version: "1.0.0" } });
    c.send({ method: "initialized" });
    expect(init.codexHome).toBe("/home/gatehouse/.gatehouse");
    expect(init.platformOs).toBe("linux");

    const { started, turn, command } = await demoTurn(c, "/workspace", "workspace-write");
    expect(started.modelProvider).toBe("demo");
    expect(started.sandbox).toMatchObject({ type: "workspaceWrite", writableRoots: [], networkAccess: false });
    expect(turn.status).toBe("completed");
    expect(command.command).toBe("/bin/bash -lc ls");
    expect(command.cwd).toBe("/workspace");
    expect(command.exitCode).toBe(0);
    expect(command.aggregatedOutput?.split("\n")).toContain("hello.txt");
  });

  it("the turn's command runs in bubblewrap: in its own pid namespace, it sees a /proc of its own", async () => {
    // The demo lists its cwd; with /proc as the cwd, that is the process table the command sees. In
    // the sandbox (a fresh /proc in a new pid namespace) it holds bubblewrap's init and the command
    // only, while the daemon knows the command by its pid in the container.
    const { started, turn, command } = await demoTurn(client!, "/proc", "read-only");
    expect(started.sandbox).toMatchObject({ type: "readOnly" });
    expect(turn.status).toBe("completed");
    expect(command.exitCode).toBe(0);
    const pids = pidsIn(command.aggregatedOutput);
    expect(command.aggregatedOutput?.split("\n")).toContain("self");
    expect(pids.length).toBeGreaterThan(0);
    expect(Math.max(...pids)).toBeLessThanOrEqual(3);
    expect(Number(command.processId)).toBeGreaterThan(3);
  });

  it("gatehouse doctor in the running container: every check passes, the default policy runs inside the sandbox", async () => {
    const r = await podman("exec", name, "/app/dist/gatehouse.mjs", "doctor");
    expect(r.stdout).toContain("launcher bubblewrap");
    expect(r.stdout).toContain("✓ /proc: a fresh /proc mounts inside the sandbox (pid namespace)");
    expect(r.stdout).toContain("✓ default policy (read-only): /bin/true ran inside the sandbox");
    expect(r.stdout).not.toContain("✗");
    expect(r.code).toBe(0);
  });

  it("without systempaths=unconfined: doctor says the sandbox cannot run (exit 1), a sandboxed turn is refused, an externalSandbox turn runs", async () => {
    const r = await podman("exec", masked, "/app/dist/gatehouse.mjs", "doctor");
    // The reason is named (a read-only /proc/sys), with the fixes: unmask it, or externalSandbox.
    expect(r.stdout).toContain(
      "✗ nested user namespaces: bubblewrap cannot keep sandboxed commands from making their own user namespaces: /proc/sys is read-only here",
    );
    expect(r.stdout).toContain("cannot open /proc/sys/user/max_user_namespaces: Read-only file system");
    expect(r.stdout).toContain("systempaths=unconfined");
    expect(r.stdout).toContain("use the externalSandbox policy");
    expect(r.stdout).toContain("the default policy cannot run commands");
    expect(r.code).toBe(1);

    const c = await SocketClient.ws(maskedUrl, { Authorization: `Bearer ${token}` });
    try {
      await c.result("initialize", { clientInfo: { name: "container-test", version: "1.0.0" } });
      c.send({ method: "initialized" });
      // Nothing restricted runs unconfined: the command is refused, with the reason.
      const refused = await demoTurn(c, "/proc", "read-only");
      expect(refused.command.exitCode).not.toBe(0);
      expect(refused.command.aggregatedOutput).toContain("/proc/sys is read-only here");
      // The fallback where the container is the sandbox: the command runs unwrapped, in the
      // container's pid namespace, so it finds itself in /proc.
      const { command } = await demoTurn(c, "/proc", "read-only", { type: "externalSandbox", networkAccess: "restricted" });
      expect(command.exitCode).toBe(0);
      expect(pidsIn(command.aggregatedOutput)).toContain(Number(command.processId));
    } finally {
      c.close();
    }
  });

  it("the image's HEALTHCHECK passes", async () => {
    const r = await podman("healthcheck", "run", name);
    expect(r.stdout.trim() || "healthy").toBe("healthy");
    expect(r.code).toBe(0);
  });

  it("podman stop: tini passes SIGTERM on, the daemon shuts down cleanly and exits 0", async () => {
    client?.close();
    client = undefined;
    await mustPodman("stop", "--time", "20", name);
    expect(await mustPodman("inspect", "--format", "{{.State.ExitCode}}", name)).toBe("0");
    expect((await podman("logs", name)).stderr).toContain('"msg":"shut down"');
  });
});
