// Gatehouse on Kubernetes, as typed objects (kubernetes-models 4.x: every field is checked by tsc,
// so a misspelt or misplaced field fails to compile, and `.validate()` checks each object against the
// Kubernetes OpenAPI schema at test time). `render.ts` turns these into the committed YAML;
// manifests.test.ts holds the invariants. README.md beside this file says why each setting is there.
//
// One daemon per workspace: a StatefulSet whose every replica is one daemon with its own two
// PersistentVolumeClaims (the daemon home and the workspace), reached by name through a headless
// Service (`<name>-<ordinal>.<name>.<namespace>.svc:4500`).
//
// Two ways to confine the agent's commands:
//   "bubblewrap"   the daemon's own sandbox (bubblewrap + seccomp inside the container). bubblewrap
//                  needs unprivileged user namespaces, mount and pivot_root, which the runtime's default
//                  seccomp and AppArmor profiles refuse: both are Unconfined for this container.
//   "runtimeClass" the pod runs under gVisor (`gvisor`) or Kata (`kata`); the runtime is the sandbox, the
//                  default seccomp and AppArmor profiles stay, and the daemon runs commands unwrapped
//                  (`-c sandbox_mode=danger-full-access`; a client may name `externalSandbox` per turn).
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { Service } from "kubernetes-models/v1/Service";
import type { IStatefulSetSpec } from "kubernetes-models/apps/v1/StatefulSetSpec";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { IVolume } from "kubernetes-models/v1/Volume";

/** The image's user (Dockerfile: `useradd --uid 10001 gatehouse`). */
export const UID = 10001;
/** The WebSocket listener; /readyz, /healthz and /metrics are served on the same port. */
export const PORT = 4500;
export const PORT_NAME = "ws";
/** The daemon home (the image's GATEHOUSE_HOME): config.toml, auth.json, rollouts. A PVC. */
export const GATEHOUSE_HOME = "/home/gatehouse/.gatehouse";
/** The workspace the agent works in and the daemon's working directory. A PVC. */
export const WORKSPACE = "/workspace";
/**
 * Where the Secret with the WebSocket credential is mounted: inside the daemon home, because the
 * sandbox hides the home from every command it runs, so a sandboxed command cannot read the token.
 */
export const AUTH_DIR = `${GATEHOUSE_HOME}/ws-auth`;
/** The Secret's keys: `token` (capability-token) and `jwt-secret` (signed-bearer-token, HS256, ≥ 32 bytes). */
export const SECRET_KEYS = { "capability-token": "token", "signed-bearer-token": "jwt-secret" } as const;

export type WsAuth = { mode: "capability-token" } | { mode: "signed-bearer-token"; issuer?: string; audience?: string };

export type Isolation = { kind: "bubblewrap" } | { kind: "runtimeClass"; runtimeClassName: string };

export interface GatehouseOptions {
  name: string;
  image: string;
  /** One daemon (and one workspace) per replica. */
  replicas: number;
  auth: WsAuth;
  isolation: Isolation;
  /** The Secret holding the credential (created with kubectl, never committed: see README.md). */
  secretName: string;
  /** `--shutdown-grace`: the daemon's deadline for its own shutdown; past it, it SIGKILLs what runs and exits. */
  shutdownGraceSeconds: number;
  /** Kubernetes' SIGTERM-to-SIGKILL window; must stay above shutdownGraceSeconds. */
  terminationGracePeriodSeconds: number;
  homeStorage: string;
  workspaceStorage: string;
  /** Unset: the cluster's default StorageClass. */
  storageClassName?: string;
}

export const DEFAULTS: GatehouseOptions = {
  name: "gatehouse",
  image: "gatehouse:0.1.0",
  replicas: 1,
  auth: { mode: "capability-token" },
  isolation: { kind: "bubblewrap" },
  secretName: "gatehouse-auth",
  shutdownGraceSeconds: 20,
  terminationGracePeriodSeconds: 30,
  homeStorage: "1Gi",
  workspaceStorage: "10Gi",
};

