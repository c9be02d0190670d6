// fuzzyFileSearch: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Maintained by hand. Conventions as misc.ts; a module of its own because it uses no shared type:
// a fresh daemon's first search builds only these few schemas (shared.ts alone is several ms).
import * as z from "zod";
import { request, type RequestTable } from "../define.js";

export const FuzzyFileSearchMatchType = z.enum(["file", "directory"]).register(z.globalRegistry, { id: "FuzzyFileSearchMatchType" });
export type FuzzyFileSearchMatchType = z.infer<typeof FuzzyFileSearchMatchType>;

export const FuzzyFileSearchParams = z
  .object({
    cancellationToken: z.string().nullish(),
    query: z.string(),
    roots: z.array(z.string()),
  })
  .register(z.globalRegistry, { id: "FuzzyFileSearchParams" });
export type FuzzyFileSearchParams = z.infer<typeof FuzzyFileSearchParams>;

/** Superset of [`codex_file_search::FileMatch`] */
export const FuzzyFileSearchResult = z
  .object({
    file_name: z.string(),
    indices: z.array(z.int().min(0)).nullish(),
    match_type: FuzzyFileSearchMatchType,
    path: z.string(),
    root: z.string(),
    score: z.int().min(0),
  })
  .register(z.globalRegistry, { id: "FuzzyFileSearchResult" });
export type FuzzyFileSearchResult = z.infer<typeof FuzzyFileSearchResult>;

export const FuzzyFileSearchResponse = z
  .object({
    files: z.array(FuzzyFileSearchResult),
  })
  .register(z.globalRegistry, { id: "FuzzyFileSearchResponse" });
export type FuzzyFileSearchResponse = z.infer<typeof FuzzyFileSearchResponse>;

/** This module's client request (methods.ts puts it in wire order; v2/requestGroups.ts loads it on its first request). */
export const fuzzyFileSearchRequests = {
  fuzzyFileSearch: request(FuzzyFileSearchParams, FuzzyFileSearchResponse),
} as const satisfies RequestTable;
