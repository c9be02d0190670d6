// The shape of a method table. Every other artefact (TS types, the JSON Schema bundle, the dispatcher's
// validation, the handler-completeness check and the typed client) is derived from these rows, so a
// method exists on the wire exactly when it has a row.
import * as z from "zod";

/** Params of methods whose reference schema says `"params": {"type": "null"}`. */
export const NoParams = z.null().optional();

export interface RequestSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly kind: "request";
  readonly params: P;
  readonly result: R;
  /** Gated behind `capabilities.experimentalApi` as the reference gates it. */
  readonly experimental?: boolean;
  /**
   * Serialization key: requests with the same key run one after another, in arrival order
   * (dispatch enforces it). `null` means the method runs concurrently with everything else.
   */
  readonly scope?: (params: z.output<P>) => string | null;
}

export interface NotificationSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: "notification";
  readonly params: P;
  readonly experimental?: boolean;
}

export function request<P extends z.ZodType, R extends z.ZodType>(
  params: P,
  result: R,
  options: { experimental?: boolean; scope?: (params: z.output<P>) => string | null } = {},
): RequestSpec<P, R> {
  return { kind: "request", params, result, ...options };
}

export function notification<P extends z.ZodType>(params: P, options: { experimental?: boolean } = {}): NotificationSpec<P> {
  return { kind: "notification", params, ...options };
}

/** Scope helpers for the table rows. */
export const byThread = (p: unknown): string | null => {
  const id = (p as { threadId?: unknown } | null | undefined)?.threadId;
  return typeof id === "string" ? `thread:${id}` : null;
};
export const global = (name: string) => (): string => `global:${name}`;

export type RequestTable = Record<string, RequestSpec>;
export type NotificationTable = Record<string, NotificationSpec>;

export interface ProtocolTable {
  readonly clientRequests: RequestTable;
  readonly serverRequests: RequestTable;
  readonly serverNotifications: NotificationTable;
  readonly clientNotifications: NotificationTable;
}

/** What a sender passes (defaults not yet applied). */
export type ParamsOf<T extends Record<string, RequestSpec | NotificationSpec>, M extends keyof T> = z.input<T[M]["params"]>;
/** What a receiver gets after validation. */
export type ParsedParamsOf<T extends Record<string, RequestSpec | NotificationSpec>, M extends keyof T> = z.output<T[M]["params"]>;
export type ResultOf<T extends RequestTable, M extends keyof T> = z.output<T[M]["result"]>;
