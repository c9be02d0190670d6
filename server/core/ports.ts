// The interfaces core and handlers use to reach upward (toward a client) without importing rpc.
// rpc implements them; server/app.ts wires them, so data flows one way and core never imports rpc.
import type { EventDetail } from "./events/eventDetail.js";
import type { AskForApproval, FileUpdateChange, ThreadStatus } from "../../protocol/v2/index.js";
import type { Logger } from "../log.js";
import type { SandboxPolicy } from "../sandbox/sandboxPolicy.js";
import type { SplitSandboxPolicy } from "../sandbox/splitSandboxPolicy.js";

/** The approval policies a thread runs under: v2's, and "on-failure", which only the v1 API (0.80) sets. */
export type ApprovalPolicy = AskForApproval | "on-failure";

/** What a connection negotiated in `initialize`; owned by rpc, read by dispatch and handlers. */
export interface Session {
  readonly connectionId: number;
  readonly transport: "stdio" | "unix" | "ws";
  initialized: boolean;
  clientInfo: { name: string; title?: string | null | undefined; version: string } | null;
  experimentalApi: boolean;
  optOutNotificationMethods: ReadonlySet<string>;
}

export interface ServerRequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with the JSON-RPC id the request went out with (for `serverRequest/resolved`). */
  onSent?: (requestId: number | string) => void;
}

/** One client, seen from the server: notifications and server→client requests toward it. */
export interface ClientSink {
  readonly session: Session;
  readonly closed: boolean;
  notify(method: string, params: unknown): void;
  request(method: string, params: unknown, options?: ServerRequestOptions): Promise<unknown>;
  /** Runs when the connection closes (pending server requests are rejected first). */
  onClose(listener: () => void): void;
}

export interface RequestContext {
  readonly client: ClientSink;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** A server→client request that will never be answered: cancelled, timed out, or its connection closed. */
export class ServerRequestAbandoned extends Error {
  constructor(
    readonly method: string,
    readonly reason: string,
  ) {
    super(`server request ${method} abandoned: ${reason}`);
    this.name = "ServerRequestAbandoned";
  }
}

/** What a server request (an approval, a tool's question) needs of the thread it belongs to (ThreadState fits). */
export interface ServerRequestThread {
  readonly id: string;
  readonly subscribers: ReadonlySet<ClientSink>;
  /**
   * Calls `listener` with each client that subscribes from now on, once its subscribing request has
   * been answered; returns the unsubscribe. Absent where a thread cannot gain subscribers.
   */
  onSubscribe?(listener: (client: ClientSink) => void): () => void;
  readonly status: ThreadStatus;
  setStatus(status: ThreadStatus): void;
  emit(method: string, params: unknown, detail?: EventDetail): void;
  /** The API that loaded the thread: "v1" threads are asked with 0.80's approval requests. */
  readonly api?: "v1" | "v2";
}

/**
 * The one approval hook of the turn engine: every command and patch asks it before running.
 * The turn engine fills `request`; the approvals layer decides (policy, caches, asking the client).
 */
export type ApprovalRequest =
  | {
      readonly kind: "command";
      readonly thread: ServerRequestThread;
      readonly threadId: string;
      readonly turnId: string;
      readonly itemId: string;
      readonly approvalPolicy: ApprovalPolicy;
      readonly command: readonly string[];
      readonly cwd: string;
      /** The model asked to run outside the sandbox (`sandbox_permissions: "require_escalated"`). */
      readonly escalated: boolean;
      readonly justification: string | null;
      /** The thread's sandbox policy and what the command is launched with: the gate finds the program a
       * known-safe command runs on this PATH and checks it lies outside the policy's writable roots. */
      readonly sandboxPolicy: SandboxPolicy | SplitSandboxPolicy;
      /** The PATH the command is launched with (null: none). */
      readonly envPath: string | null;
      /** The TMPDIR the command is launched with (a writable root of workspace-write); null: none. */
      readonly envTmpdir: string | null;
      /** Runs once, just before the client is asked (the item must be on the wire before its request). */
      readonly beforeAsk?: () => void;
    }
  | {
      readonly kind: "fileChange";
      readonly thread: ServerRequestThread;
      readonly threadId: string;
      /** The turn's cwd (paths in a patch are resolved against it). */
      readonly cwd: string;
      readonly turnId: string;
      readonly itemId: string;
      readonly approvalPolicy: ApprovalPolicy;
      /**
       * The canonical paths the patch writes, fixed when it was verified (a move's source and
       * destination): symlinks resolved, except that a deleted link is the link itself. The gate
       * decides and caches on them as given; resolving them again would judge a link's target.
       */
      readonly paths: readonly string[];
      /** The item's changes, for the v1 request that lists them (0.80's applyPatchApproval `fileChanges`). */
      readonly changes?: readonly FileUpdateChange[];
      /** True when every path is inside a writable root of the sandbox policy. */
      readonly withinWritableRoots: boolean;
      readonly justification: string | null;
    };

/** Extra sandbox permissions (absolute paths), as granted through `item/permissions/requestApproval`. */
export interface GrantedPermissions {
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly network: boolean;
}

export interface PermissionsRequest {
  readonly thread: ServerRequestThread;
  readonly threadId: string;
  readonly turnId: string;
  /** The model's call id. */
  readonly itemId: string;
  readonly approvalPolicy: ApprovalPolicy;
  readonly cwd: string;
  /** The model's `permissions` argument, as sent (snake_case `file_system`). */
  readonly permissions: unknown;
  readonly reason: string | null;
}

export type ApprovalOutcome =
  /**
   * Run it; `sandboxed: false` only after the client approved running outside the sandbox. A
   * sandboxed command gets `permissions` on top of the turn's sandbox (the "permissions" mode).
   */
  | { readonly decision: "approved"; readonly sandboxed: boolean; readonly permissions?: GrantedPermissions }
  /** Do not run; the model is told and the turn continues. */
  | { readonly decision: "declined"; readonly message: string }
  /** Do not run and end the turn as interrupted. */
  | { readonly decision: "cancel" };

export interface ApprovalGate {
  check(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalOutcome>;
  /** The request_permissions tool: asks the client, records the grant, returns the model's output. */
  requestPermissions?(request: PermissionsRequest, signal: AbortSignal): Promise<string>;
}
