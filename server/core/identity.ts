// What the server says about itself in `initialize`: the userAgent in the reference's shape,
// `<client>/<version> (<os> <os version>; <arch>) <terminal> (<client>; <client version>)`,
// and the platform fields. OS facts are read once and cached.
import { readFileSync } from "node:fs";
import os from "node:os";
import { GATEHOUSE_VERSION, REFERENCE_VERSION } from "../version.js";

let cachedOs: string | undefined;

function semverish(v: string): string {
  const parts = v
    .split(/[.-]/)
    .filter((p) => /^\d+$/.test(p))
    .slice(0, 3);
  while (parts.length < 3) parts.push("0");
  return parts.join(".");
}

/** "Debian 12.0.0", "Ubuntu 24.4.0", "Mac OS 14.5.0", "Windows 10.0.22631" */
export function osDescription(): string {
  if (cachedOs) return cachedOs;
  let name = os.type();
  let version = os.release();
  if (process.platform === "linux") {
    try {
      const fields = Object.fromEntries(
        readFileSync("/etc/os-release", "utf8")
          .split("\n")
          .map((l) => l.match(/^([A-Z_]+)=(.*)$/))
          .filter((m): m is RegExpMatchArray => m !== null)
          .map((m) => [m[1], (m[2] ?? "").replace(/^"|"$/g, "")]),
      ) as Record<string, string>;
      if (fields["ID"]) name = fields["ID"].charAt(0).toUpperCase() + fields["ID"].slice(1);
      if (fields["VERSION_ID"]) version = fields["VERSION_ID"];
    } catch {
      // no os-release: keep the kernel's name and release
    }
  } else if (process.platform === "darwin") {
    name = "Mac OS";
  }
  cachedOs = `${name} ${semverish(version)}`;
  return cachedOs;
}

function terminal(env: NodeJS.ProcessEnv): string {
  if (env["TERM_PROGRAM"]) return env["TERM_PROGRAM_VERSION"] ? `${env["TERM_PROGRAM"]}/${env["TERM_PROGRAM_VERSION"]}` : env["TERM_PROGRAM"];
  return env["TERM"] || "unknown";
}

const ARCH: Record<string, string> = { x64: "x86_64", arm64: "aarch64", ia32: "x86", arm: "arm" };

export function userAgent(client: { name: string; version: string }, env: NodeJS.ProcessEnv = process.env): string {
  const arch = ARCH[process.arch] ?? process.arch;
  return `${client.name}/${REFERENCE_VERSION} (${osDescription()}; ${arch}) ${terminal(env)} (${client.name}; ${client.version}) gatehouse/${GATEHOUSE_VERSION}`;
}

export function platformFields(): { platformFamily: string; platformOs: string } {
  const platformOs = process.platform === "darwin" ? "macos" : process.platform === "win32" ? "windows" : process.platform;
  return { platformFamily: process.platform === "win32" ? "windows" : "unix", platformOs };
}
