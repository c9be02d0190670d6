// The one entry point above this layer uses: `selectLauncher(platform)` picks the platform's
// SandboxLauncher (launcherTypes.ts). Platforms plug in through LAUNCHER_FACTORIES, one file per
// launcher; a platform without one gets a launcher that refuses restricted policies with a reason and
// a remedy.
import type { SandboxLauncher } from "./launcherTypes.js";
import { createLinuxLauncher, type LinuxLauncherDeps } from "./linuxLauncher.js";
import { createRefusingLauncher } from "./refusingLauncher.js";
import { createSeatbeltLauncher } from "./seatbeltLauncher.js";
import { createWindowsLauncher } from "./windowsLauncher.js";

export type LauncherFactory = (deps: LinuxLauncherDeps) => SandboxLauncher;

/** One entry per supported platform; a new platform adds its factory here and nothing above changes. */
export const LAUNCHER_FACTORIES: Partial<Record<string, LauncherFactory>> = {
  linux: (deps) => createLinuxLauncher(deps),
  darwin: (deps) =>
    createSeatbeltLauncher({
      ...(deps.fs ? { fs: deps.fs } : {}),
      ...(deps.isExecutable ? { isExecutable: deps.isExecutable } : {}),
    }),
  win32: () => createWindowsLauncher(),
};

export function selectLauncher(platform: string = process.platform, deps: LinuxLauncherDeps = {}): SandboxLauncher {
  const factory = LAUNCHER_FACTORIES[platform];
  if (factory !== undefined) return factory(deps);
  return createRefusingLauncher(
    platform,
    `no sandbox launcher for platform ${platform}`,
    "run on Linux (bubblewrap), or use externalSandbox or dangerFullAccess",
  );
}
