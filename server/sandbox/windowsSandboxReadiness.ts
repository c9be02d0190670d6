// windowsSandbox/readiness answers "notConfigured": the state 0.169 reports before its own Windows
// sandbox setup has run, which is the state this server is always in (windowsLauncher.ts refuses
// every policy that needs a local sandbox). A file of its own so that the handler, which the daemon
// loads at start-up, does not load the launcher.
export type WindowsSandboxReadiness = "ready" | "notConfigured" | "updateRequired";

/** The same on every host, since no Windows sandbox is ever set up. */
export function windowsSandboxReadiness(): WindowsSandboxReadiness {
  return "notConfigured";
}
