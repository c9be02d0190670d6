// Classic-BPF seccomp program for `bwrap --seccomp FD`, assembled in TypeScript (no native helper).
// bwrap installs it after setting up the namespaces, with no_new_privs, so it binds the command and
// everything it starts.
//
// Decisions, in program order:
//  1. arch != the host's native audit arch (x86_64 or aarch64)  → KILL_PROCESS. A 64-bit process can
//     still enter the i386 ABI (`int 0x80`), whose `socketcall` would bypass rule 4.
//  2. x86_64 only: nr >= 0x40000000 (the x32 ABI)               → EPERM.
//  3. ptrace, process_vm_readv/writev, io_uring_setup/enter/register, pidfd_getfd → EPERM. io_uring
//     can open sockets outside seccomp's view; ptrace would let the command hijack other sandboxed
//     processes; pidfd_getfd would let it copy another process's descriptors, such as the managed
//     network relay's IPC channel to the daemon (only a denial of service, since a socket's owner is
//     the channel it came through, but nothing in a sandbox needs it).
//  4. socket(AF_UNIX, …)                                        → EPERM. A network namespace does not
//     isolate path-based unix sockets (docker.sock, ssh-agent). socketpair stays allowed.
//  5. tty runs only: ioctl(fd, TIOCSTI | TIOCLINUX, …)          → EPERM. PTY sessions keep the
//     controlling terminal (no --new-session), so terminal input injection must be refused here.
//  6. everything else                                           → ALLOW.
//
// Arguments are compared on their low 32 bits: the kernel truncates `socket`'s domain and `ioctl`'s
// request to 32-bit ints, so high bits cannot smuggle a different value past the comparison.
import { SandboxUnavailableError } from "./errors.js";

export type SeccompArch = "x64" | "arm64";

