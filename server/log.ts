// Logging goes to stderr (fd 2) only: in stdio mode stdout carries the protocol.
import pino, { type Logger } from "pino";

export type { Logger };

const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

export function createLogger(level: string | undefined = process.env["GATEHOUSE_LOG"]): Logger {
  const chosen = level && LEVELS.has(level) ? level : "info";
  return pino({ level: chosen, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: false }));
}