/**
 * What deploy/kubernetes/measure.mjs measured (README.md, "Resources"), in MiB: the daemon's RSS idle
 * after start, its peak (VmHWM) over ten threads whose first turns ran at once, and the growth over
 * 1,000 turns on one thread that `npm run bench -- --only soak` reports (README.md, "Flags and environment").
 */
export const MEASURED = { idleRssMiB: 57, peakRssMiB: 137, growthPer1000TurnsMiB: 15 } as const;

/**
 * Requests and limits from MEASURED: the memory request holds the daemon's peak plus its growth
 * with room for light commands (ls, rg, git); the limits are headroom for the commands the agent
 * runs (builds, test suites), which share the container's memory cgroup and CPU quota with the daemon.
 */
export const RESOURCES = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "2", memory: "2Gi" },
} as const;

/** /tmp is the only place off the two volumes the daemon writes (PTY temp files, commands' temp files). */
export const TMP_SIZE_LIMIT = "2Gi";

type VolumeClaimTemplate = NonNullable<IStatefulSetSpec["volumeClaimTemplates"]>[number];

function labels(o: GatehouseOptions): Record<string, string> {
  return { "app.kubernetes.io/name": o.name, "app.kubernetes.io/component": "app-server" };
}

/** The daemon's arguments after the image's entrypoint (`/app/dist/gatehouse.mjs`). */
export function daemonArgs(o: GatehouseOptions): string[] {
  const args = ["app-server", "--listen", `ws://0.0.0.0:${PORT}`];
  if (o.auth.mode === "capability-token") {
    args.push("--ws-auth", "capability-token", "--ws-token-file", `${AUTH_DIR}/${SECRET_KEYS["capability-token"]}`);
  } else {
    args.push("--ws-auth", "signed-bearer-token", "--ws-shared-secret-file", `${AUTH_DIR}/${SECRET_KEYS["signed-bearer-token"]}`);
    if (o.auth.issuer !== undefined) args.push("--ws-issuer", o.auth.issuer);
    if (o.auth.audience !== undefined) args.push("--ws-audience", o.auth.audience);
  }
  args.push("--shutdown-grace", String(o.shutdownGraceSeconds));
  // config.toml's sandbox_mode takes read-only, workspace-write or danger-full-access (as the
  // reference's does); there is no externalSandbox mode to name there. Under a sandboxing runtime the
  // default becomes danger-full-access: commands run unwrapped, confined by gVisor or Kata.
  if (o.isolation.kind === "runtimeClass") args.push("-c", "sandbox_mode=danger-full-access");
  return args;
}

function securityContext(o: GatehouseOptions): ISecurityContext {
  const base: ISecurityContext = {
    runAsNonRoot: true,
    runAsUser: UID,
    runAsGroup: UID,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
  };
  if (o.isolation.kind === "bubblewrap") {
    // bubblewrap creates a user namespace (clone/unshare with CLONE_NEWUSER), then mounts and
    // pivot_root inside it; RuntimeDefault seccomp allows none of these without CAP_SYS_ADMIN, and the
    // runtime's default AppArmor profile denies mount. A Localhost seccomp profile that allows them
    // is the narrower alternative (README.md).
    return { ...base, seccompProfile: { type: "Unconfined" }, appArmorProfile: { type: "Unconfined" } };
  }
  return { ...base, seccompProfile: { type: "RuntimeDefault" }, appArmorProfile: { type: "RuntimeDefault" } };
}

