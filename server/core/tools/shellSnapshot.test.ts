import { describe, expect, it } from "vitest";
import { commandLaunch, parseCapturedEnvironment, withoutLogin, type ShellSnapshot } from "./shellSnapshot.js";
import { ShellSnapshotSlot } from "./shellSnapshotSlot.js";

const MARKER = "GATEHOUSE-LOGIN-ENV-test";
const captured = (noise: string, records: string[]): Buffer => Buffer.from(`${noise}\n${MARKER}\n${records.join("\0")}\0`);

describe("withoutLogin", () => {
  it("turns a login shell into a plain one, keeping the script and its positional arguments", () => {
    expect(withoutLogin(["/bin/bash", "-lc", "echo hi"])).toEqual(["/bin/bash", "-c", "echo hi"]);
    expect(withoutLogin(["zsh", "-lc", 'echo "$0 $1"', "name", "one"])).toEqual(["zsh", "-c", 'echo "$0 $1"', "name", "one"]);
    expect(withoutLogin(["/usr/bin/sh", "-lc", "true"])).toEqual(["/usr/bin/sh", "-c", "true"]);
  });

  it("leaves everything else alone", () => {
    expect(withoutLogin(["/bin/bash", "-c", "echo hi"])).toBeNull();
    expect(withoutLogin(["/bin/bash", "-lc"])).toBeNull();
    expect(withoutLogin(["python3", "-lc", "print(1)"])).toBeNull();
    expect(withoutLogin(["/bin/bash", "-l", "-c", "echo"])).toBeNull();
    expect(withoutLogin([])).toBeNull();
  });
});

describe("parseCapturedEnvironment", () => {
  it("reads the records after the marker, whatever the profile printed before it", () => {
    const env = parseCapturedEnvironment(captured("Welcome!\nfortune: be careful", ["PATH=/opt/bin:/usr/bin", "MULTI=a\nb", "EMPTY=", "EQ=x=y"]), MARKER);
    expect(env).toEqual({ PATH: "/opt/bin:/usr/bin", MULTI: "a\nb", EMPTY: "", EQ: "x=y" });
  });

  it("drops exported functions, odd names and the variables each shell sets for itself", () => {
    const env = parseCapturedEnvironment(
      captured("", ["BASH_FUNC_f%%=() {  echo; }", "1BAD=x", "PWD=/home", "OLDPWD=/", "SHLVL=3", "_=/usr/bin/env", "KEEP=1"]),
      MARKER,
    );
    expect(env).toEqual({ KEEP: "1" });
  });

  it("takes the last marker, so a profile that echoes the marker text cannot inject records", () => {
    const out = Buffer.concat([Buffer.from(`\n${MARKER}\nFAKE=1\0`), captured("", ["REAL=1"])]);
    expect(parseCapturedEnvironment(out, MARKER)).toEqual({ REAL: "1" });
  });

  it("answers null when the marker never came (the profile exited early)", () => {
    expect(parseCapturedEnvironment(Buffer.from("PATH=/usr/bin\0"), MARKER)).toBeNull();
  });
});

describe("commandLaunch", () => {
  const base = { PATH: "/usr/bin" };
  const snap: ShellSnapshot = { env: { PATH: "/home/u/.local/bin:/usr/bin", FROM_PROFILE: "1" } };

  it("runs a login command without logging in when the snapshot is ready", async () => {
    expect(await commandLaunch(["/bin/bash", "-lc", "ls"], { env: base, snapshot: async () => snap })).toEqual({
      argv: ["/bin/bash", "-c", "ls"],
      env: snap.env,
    });
  });

  it("logs in as before when there is no snapshot to be had, with the policy's environment", async () => {
    expect(await commandLaunch(["/bin/bash", "-lc", "ls"], { env: base, snapshot: async () => null })).toEqual({ argv: ["/bin/bash", "-lc", "ls"], env: base });
  });

  it("gives a non-login command the policy's environment and does not ask for the snapshot", async () => {
    let asked = 0;
    const shell = { env: base, snapshot: async () => (asked++, snap) };
    expect(await commandLaunch(["/bin/bash", "-c", "ls"], shell)).toEqual({ argv: ["/bin/bash", "-c", "ls"], env: base });
    expect(await commandLaunch(["git", "status"], shell)).toEqual({ argv: ["git", "status"], env: base });
    expect(asked).toBe(0);
  });

  it("leaves the launcher's defaults without a command shell", async () => {
    expect(await commandLaunch(["/bin/bash", "-lc", "ls"], undefined)).toEqual({ argv: ["/bin/bash", "-lc", "ls"] });
  });
});

