// The Kubernetes manifests as typed objects: each one passes kubernetes-models' schema validation,
// the invariants README.md promises hold for every variant, and the committed YAML is exactly what
// render.ts produces from them.
import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IVolume } from "kubernetes-models/v1/Volume";
import { parseListenUrl } from "../../server/transport/listen.js";
import { parseWsAuthFlags } from "../../server/transport/auth.js";
import { parseCliOverride } from "../../server/core/config/cliOverrides.js";
import { SandboxModeToml } from "../../server/core/config/configSchema.js";
import {
  AUTH_DIR,
  DEFAULTS,
  GATEHOUSE_HOME,
  MEASURED,
  PORT,
  PORT_NAME,
  RESOURCES,
  UID,
  VARIANTS,
  WORKSPACE,
  manifests,
  type GatehouseOptions,
} from "./manifests.js";
import { renderAll } from "./render.js";

// Every committed variant, plus the alternatives README.md describes (JWT auth, Kata).
const CASES: Record<string, Partial<GatehouseOptions>> = {
  ...VARIANTS,
  "signed-bearer-token": { auth: { mode: "signed-bearer-token", issuer: "https://issuer.example", audience: "gatehouse" } },
  kata: { isolation: { kind: "runtimeClass", runtimeClassName: "kata" } },
};

function build(options: Partial<GatehouseOptions>) {
  const [service, statefulSet] = manifests(options);
  const pod = statefulSet.spec!.template.spec!;
  expect(pod.containers).toHaveLength(1);
  const container = pod.containers[0] as IContainer;
  return { service, statefulSet, pod, container, args: container.args ?? [] };
}

/** The value after `flag` in args; fails when the flag is missing or given twice. */
function flag(args: readonly string[], name: string): string {
  const at = args.flatMap((a, i) => (a === name ? [i] : []));
  expect(at, `${name} once in ${args.join(" ")}`).toHaveLength(1);
  const value = args[at[0]! + 1];
  expect(value, `a value after ${name}`).toBeDefined();
  return value!;
}

/** The `--ws-*` flags as the daemon's parser receives them. */
function wsFlags(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  args.forEach((a, i) => {
    if (a.startsWith("--ws-")) out[a.slice(2)] = args[i + 1]!;
  });
  return out;
}

function mebibytes(quantity: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!m) throw new Error(`unexpected quantity ${quantity}`);
  return Number(m[1]) * (m[2] === "Gi" ? 1024 : 1);
}

function millicores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