function container(o: GatehouseOptions): IContainer {
  return {
    name: "app-server",
    image: o.image,
    args: daemonArgs(o),
    workingDir: WORKSPACE,
    env: [
      { name: "GATEHOUSE_HOME", value: GATEHOUSE_HOME },
      { name: "GATEHOUSE_LOG", value: "info" },
    ],
    ports: [{ name: PORT_NAME, containerPort: PORT, protocol: "TCP" }],
    readinessProbe: { httpGet: { path: "/readyz", port: PORT_NAME }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
    livenessProbe: { httpGet: { path: "/healthz", port: PORT_NAME }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    resources: { requests: { ...RESOURCES.requests }, limits: { ...RESOURCES.limits } },
    securityContext: securityContext(o),
    volumeMounts: [
      { name: "home", mountPath: GATEHOUSE_HOME },
      { name: "workspace", mountPath: WORKSPACE },
      { name: "tmp", mountPath: "/tmp" },
      { name: "ws-auth", mountPath: AUTH_DIR, readOnly: true },
    ],
  };
}

function volumes(o: GatehouseOptions): IVolume[] {
  const key = SECRET_KEYS[o.auth.mode];
  return [
    { name: "tmp", emptyDir: { sizeLimit: TMP_SIZE_LIMIT } },
    // Owned by root, group UID (fsGroup), mode 0440: the daemon reads it through its group.
    { name: "ws-auth", secret: { secretName: o.secretName, items: [{ key, path: key }], defaultMode: 0o440 } },
  ];
}

export function statefulSet(o: GatehouseOptions): StatefulSet {
  const claim = (name: string, storage: string): VolumeClaimTemplate => ({
    metadata: { name },
    spec: {
      accessModes: ["ReadWriteOnce"],
      ...(o.storageClassName !== undefined ? { storageClassName: o.storageClassName } : {}),
      resources: { requests: { storage } },
    },
  });
  return new StatefulSet({
    metadata: { name: o.name, labels: labels(o) },
    spec: {
      serviceName: o.name,
      replicas: o.replicas,
      // Each replica is a workspace of its own: none waits for another to start or stop.
      podManagementPolicy: "Parallel",
      selector: { matchLabels: labels(o) },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      template: {
        metadata: {
          labels: labels(o),
          annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(PORT), "prometheus.io/path": "/metrics" },
        },
        spec: {
          ...(o.isolation.kind === "runtimeClass" ? { runtimeClassName: o.isolation.runtimeClassName } : {}),
          terminationGracePeriodSeconds: o.terminationGracePeriodSeconds,
          // The daemon never calls the Kubernetes API; a mounted service account token would only be
          // something for a command to find.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // The pause container becomes PID 1 and reaps orphans. Node as PID 1 waits only for its own
          // children, so a command's double-forked process would stay a zombie once it exits (unwrapped
          // runs; a bubblewrap run has its own PID namespace and init).
          shareProcessNamespace: true,
          securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, fsGroupChangePolicy: "OnRootMismatch" },
          containers: [container(o)],
          volumes: volumes(o),
        },
      },
      volumeClaimTemplates: [claim("home", o.homeStorage), claim("workspace", o.workspaceStorage)],
    },
  });
}

/** Headless: clients address one daemon (one workspace) by its pod's DNS name, never a load-balanced one. */
export function headlessService(o: GatehouseOptions): Service {
  return new Service({
    metadata: { name: o.name, labels: labels(o) },
    spec: {
      clusterIP: "None",
      selector: labels(o),
      ports: [{ name: PORT_NAME, port: PORT, targetPort: PORT_NAME, protocol: "TCP" }],
    },
  });
}

export function manifests(overrides: Partial<GatehouseOptions> = {}): [Service, StatefulSet] {
  const o = { ...DEFAULTS, ...overrides };
  return [headlessService(o), statefulSet(o)];
}

/** The committed variants: file name → the options it is built from. */
export const VARIANTS: Readonly<Record<string, Partial<GatehouseOptions>>> = {
  "gatehouse.yaml": {},
  "gatehouse-gvisor.yaml": { isolation: { kind: "runtimeClass", runtimeClassName: "gvisor" } },
};