describe("ShellSnapshotSlot", () => {
  function deferred<T>() {
    let resolve!: (v: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
  }

  it("captures once, answers null until the capture ends, then the snapshot", async () => {
    const d = deferred<ShellSnapshot | null>();
    let runs = 0;
    const slot = new ShellSnapshotSlot(() => ({ key: "k", run: () => (runs++, d.promise) }));
    expect(slot.peek()).toBeNull();
    expect(slot.peek()).toBeNull();
    expect(runs).toBe(1);
    d.resolve({ env: { A: "1" } });
    expect(await slot.settled()).toEqual({ env: { A: "1" } });
    expect(slot.peek()).toEqual({ env: { A: "1" } });
    expect(runs).toBe(1);
  });

  it("captures again when its inputs change, and forgets the stale snapshot at once", async () => {
    let key = "one";
    const slot = new ShellSnapshotSlot(() => ({ key, run: async () => ({ env: { KEY: key } }) }));
    expect(await slot.settled()).toEqual({ env: { KEY: "one" } });
    key = "two";
    expect(slot.peek()).toBeNull();
    expect(await slot.settled()).toEqual({ env: { KEY: "two" } });
  });

  it("lets a command wait for the capture in flight, up to a limit", async () => {
    const d = deferred<ShellSnapshot | null>();
    let runs = 0;
    const slot = new ShellSnapshotSlot(() => ({ key: "k", run: () => (runs++, d.promise) }));
    const waiting = slot.whenReady(5_000);
    setTimeout(() => d.resolve({ env: { A: "1" } }), 30);
    expect(await waiting).toEqual({ env: { A: "1" } });
    expect(runs).toBe(1);
    expect(await slot.whenReady(0)).toEqual({ env: { A: "1" } });

    const stuck = new ShellSnapshotSlot(() => ({ key: "k", run: () => new Promise<ShellSnapshot | null>(() => {}) }));
    expect(await stuck.whenReady(20)).toBeNull();
    const interrupted = new AbortController();
    setTimeout(() => interrupted.abort(), 20);
    expect(await stuck.whenReady(60_000, interrupted.signal)).toBeNull();
  });

  it("does not hand a command the result of a capture whose inputs changed while it waited", async () => {
    let key = "one";
    const first = deferred<ShellSnapshot | null>();
    const slot = new ShellSnapshotSlot(() => ({ key, run: () => (key === "one" ? first.promise : new Promise<ShellSnapshot | null>(() => {})) }));
    const waiting = slot.whenReady(5_000);
    key = "two";
    slot.peek();
    first.resolve({ env: { KEY: "one" } });
    expect(await waiting).toBeNull();
  });

  it("answers a failed capture with null at once, so the command logs in", async () => {
    const slot = new ShellSnapshotSlot(() => ({ key: "k", run: async () => null }));
    expect(await slot.whenReady(5_000)).toBeNull();
    const rejected = new ShellSnapshotSlot(() => ({ key: "k", run: () => Promise.reject(new Error("boom")) }));
    expect(await rejected.whenReady(5_000)).toBeNull();
  });

  it("stays off when the feature is off", async () => {
    const slot = new ShellSnapshotSlot(() => null);
    expect(slot.peek()).toBeNull();
    expect(await slot.settled()).toBeNull();
  });

  it("aborts a capture in flight on close and never starts another", async () => {
    let seen: AbortSignal | undefined;
    let runs = 0;
    const slot = new ShellSnapshotSlot(() => ({
      key: "k",
      run: (signal) => {
        runs++;
        seen = signal;
        return new Promise<ShellSnapshot | null>((r) => signal.addEventListener("abort", () => r(null)));
      },
    }));
    slot.peek();
    slot.close();
    expect(seen?.aborted).toBe(true);
    expect(slot.peek()).toBeNull();
    expect(runs).toBe(1);
  });
});
