import { describe, expect, it } from "vitest";
import {
  ARCHES,
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_I386,
  AUDIT_ARCH_X86_64,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  TIOCLINUX,
  TIOCSTI,
  buildSeccompProgram,
  encodeSeccompProgram,
  evaluateSeccomp,
  hostSeccompArch,
  seccompFilterBytes,
} from "./seccomp.js";
import { SandboxUnavailableError } from "./errors.js";

const EPERM = (SECCOMP_RET_ERRNO | 1) >>> 0;

describe.each([
  ["x64", AUDIT_ARCH_X86_64],
  ["arm64", AUDIT_ARCH_AARCH64],
] as const)("seccomp program (%s)", (arch, audit) => {
  const nr = ARCHES[arch].nr;
  const prog = buildSeccompProgram({ arch, tty: false });
  const tty = buildSeccompProgram({ arch, tty: true });
  const run = (p: typeof prog, n: number, args: bigint[] = [], a: number = audit): number => evaluateSeccomp(p, { nr: n, arch: a, args });

  it("denies ptrace, process_vm_*, io_uring_*, pidfd_getfd with EPERM", () => {
    for (const n of [nr.ptrace, nr.process_vm_readv, nr.process_vm_writev, nr.io_uring_setup, nr.io_uring_enter, nr.io_uring_register, nr.pidfd_getfd]) {
      expect(run(prog, n)).toBe(EPERM);
      expect(run(tty, n)).toBe(EPERM);
    }
  });

  it("denies socket(AF_UNIX) including when high bits are set, allows AF_INET/AF_INET6/AF_NETLINK", () => {
    expect(run(prog, nr.socket, [1n])).toBe(EPERM);
    expect(run(prog, nr.socket, [0x100000001n])).toBe(EPERM);
    expect(run(prog, nr.socket, [2n])).toBe(SECCOMP_RET_ALLOW);
    expect(run(prog, nr.socket, [10n])).toBe(SECCOMP_RET_ALLOW);
    expect(run(prog, nr.socket, [16n])).toBe(SECCOMP_RET_ALLOW);
    expect(run(tty, nr.socket, [1n])).toBe(EPERM);
  });

  it("kills on a foreign architecture (i386 socketcall bypass)", () => {
    expect(run(prog, 102, [1n], AUDIT_ARCH_I386)).toBe(SECCOMP_RET_KILL_PROCESS);
    const other = arch === "x64" ? AUDIT_ARCH_AARCH64 : AUDIT_ARCH_X86_64;
    expect(run(prog, 0, [], other)).toBe(SECCOMP_RET_KILL_PROCESS);
  });

  it("blocks TIOCSTI and TIOCLINUX only in tty programs", () => {
    expect(run(tty, nr.ioctl, [0n, BigInt(TIOCSTI)])).toBe(EPERM);
    expect(run(tty, nr.ioctl, [0n, BigInt(TIOCLINUX)])).toBe(EPERM);
    expect(run(tty, nr.ioctl, [0n, 0x100000000n + BigInt(TIOCSTI)])).toBe(EPERM);
    expect(run(tty, nr.ioctl, [0n, 0x5413n])).toBe(SECCOMP_RET_ALLOW); // TIOCGWINSZ
    expect(run(prog, nr.ioctl, [0n, BigInt(TIOCSTI)])).toBe(SECCOMP_RET_ALLOW);
  });

  it("allows ordinary syscalls", () => {
    for (const n of [0, 1, 2, 3, 56, 57, 59, 63, 220, 221]) expect(run(prog, n)).toBe(SECCOMP_RET_ALLOW);
  });
});

describe("seccomp encoding", () => {
  it("x32 syscalls are refused on x86_64", () => {
    const prog = buildSeccompProgram({ arch: "x64", tty: false });
    expect(evaluateSeccomp(prog, { nr: 0x40000000, arch: AUDIT_ARCH_X86_64 })).toBe(EPERM);
    expect(evaluateSeccomp(prog, { nr: 0x40000000 + 41, arch: AUDIT_ARCH_X86_64, args: [2n] })).toBe(EPERM);
  });

  it("encodes struct sock_filter little-endian, 8 bytes per instruction", () => {
    const prog = buildSeccompProgram({ arch: "x64", tty: false });
    const b = encodeSeccompProgram(prog);
    expect(b.length).toBe(prog.length * 8);
    expect([...b.subarray(0, 8)]).toEqual([0x20, 0, 0, 0, 4, 0, 0, 0]); // ld [4] (arch)
    expect(b.readUInt32LE(12)).toBe(AUDIT_ARCH_X86_64);
    expect(prog.length).toBeLessThan(32);
    expect(seccompFilterBytes({ arch: "x64", tty: false }).equals(b)).toBe(true);
  });

  it("refuses unsupported host architectures instead of running without a filter", () => {
    expect(hostSeccompArch("x64")).toBe("x64");
    expect(() => hostSeccompArch("ia32")).toThrow(SandboxUnavailableError);
  });
});
