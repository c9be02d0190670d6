// Offset cursors, as 0.169 pages model/list and experimentalFeature/list: the cursor is the decimal
// index of the next item, a page holds `limit` items (at least 1; no limit means all), and
// `nextCursor` is null on the last page. Errors carry the reference's texts ("invalid cursor: x",
// "cursor 100 exceeds total models 9"); 0.169 answers them as -32600 errors.
import { DomainError, type DomainErrorData } from "../errors.js";

export class CatalogError extends DomainError {
  override readonly name = "CatalogError";
  readonly kind: "invalidInput" | "notFound";

  constructor(
    readonly code: "invalidCursor" | "modelProviderNotConfigured",
    message: string,
    /** Extra wire data the reference attaches (e.g. {type: "modelProviderNotConfigured", modelProvider}). */
    data?: DomainErrorData,
  ) {
    super(message, data);
    this.kind = code === "invalidCursor" ? "invalidInput" : "notFound";
  }
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** `noun` completes "cursor N exceeds total <noun> M" ("models", "feature flags"). */
export function paginate<T>(items: readonly T[], cursor: string | null | undefined, limit: number | null | undefined, noun: string): Page<T> {
  let start = 0;
  if (cursor !== null && cursor !== undefined) {
    if (!/^\d+$/.test(cursor)) throw new CatalogError("invalidCursor", `invalid cursor: ${cursor}`);
    start = Number(cursor);
    if (!Number.isSafeInteger(start)) throw new CatalogError("invalidCursor", `invalid cursor: ${cursor}`);
    if (start > items.length) throw new CatalogError("invalidCursor", `cursor ${start} exceeds total ${noun} ${items.length}`);
  }
  const size = limit === null || limit === undefined ? items.length : Math.max(1, limit);
  const end = Math.min(items.length, start + size);
  return { data: items.slice(start, end), nextCursor: end < items.length ? String(end) : null };
}
