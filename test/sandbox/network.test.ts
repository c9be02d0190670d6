// Network and syscall attacks under REAL bubblewrap. Host-side
// services listen on 127.0.0.1 (or a unix socket) and record every contact, so "0 escapes" is checked
// on the host, not only from the command's own report. Each comment names the protection and how the
// test was shown to fail with it removed.
import { spawnSync } from "node:child_process";
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { childProcessSpawner } from "../../server/sandbox/processSpawner.js";
import { runExec } from "../../server/sandbox/spawn.js";
import { NODE, PERL, WS_ONLY, bash, cleanupTempDirs, run, tempDir, transform, workspace } from "./helpers.js";

afterAll(cleanupTempDirs);

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

/** A TCP server on 127.0.0.1 that hands every client a secret and counts connections. */
async function tcpServer(): Promise<{ port: number; contacts: () => number }> {
  let contacts = 0;
  const srv = net.createServer((s) => {
    contacts++;
    s.end("TCP-SECRET\n");
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  closers.push(() => srv.close());
  return { port: (srv.address() as net.AddressInfo).port, contacts: () => contacts };
}

/** A UDP socket on 127.0.0.1 that counts datagrams (used for plain UDP and as a DNS server). */
async function udpServer(): Promise<{ port: number; contacts: () => number }> {
  let contacts = 0;
  const sock = dgram.createSocket("udp4");
  sock.on("message", () => contacts++);
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  closers.push(() => sock.close());
  return { port: sock.address().port, contacts: () => contacts };
}

const nodeEval = (code: string): string[] => [NODE, "-e", code];

describe("network off (workspace-write default)", () => {
  // TCP. Protection: `--unshare-net` (only the sandbox's own lo exists). Shown to fail: without
  // --unshare-net the client printed TCP-SECRET and the server counted 2 contacts.
  it("TCP to a host loopback service: refused, the server sees nothing (node and bash /dev/tcp)", async () => {
    const { ws } = workspace();
    const srv = await tcpServer();
    const code = `require("net").connect(${srv.port},"127.0.0.1").on("data",d=>process.stdout.write("GOT "+d)).on("error",e=>console.log("ERR",e.code))`;
    const r = await run(nodeEval(code), WS_ONLY, ws);
    expect(r.stdout).toMatch(/ERR ECONNREFUSED/);
    const r2 = await run(bash(`exec 3<>/dev/tcp/127.0.0.1/${srv.port} && cat <&3`), WS_ONLY, ws);
    expect(r2.stderr).toMatch(/Connection refused/);
    expect(r.stdout + r2.stdout).not.toContain("TCP-SECRET");
    expect(srv.contacts()).toBe(0);
    expect(r2.sandboxDenial).toMatchObject({ kind: "network" });
  });

  // UDP. Protection: `--unshare-net`. Shown to fail: without it the host socket counted the
  // datagrams (contacts 3).
  it("UDP datagrams to a host loopback port never arrive", async () => {
    const { ws } = workspace();
    const srv = await udpServer();
    const code = `const s=require("dgram").createSocket("udp4");let n=0;const go=()=>s.send("x",${srv.port},"127.0.0.1",()=>{if(++n<3)go();else s.close()});go()`;
    const r = await run(nodeEval(code), WS_ONLY, ws);
    expect(r.exitCode).toBe(0);
    // The host socket is read by this process's event loop: give it a turn to deliver anything sent.
    await new Promise((res) => setImmediate(res));
    expect(srv.contacts()).toBe(0);
  });

  // DNS. Protection: `--unshare-net`. Shown to fail: without it the fake DNS server on host
  // loopback received the query (contacts 1). getent against the system resolver fails either way
  // here (no upstream DNS on the test machine), so the host-side count is the real assertion.
  it("DNS: a query to a resolver on host loopback never arrives; getent fails", async () => {
    const { ws } = workspace();
    const dns = await udpServer();
    const code = `const {Resolver}=require("dns").promises;const r=new Resolver({timeout:500,tries:1});r.setServers(["127.0.0.1:${dns.port}"]);r.resolve4("example.com").then(a=>console.log("RESOLVED",a),e=>console.log("ERR",e.code))`;
    const r = await run(nodeEval(code), WS_ONLY, ws);
    expect(r.stdout).toMatch(/^ERR /);
    const g = await run(bash("getent hosts example.com; echo rc=$?"), WS_ONLY, ws);
    expect(g.stdout).toMatch(/rc=2/);
    await new Promise((res) => setImmediate(res));
    expect(dns.contacts()).toBe(0);
  });

  it("exports CODEX_SANDBOX_NETWORK_DISABLED=1 and shows only the loopback interface", async () => {
    const { ws } = workspace();
    const r = await run(bash("echo marker=$CODEX_SANDBOX_NETWORK_DISABLED; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"), WS_ONLY, ws);
    expect(r.stdout).toBe("marker=1\nlo\n");
  });

  it("network enabled keeps the host network and drops the marker", async () => {
    const { ws } = workspace();
    const srv = await tcpServer();
    const code = `require("net").connect(${srv.port},"127.0.0.1").on("data",d=>process.stdout.write("GOT "+d))`;
    const r = await run(nodeEval(code), { ...WS_ONLY, networkAccess: true }, ws);
    expect(r.stdout).toBe("GOT TCP-SECRET\n");
    expect(r.request.env).not.toHaveProperty("CODEX_SANDBOX_NETWORK_DISABLED");
  });
});

describe("seccomp filter", () => {
  // Protection: seccomp `socket(AF_UNIX)` → EPERM (a netns does not isolate path-based unix
  // sockets). Shown to fail: without `--seccomp`, the command read UNIX-SECRET from the host
  // service and the service counted a contact.
  it("AF_UNIX connect to a host socket (stand-in for docker.sock / ssh-agent) is EPERM", async () => {
    const { ws } = workspace();
    const dir = tempDir("uds");
    const sockPath = path.join(dir, "host.sock");
    let contacts = 0;
    const srv = net.createServer((s) => {
      contacts++;
      s.end("UNIX-SECRET\n");
    });
    await new Promise<void>((r) => srv.listen(sockPath, r));
    closers.push(() => srv.close());
    fs.chmodSync(sockPath, 0o777);
    const code = `require("net").connect(${JSON.stringify(sockPath)}).on("data",d=>process.stdout.write("GOT "+d)).on("error",e=>{console.log("ERR",e.code);process.exitCode=1})`;
    for (const policy of [WS_ONLY, { ...WS_ONLY, networkAccess: true }]) {
      const r = await run(nodeEval(code), policy, ws);
      expect(r.stdout).toBe("ERR EPERM\n");
    }
    const py = await run([PERL, "-MSocket", "-e", `socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!\\n"; print "created\\n"`], WS_ONLY, ws);
    expect(py.stderr).toBe("socket: Operation not permitted\n");
    expect(contacts).toBe(0);
    // socketpair stays available for a tool's own IPC.
    const pair = await run([PERL, "-MSocket", "-e", `socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, 0) or die "$!"; print "pair ok\\n"`], WS_ONLY, ws);
    expect(pair.stdout).toBe("pair ok\n");
  });

  // ptrace. Protection: seccomp ptrace → EPERM. Shown to fail: with ptrace dropped from the
  // denied list, PTRACE_TRACEME returned 0.
  it("ptrace is refused", async () => {
    const { ws } = workspace();
    const r = await run(
      [PERL, "-e", `my $r = syscall(${process.arch === "arm64" ? 117 : 101}, 0, 0, 0, 0); print "ptrace=$r errno=", $!+0, "\\n"`],
      WS_ONLY,
      ws,
    );
    expect(r.stdout).toBe("ptrace=-1 errno=1\n");
  });

  // pidfd_getfd. Protection: seccomp → EPERM, so a command cannot copy another process's descriptors
  // (the managed network relay's IPC channel). Without the rule the call reaches the kernel, which
  // answers EBADF for the bad pidfd given here.
  it("pidfd_getfd is refused", async () => {
    const { ws } = workspace();
    const r = await run([PERL, "-e", `my $r = syscall(438, -1, 0, 0); print "pidfd_getfd=$r errno=", $!+0, "\\n"`], WS_ONLY, ws);
    expect(r.stdout).toBe("pidfd_getfd=-1 errno=1\n");
    const host = spawnSync(PERL, ["-e", `my $r = syscall(438, -1, 0, 0); print "pidfd_getfd=$r errno=", $!+0, "\\n"`], { encoding: "utf8" });
    expect(host.stdout).toBe("pidfd_getfd=-1 errno=9\n");
  });

  // io_uring. Protection: seccomp io_uring_setup → EPERM (io_uring can create sockets outside
  // seccomp's view). Shown to fail: with io_uring_* dropped from the denied list, io_uring_setup
  // returned a file descriptor (3).
  it("io_uring_setup is refused", async () => {
    const { ws } = workspace();
    const r = await run([PERL, "-e", `my $p = "\\0" x 120; my $r = syscall(425, 4, $p); print "io_uring=$r errno=", $!+0, "\\n"`], WS_ONLY, ws);
    expect(r.stdout).toBe("io_uring=-1 errno=1\n");
  });

  // Raw sockets (what ping needs). Protection: `--cap-drop ALL` (no CAP_NET_RAW), and as root also
  // `--unshare-user` (the capabilities left would belong to a user namespace that does not own the
  // network namespace). Shown to fail: with both removed (and --disable-userns), as root, the raw
  // ICMP socket was created; removing only --cap-drop ALL still gave EPERM.
  it("raw sockets are refused", async () => {
    const { ws } = workspace();
    const r = await run([PERL, "-MSocket", "-e", `socket(my $s, PF_INET, SOCK_RAW, 1) or die "raw: $!\\n"; print "raw ok\\n"`], WS_ONLY, ws);
    expect(r.stderr).toBe("raw: Operation not permitted\n");
  });

  // Protection: the arch check (non-native audit arch → KILL_PROCESS). A 64-bit binary enters the
  // i386 ABI with `int 0x80` and calls socketcall(SYS_SOCKET, AF_UNIX), which the x86_64 socket rule
  // never sees. Shown to fail: with the arch check removed the binary exited 0 (socket created).
  it.runIf(process.arch === "x64")("i386 socketcall via int 0x80 is killed (x86_64 only: the compat entry exists there)", async () => {
    const { ws } = workspace();
    const bin = path.join(ws, "i386-socketcall");
    fs.writeFileSync(bin, i386SocketcallElf(), { mode: 0o755 });
    const r = await run(bash(`./i386-socketcall; echo rc=$?`), WS_ONLY, ws);
    expect(r.stdout).toBe("rc=159\n"); // 128 + SIGSYS
  });

  // Terminal injection (the filter part). Protection: the tty program's ioctl rule (TIOCSTI/TIOCLINUX
  // → EPERM), used when a PTY session keeps the controlling terminal. On a non-tty fd the kernel
  // answers ENOTTY, so EPERM proves the filter decided. Shown to fail: with the ioctl rule removed
  // the answer was ENOTTY (25).
  it("tty runs: TIOCSTI and TIOCLINUX are refused by the filter", async () => {
    const { ws } = workspace();
    const req = await transform([PERL, "-e", `for my $req (0x5412, 0x541c) { my $c = "x"; ioctl(STDIN, $req, $c); print $!+0, "\\n" }`], WS_ONLY, ws, {
      launch: { tty: true },
    });
    expect(req.argv).not.toContain("--new-session");
    // The real PTY spawner is not part of this layer yet; run the tty argv over pipes.
    const r = await runExec(req, { spawner: { spawn: (spec) => childProcessSpawner.spawn({ ...spec, tty: false }) } });
    expect(r.stdout).toBe("1\n1\n");
    const plain = await run([PERL, "-e", `my $c = "x"; ioctl(STDIN, 0x5412, $c); print $!+0, "\\n"`], WS_ONLY, ws);
    expect(plain.stdout).toBe("25\n"); // non-tty runs keep the ioctl and rely on --new-session
  });
});

/**
 * A minimal static x86_64 ELF: socketcall(SYS_SOCKET, {AF_UNIX, SOCK_STREAM, 0}) through `int 0x80`,
 * then exit(0) if a socket was created, exit(1) otherwise.
 */
function i386SocketcallElf(): Buffer {
  const base = 0x400000;
  const codeOff = 64 + 56;
  const code = Buffer.from([
    0xb8,
    0x66,
    0,
    0,
    0, // mov eax, 102 (socketcall)
    0xbb,
    0x01,
    0,
    0,
    0, // mov ebx, 1 (SYS_SOCKET)
    0xb9,
    0,
    0,
    0,
    0, // mov ecx, args (patched below)
    0xcd,
    0x80, // int 0x80
    0x31,
    0xff, // xor edi, edi
    0x85,
    0xc0, // test eax, eax
    0x79,
    0x05, // jns +5
    0xbf,
    0x01,
    0,
    0,
    0, // mov edi, 1
    0xb8,
    0x3c,
    0,
    0,
    0, // mov eax, 60 (exit)
    0x0f,
    0x05, // syscall
  ]);
  const args = Buffer.from([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  code.writeUInt32LE(base + codeOff + code.length, 11);
  const size = codeOff + code.length + args.length;
  const h = Buffer.alloc(codeOff);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(h, 0);
  h.writeUInt16LE(2, 16); // ET_EXEC
  h.writeUInt16LE(0x3e, 18); // x86-64
  h.writeUInt32LE(1, 20);
  h.writeBigUInt64LE(BigInt(base + codeOff), 24); // entry
  h.writeBigUInt64LE(64n, 32); // phoff
  h.writeUInt16LE(64, 52); // ehsize
  h.writeUInt16LE(56, 54); // phentsize
  h.writeUInt16LE(1, 56); // phnum
  h.writeUInt32LE(1, 64); // PT_LOAD
  h.writeUInt32LE(5, 68); // R+X
  h.writeBigUInt64LE(0n, 72);
  h.writeBigUInt64LE(BigInt(base), 80);
  h.writeBigUInt64LE(BigInt(base), 88);
  h.writeBigUInt64LE(BigInt(size), 96);
  h.writeBigUInt64LE(BigInt(size), 104);
  h.writeBigUInt64LE(0x1000n, 112);
  return Buffer.concat([h, code, args]);
}
