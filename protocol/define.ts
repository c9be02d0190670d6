// The shape of a method table. Every other artefact (TS types, the JSON Schema bundle, the dispatcher's
// validation, the handler-completeness check and the typed client) is derived from these rows, so a
// method exists on the wire exactly when it has a row.
import * as z from "zod";

/** Params of methods whose reference schema says `"params": {"type": "null"}`. */
export const NoParams = z.null().optional();

/**
 * What dispatching a request needs: its params' schema, its gate and its scope, without its result's
 * schema. The dispatcher loads the heads of the requests whose results are costly to build
 * (protocol/v2/threadParams.ts and the like); the full rows add the result (withResult).
 */
export interface RequestHead<P extends z.ZodType = z.ZodType> {
  readonly kind: "request";
  readonly params: P;
  /** Gated behind `capabilities.experimentalApi` as the reference gates it. */
  readonly experimental?: boolean;
  /**
   * Serialization key: requests with the same key run one after another, in arrival order
   * (dispatch enforces it). `null` means the method runs concurrently with everything else.
   * A method signature: a table of heads holds each request's own params type (method parameters are bivariant).
   */
  scope?(params: z.output<P>): string | null;
}

export interface RequestSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> extends RequestHead<P> {
  readonly result: R;
}

export interface NotificationSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: "notification";
  readonly params: P;
  readonly experimental?: boolean;
}

/** How a request is gated and serialized (RequestHead's experimental and scope). */
export interface RequestOptions<P extends z.ZodType> {
  experimental?: boolean;
  scope?: (params: z.output<P>) => string | null;
}

/** A request's full row in one step: requestHead and withResult together. */
export function request<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, options: RequestOptions<P> = {}): RequestSpec<P, R> {
  return withResult(requestHead(params, options), result);
}

export type RequestHeadTable = Record<string, RequestHead>;

export function requestHead<P extends z.ZodType>(params: P, options: RequestOptions<P> = {}): RequestHead<P> {
  return { kind: "request", params, ...options };
}

/** A request's full row: its head (the very params schema and options) and its result's schema. */
export function withResult<P extends z.ZodType, R extends z.ZodType>(head: RequestHead<P>, result: R): RequestSpec<P, R> {
  return { ...head, result };
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
