// The stored threads as 0.80's legacy API shows them: listConversations, getConversationSummary and
// the checks of archiveConversation. Listing, paging and filtering are ThreadIndex's (thread/list's);
// this module picks 0.80's filters and turns each rollout's head into a ConversationSummary.
//
// Observed on 0.80 (conversations made through newConversation, and hand-written rollouts):
// - a summary is the rollout's session_meta: conversationId, path, preview (the first user
//   message), timestamp (session_meta's own string, ms precision), modelProvider, cwd, cliVersion,
//   source, gitInfo {sha, branch, origin_url} or null;
// - listConversations: newest first, pageSize default 25, at most 100, 0 gives 1; only cli and vscode
//   sources; modelProviders absent or null lists the configured provider only, [] every provider;
//   nextCursor "2026-01-03T10-00-28|<uuid>" (the file name's stamp), null once nothing is left;
// - getConversationSummary by conversationId finds rollouts under sessions/ only (an archived one
//   is "no rollout found for conversation id <id>", -32600); by rolloutPath any file, a relative
//   path being taken from the home;
// - archiveConversation refuses a path outside sessions/ ("rollout path `P` must be in sessions
//   directory") and a path of another conversation ("… does not match thread id <id>"), -32600.
//
// Deliberate differences: a cursor that does not parse is an error (0.80 silently started over from
// the newest, which loops a client that pages); a missing or non-rollout file given by path is -32600
// with the reason (0.80: -32603); a session source 0.80 cannot read (0.169's appServer and
// thread_spawn sub-agents) is "unknown" instead of failing the request; archiveConversation refuses
// a relative path as bad params and a missing file as such.
import { realpath } from "node:fs/promises";
import { isAbsolute, resolve, sep } from "node:path";
import type { ConversationSummary, ListConversationsParams, ListConversationsResponse, V1SessionSource } from "../../../protocol/v1/index.js";
import { InvalidInputError, InvalidParamsError, NotFoundError } from "../errors.js";
import { isObj } from "./legacyItems.js";
import { sessionsDir } from "./paths.js";
import type { SessionMetaPayload } from "./rolloutTypes.js";
import type { ThreadIndex } from "./threadIndex.js";
import { applyGitPatches, readGitPatches, type GitPatch } from "./threadMetadata.js";
import { readRolloutHead } from "./threadSummary.js";

/** 0.80 lists only interactive sessions, and those are the CLI's and the IDE's. */
const V1_LISTED_SOURCES = ["cli", "vscode"] as const;

/** A rollout's `source` as 0.80's SessionSource; what 0.80 has no variant for is "unknown". */
export function v1SessionSource(source: unknown): V1SessionSource {
  switch (source) {
    case "cli":
    case "vscode":
    case "exec":
    case "mcp":
    case "unknown":
      return source;
    default:
      break;
  }
  if (isObj(source)) {
    const sub = source.subagent ?? source.subAgent;
    if (sub === "review" || sub === "compact") return { subagent: sub };
    if (isObj(sub) && typeof sub.other === "string") return { subagent: { other: sub.other } };
  }
  return "unknown";
}

/** `meta`'s git already carries thread/metadata/update's edits. */
export function conversationSummary(path: string, meta: SessionMetaPayload, preview: string): ConversationSummary {
  const git = meta.git;
  return {
    conversationId: meta.id,
    path,
    preview,
    timestamp: typeof meta.timestamp === "string" ? meta.timestamp : null,
    modelProvider: meta.model_provider,
    cwd: meta.cwd,
    cliVersion: meta.cli_version,
    source: v1SessionSource(meta.source),
    gitInfo: git ? { sha: git.commit_hash ?? null, branch: git.branch ?? null, origin_url: git.repository_url ?? null } : null,
  };
}

/** thread/list's created-at cursor ("…T10:00:28Z|id") in 0.80's form ("…T10-00-28|id"); ThreadIndex reads both. */
export function v1Cursor(cursor: string | null): string | null {
  return cursor?.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})Z\|/, "$1T$2-$3-$4|") ?? null;
}

export class ConversationSummaries {
  constructor(
    private readonly index: ThreadIndex,
    private readonly home: string,
  ) {}

  /** `defaultProvider`: the configured model provider, listed alone when modelProviders is absent. */
  async list(params: ListConversationsParams, defaultProvider: string): Promise<ListConversationsResponse> {
    const page = await this.index.list({
      cursor: params.cursor ?? null,
      limit: params.pageSize ?? null,
      modelProviders: params.modelProviders ?? [defaultProvider],
      sourceKinds: [...V1_LISTED_SOURCES],
    });
    const patches = await readGitPatches(this.home);
    const items = await Promise.all(
      // A thread archived since the page was read is left out.
      page.data.map((thread) => (thread.path ? this.summaryAt(thread.path, patches).catch(() => null) : null)),
    );
    return { items: items.filter((s): s is ConversationSummary => s !== null), nextCursor: v1Cursor(page.nextCursor ?? null) };
  }

  /** getConversationSummary {conversationId}: a rollout under sessions/, as 0.80 looks only there. */
  async byId(conversationId: string): Promise<ConversationSummary> {
    const at = await this.index.find(conversationId);
    if (!at || at.archived) throw new NotFoundError(`no rollout found for conversation id ${conversationId}`);
    return this.summaryAt(at.path, await readGitPatches(this.home));
  }

  /** getConversationSummary {rolloutPath}: any rollout file; a relative path is taken from the home, as 0.80 does. */
  async byPath(rolloutPath: string): Promise<ConversationSummary> {
    return this.summaryAt(resolve(this.home, rolloutPath), await readGitPatches(this.home));
  }

  /** Refuses an archiveConversation whose rolloutPath is not this conversation's rollout under sessions/. */
  async checkArchivable(conversationId: string, rolloutPath: string): Promise<void> {
    if (!isAbsolute(rolloutPath)) throw new InvalidParamsError(`rolloutPath must be an absolute path, got ${JSON.stringify(rolloutPath)}`);
    const real = await realpath(rolloutPath).catch(() => null);
    if (real === null) throw new NotFoundError(`no rollout found at ${rolloutPath}`);
    const sessions = await realpath(sessionsDir(this.home)).catch(() => sessionsDir(this.home));
    if (!real.startsWith(sessions + sep)) throw new InvalidInputError(`rollout path \`${rolloutPath}\` must be in the sessions directory ${sessions}`);
    const at = await this.index.find(conversationId);
    const own = at && !at.archived ? await realpath(at.path).catch(() => null) : null;
    if (own !== real) throw new InvalidInputError(`rollout path \`${rolloutPath}\` does not match conversation id ${conversationId}`);
  }

  private async summaryAt(path: string, patches: ReadonlyMap<string, GitPatch[]>): Promise<ConversationSummary> {
    const head = await readRolloutHead(path);
    if (!head.meta) throw new InvalidInputError(`${path} is not a rollout: it does not start with session metadata`);
    const meta = { ...head.meta, git: applyGitPatches(head.meta.git, patches.get(head.meta.id.toLowerCase())) };
    return conversationSummary(path, meta, head.preview ?? "");
  }
}
