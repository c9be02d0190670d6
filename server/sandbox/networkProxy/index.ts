// The network proxy's public surface: what the launcher, the approval gate and config wire. The rest
// of the folder (front ends, host parsing) is internal to it.
export {
  NetworkProxy,
  NetworkProxyClosedError,
  defaultResolver,
  type Dialer,
  type FrontendKind,
  type NetworkProxyOptions,
  type ProxyEndpoint,
  type ProxyEvent,
  type ProxyPorts,
} from "./server.js";
export {
  blockedLine,
  type AllowReason,
  type ApprovalDecision,
  type DecideFn,
  type DenyReason,
  type NetworkMode,
  type NetworkPolicy,
  type ProxyProtocol,
  type ProxyTarget,
  type ResolvedAddress,
  type Resolver,
} from "./networkPolicy.js";
export { DomainPatternError, normalizeHost } from "./hosts.js";