export interface BpfInstruction {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

export const BPF_LD_W_ABS = 0x20;
export const BPF_JEQ_K = 0x15;
export const BPF_JGE_K = 0x35;
export const BPF_RET_K = 0x06;

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const EPERM = 1;
export const AF_UNIX = 1;
export const TIOCSTI = 0x5412;
export const TIOCLINUX = 0x541c;

export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
export const AUDIT_ARCH_I386 = 0x40000003;

const OFF_NR = 0;
const OFF_ARCH = 4;
const offArg = (i: number): number => 16 + 8 * i;

export interface ArchTable {
  readonly audit: number;
  readonly x32: boolean;
  readonly nr: {
    readonly socket: number;
    readonly ioctl: number;
    readonly ptrace: number;
    readonly process_vm_readv: number;
    readonly process_vm_writev: number;
    readonly io_uring_setup: number;
    readonly io_uring_enter: number;
    readonly io_uring_register: number;
    readonly pidfd_getfd: number;
  };
}

export const ARCHES: Readonly<Record<SeccompArch, ArchTable>> = {
  x64: {
    audit: AUDIT_ARCH_X86_64,
    x32: true,
    nr: {
      socket: 41,
      ioctl: 16,
      ptrace: 101,
      process_vm_readv: 310,
      process_vm_writev: 311,
      io_uring_setup: 425,
      io_uring_enter: 426,
      io_uring_register: 427,
      pidfd_getfd: 438,
    },
  },
  arm64: {
    audit: AUDIT_ARCH_AARCH64,
    x32: false,
    nr: {
      socket: 198,
      ioctl: 29,
      ptrace: 117,
      process_vm_readv: 270,
      process_vm_writev: 271,
      io_uring_setup: 425,
      io_uring_enter: 426,
      io_uring_register: 427,
      pidfd_getfd: 438,
    },
  },
};

type Item = { readonly label: string } | { readonly code: number; readonly k: number; readonly jt?: string; readonly jf?: string };

/** Resolves symbolic forward jumps; a jump that does not fit the 8-bit offset is a bug, not a runtime case. */
function assemble(items: readonly Item[]): BpfInstruction[] {
  const labels = new Map<string, number>();
  let pc = 0;
  for (const it of items) {
    if ("label" in it) labels.set(it.label, pc);
    else pc++;
  }
  const out: BpfInstruction[] = [];
  pc = 0;
  for (const it of items) {
    if ("label" in it) continue;
    const rel = (l: string | undefined): number => {
      if (l === undefined) return 0;
      const target = labels.get(l);
      if (target === undefined) throw new Error(`seccomp: unknown label ${l}`);
      const d = target - pc - 1;
      if (d < 0 || d > 255) throw new Error(`seccomp: jump to ${l} out of range`);
      return d;
    };
    out.push({ code: it.code, jt: rel(it.jt), jf: rel(it.jf), k: it.k >>> 0 });
    pc++;
  }
  return out;
}

export interface SeccompOptions {
  readonly arch: SeccompArch;
  /** Adds the TIOCSTI/TIOCLINUX ioctl rule for PTY runs. */
  readonly tty: boolean;
}

export function buildSeccompProgram(opts: SeccompOptions): BpfInstruction[] {
  const a = ARCHES[opts.arch];
  const denied = [
    a.nr.ptrace,
    a.nr.process_vm_readv,
    a.nr.process_vm_writev,
    a.nr.io_uring_setup,
    a.nr.io_uring_enter,
    a.nr.io_uring_register,
    a.nr.pidfd_getfd,
  ];
  const items: Item[] = [
    { code: BPF_LD_W_ABS, k: OFF_ARCH },
    { code: BPF_JEQ_K, k: a.audit, jt: "native", jf: "kill" },
    { label: "native" },
    { code: BPF_LD_W_ABS, k: OFF_NR },
  ];
  if (a.x32) items.push({ code: BPF_JGE_K, k: 0x40000000, jt: "eperm", jf: "x32ok" }, { label: "x32ok" });
  for (const nr of denied) items.push({ code: BPF_JEQ_K, k: nr, jt: "eperm" });
  items.push({ code: BPF_JEQ_K, k: a.nr.socket, jt: "socket", jf: opts.tty ? "ioctlchk" : "allow" });
  if (opts.tty) {
    items.push(
      { label: "ioctlchk" },
      { code: BPF_JEQ_K, k: a.nr.ioctl, jf: "allow" },
      { code: BPF_LD_W_ABS, k: offArg(1) },
      { code: BPF_JEQ_K, k: TIOCSTI, jt: "eperm" },
      { code: BPF_JEQ_K, k: TIOCLINUX, jt: "eperm", jf: "allow" },
    );
  }
  items.push(
    { label: "socket" },
    { code: BPF_LD_W_ABS, k: offArg(0) },
    { code: BPF_JEQ_K, k: AF_UNIX, jt: "eperm", jf: "allow" },
    { label: "allow" },
    { code: BPF_RET_K, k: SECCOMP_RET_ALLOW },
    { label: "eperm" },
    { code: BPF_RET_K, k: (SECCOMP_RET_ERRNO | EPERM) >>> 0 },
    { label: "kill" },
    { code: BPF_RET_K, k: SECCOMP_RET_KILL_PROCESS },
  );
  return assemble(items);
}

/** `struct sock_filter[]` as the kernel reads it: u16 code, u8 jt, u8 jf, u32 k, little-endian. */
export function encodeSeccompProgram(program: readonly BpfInstruction[]): Buffer {
  const b = Buffer.alloc(program.length * 8);
  program.forEach((ins, i) => {
    b.writeUInt16LE(ins.code, i * 8);
    b.writeUInt8(ins.jt, i * 8 + 2);
    b.writeUInt8(ins.jf, i * 8 + 3);
    b.writeUInt32LE(ins.k, i * 8 + 4);
  });
  return b;
}

export function hostSeccompArch(arch: string = process.arch): SeccompArch {
  if (arch === "x64" || arch === "arm64") return arch;
  throw new SandboxUnavailableError(
    "unsupported-arch",
    `no seccomp filter for CPU architecture ${arch} (only x86_64 and aarch64)`,
    "run on x86_64 or aarch64, or use dangerFullAccess or externalSandbox",
  );
}

const cache = new Map<string, Buffer>();

/** The encoded filter for this host, cached per (arch, tty). */
export function seccompFilterBytes(opts: SeccompOptions): Buffer {
  const key = `${opts.arch}:${opts.tty}`;
  let b = cache.get(key);
  if (b === undefined) {
    b = encodeSeccompProgram(buildSeccompProgram(opts));
    cache.set(key, b);
  }
  return b;
}

export interface SeccompData {
  readonly nr: number;
  readonly arch: number;
  /** Syscall arguments as 64-bit values. */
  readonly args?: readonly bigint[];
}

/**
 * Evaluates a program the way the kernel would, for the opcodes this module emits. Used by the unit
 * tests and by `gatehouse doctor` to show the decisions without a kernel.
 */
export function evaluateSeccomp(program: readonly BpfInstruction[], data: SeccompData): number {
  const word = (off: number): number => {
    if (off === OFF_NR) return data.nr >>> 0;
    if (off === OFF_ARCH) return data.arch >>> 0;
    if (off >= 16 && off < 64) {
      const arg = data.args?.[(off - 16) >> 3] ?? 0n;
      const shift = BigInt(((off - 16) & 4) * 8);
      return Number((arg >> shift) & 0xffffffffn);
    }
    throw new Error(`seccomp evaluate: bad offset ${off}`);
  };
  let acc = 0;
  let pc = 0;
  for (let steps = 0; steps < 4096; steps++) {
    const ins = program[pc];
    if (ins === undefined) throw new Error("seccomp evaluate: fell off the program");
    switch (ins.code) {
      case BPF_LD_W_ABS:
        acc = word(ins.k);
        pc++;
        break;
      case BPF_JEQ_K:
        pc += 1 + (acc === ins.k ? ins.jt : ins.jf);
        break;
      case BPF_JGE_K:
        pc += 1 + (acc >= ins.k ? ins.jt : ins.jf);
        break;
      case BPF_RET_K:
        return ins.k >>> 0;
      default:
        throw new Error(`seccomp evaluate: opcode ${ins.code}`);
    }
  }
  throw new Error("seccomp evaluate: no return");
}
