// Logging goes to stderr (fd 2) only: in stdio mode stdout carries the protocol.
import pino, { type Logger } from "pino";

export type { Logger };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const LEVELS = new Set<string>(LOG_LEVELS);

export function isLogLevel(level: string): boolean {
  return LEVELS.has(level);
}

/** `level` when it is one (GATEHOUSE_LOG by default), else `fallback`. */
export function createLogger(level: string | undefined = process.env["GATEHOUSE_LOG"], fallback = "info"): Logger {
  const chosen = level && LEVELS.has(level) ? level : fallback;
  return pino({ level: chosen, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: false }));
}