describe.each(Object.entries(CASES))("%s", (_name, options) => {
  const o = { ...DEFAULTS, ...options };

  it("passes kubernetes-models' schema validation, every object", () => {
    for (const object of manifests(options)) expect(() => object.validate()).not.toThrow();
  });

  it("gives Kubernetes more time than --shutdown-grace before SIGKILL", () => {
    const { pod, args } = build(options);
    const grace = Number(flag(args, "--shutdown-grace"));
    expect(Number.isInteger(grace) && grace > 0).toBe(true);
    // Room after the daemon's own deadline for the hard stop: killing process trees, flushing rollouts.
    expect(pod.terminationGracePeriodSeconds!).toBeGreaterThanOrEqual(grace + 5);
  });

  it("probes /readyz and /healthz on the WebSocket listener's port", () => {
    const { container, args } = build(options);
    const listen = parseListenUrl(flag(args, "--listen"));
    expect(listen).toMatchObject({ kind: "ws", host: "0.0.0.0", port: PORT });
    const port = container.ports!.find((p) => p.name === PORT_NAME);
    expect(port?.containerPort).toBe(PORT);
    expect(container.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: PORT_NAME });
    expect(container.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: PORT_NAME });
  });

  it("reads the WebSocket credential from a Secret volume, at the path the flags name, inside the daemon home", () => {
    const { pod, container, args } = build(options);
    // The daemon's own parser accepts the flags (a wrong combination would stop it at start-up).
    const auth = parseWsAuthFlags(wsFlags(args));
    expect(auth?.mode).toBe(o.auth.mode);
    const file = auth?.mode === "capability-token" ? (auth.token.kind === "file" ? auth.token.path : undefined) : auth?.sharedSecretFile;
    expect(file).toBeDefined();
    const mount = container.volumeMounts!.find((m) => m.mountPath === posix.dirname(file!));
    expect(mount?.readOnly).toBe(true);
    const volume = pod.volumes!.find((v) => v.name === mount!.name) as IVolume;
    expect(volume.secret?.secretName).toBe(o.secretName);
    expect(volume.secret?.items).toEqual([{ key: posix.basename(file!), path: posix.basename(file!) }]);
    // Under the home, which the sandbox hides from every command, so the model cannot read it.
    expect(posix.dirname(file!)).toBe(AUTH_DIR);
    expect(AUTH_DIR.startsWith(`${GATEHOUSE_HOME}/`)).toBe(true);
    // Readable through the fsGroup, by nobody else.
    expect(pod.securityContext?.fsGroup).toBe(UID);
    expect(volume.secret?.defaultMode).toBe(0o440);
  });

  it("keeps the daemon home and the workspace on the claims, /tmp on an emptyDir, the rest read-only", () => {
    const { statefulSet, pod, container } = build(options);
    const claims = statefulSet.spec!.volumeClaimTemplates!.map((c) => c.metadata!.name);
    expect(claims).toEqual(["home", "workspace"]);
    const mounts = Object.fromEntries(container.volumeMounts!.map((m) => [m.name, m.mountPath]));
    expect(container.env).toContainEqual({ name: "GATEHOUSE_HOME", value: GATEHOUSE_HOME });
    expect(mounts["home"]).toBe(GATEHOUSE_HOME);
    expect(mounts["workspace"]).toBe(WORKSPACE);
    expect(container.workingDir).toBe(WORKSPACE);
    expect(mounts["tmp"]).toBe("/tmp");
    expect(pod.volumes!.find((v) => v.name === "tmp")?.emptyDir).toBeDefined();
    // Every mount is a claim or a pod volume, and the writable ones are exactly home, workspace, /tmp.
    const podVolumes = pod.volumes!.map((v) => v.name);
    for (const m of container.volumeMounts!) expect([...claims, ...podVolumes]).toContain(m.name);
    expect(container.volumeMounts!.filter((m) => m.readOnly !== true).map((m) => m.mountPath)).toEqual([GATEHOUSE_HOME, WORKSPACE, "/tmp"]);
  });

  it("runs as the image's non-root user with no privileges, and confines commands as documented", () => {
    const { pod, container, args } = build(options);
    const sc = container.securityContext!;
    expect(sc).toMatchObject({
      runAsNonRoot: true,
      runAsUser: UID,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
    });
    expect(sc.privileged).toBeUndefined();
    expect(sc.capabilities?.add).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.shareProcessNamespace).toBe(true);
    expect(pod.hostUsers).toBeUndefined();
    const overrides = args.flatMap((a, i) => (args[i - 1] === "-c" ? [parseCliOverride(a)] : []));
    if (o.isolation.kind === "bubblewrap") {
      // bubblewrap's user namespace, mounts and pivot_root need both profiles lifted for this container.
      expect(sc.seccompProfile).toEqual({ type: "Unconfined" });
      expect(sc.appArmorProfile).toEqual({ type: "Unconfined" });
      expect(pod.runtimeClassName).toBeUndefined();
      expect(overrides).toEqual([]);
    } else {
      // The runtime is the sandbox: default profiles, and the daemon runs commands unwrapped.
      expect(pod.runtimeClassName).toBe(o.isolation.runtimeClassName);
      expect(sc.seccompProfile).toEqual({ type: "RuntimeDefault" });
      expect(sc.appArmorProfile).toEqual({ type: "RuntimeDefault" });
      // config.toml's sandbox_mode cannot name externalSandbox; danger-full-access is its unwrapped mode.
      expect(overrides).toMatchObject([{ ok: true, segments: ["sandbox_mode"], value: "danger-full-access" }]);
      expect(SandboxModeToml.safeParse("danger-full-access").success).toBe(true);
    }
  });

  it("serves the pods through a headless Service the StatefulSet names", () => {
    const { service, statefulSet, pod } = build(options);
    expect(service.spec?.clusterIP).toBe("None");
    expect(statefulSet.spec?.serviceName).toBe(service.metadata?.name);
    expect(service.spec?.selector).toEqual(statefulSet.spec?.template.metadata?.labels);
    expect(statefulSet.spec?.selector.matchLabels).toEqual(statefulSet.spec?.template.metadata?.labels);
    expect(service.spec?.ports).toEqual([{ name: PORT_NAME, port: PORT, targetPort: PORT_NAME, protocol: "TCP" }]);
    expect(statefulSet.spec?.template.metadata?.annotations).toMatchObject({ "prometheus.io/port": String(PORT), "prometheus.io/path": "/metrics" });
    expect(pod.containers[0]?.ports?.map((p) => p.name)).toContain(PORT_NAME);
  });

  it("requests what was measured and limits with headroom for the agent's commands", () => {
    const { container } = build(options);
    const { requests, limits } = container.resources!;
    expect(requests).toEqual(RESOURCES.requests);
    expect(limits).toEqual(RESOURCES.limits);
    expect(mebibytes(requests!["memory"] as string)).toBeGreaterThan(MEASURED.peakRssMiB + MEASURED.growthPer1000TurnsMiB);
    expect(mebibytes(limits!["memory"] as string)).toBeGreaterThanOrEqual(4 * mebibytes(requests!["memory"] as string));
    expect(millicores(limits!["cpu"] as string)).toBeGreaterThan(millicores(requests!["cpu"] as string));
  });
});

describe("the committed YAML", () => {
  it("is exactly what the typed objects render to (node deploy/kubernetes/generate.mjs rewrites it)", () => {
    for (const [name, text] of Object.entries(renderAll())) {
      expect(readFileSync(new URL(name, import.meta.url), "utf8"), `deploy/kubernetes/${name} is stale`).toBe(text);
    }
  });

  it("holds no Secret: the credential is created with kubectl, never committed", () => {
    for (const text of Object.values(renderAll())) expect(text).not.toMatch(/^kind: Secret$/m);
  });
});

describe("typing", () => {
  it("refuses an excess property at compile time (tsc checks this file); validate() alone would not", () => {
    const object = new StatefulSet({
      metadata: { name: "x" },
      spec: {
        selector: {},
        template: {},
        // @ts-expect-error `replica` is not a StatefulSetSpec field (the field is `replicas`)
        replica: 1,
      },
    });
    // The OpenAPI schema allows unknown fields, so only the compiler catches this one.
    expect(() => object.validate()).not.toThrow();
  });
});
