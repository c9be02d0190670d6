// permissionProfile/list and windowsSandbox/readiness, as 0.169 answers them (observed):
// - the built-in profiles first in their fixed order (:read-only, :workspace, :danger-full-access),
//   with description null, then the `[permissions.<id>]` tables of config.toml sorted by id, with
//   their `description`;
// - `allowed` is false for a profile that does not resolve (e.g. `extends` names no profile) and
//   for one that requirements.toml `allowed_permission_profiles` does not allow;
// - a config profile named with the reserved ":" prefix fails the whole list with -32603
//   "failed to resolve permission profiles: permissions profile `:x` uses a reserved built-in profile prefix";
// - offset cursors ("invalid cursor: x", "cursor 9 exceeds total permission profiles 6"; -32600),
//   limit 0 counts as 1; `cwd` adds that folder's trusted project layers.
// Profiles resolve through sandbox/permissionProfiles.ts, the same code that turns a
// profile into the policy a command runs under, so "allowed" means "would run".
import { homedir } from "node:os";
import path from "node:path";
import { RpcError } from "../../../protocol/errors.js";
import type { PermissionProfileListParams, PermissionProfileListResponse, PermissionProfileSummary } from "../../../protocol/v2/config.js";
import { paginate } from "../../core/catalog/pagination.js";
import type { ConfigService } from "../../core/config/configService.js";
import { SandboxPolicyError } from "../../sandbox/errors.js";
import { BUILTIN_PROFILES, resolvePermissionProfile, type PermissionProfileConfig } from "../../sandbox/permissionProfiles.js";
import { windowsSandboxReadiness } from "../../sandbox/windowsSandboxReadiness.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "permissionProfile/list": Handler<ClientRequestTable["permissionProfile/list"]>;
  "windowsSandbox/readiness": Handler<ClientRequestTable["windowsSandbox/readiness"]>;
};

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export async function listPermissionProfileSummaries(config: ConfigService, params: PermissionProfileListParams): Promise<PermissionProfileListResponse> {
  const cwd = params.cwd ?? null;
  const table = cwd !== null ? (await config.read({ cwd })).config["permissions"] : config.effective.toml["permissions"];
  const profiles: Record<string, PermissionProfileConfig> = {};
  for (const [id, value] of Object.entries(isTable(table) ? table : {})) {
    if (id.startsWith(":")) {
      throw RpcError.internal(`failed to resolve permission profiles: permissions profile \`${id}\` uses a reserved built-in profile prefix`);
    }
    // Config as written, unchecked here: resolvePermissionProfile refuses what it cannot read.
    profiles[id] = (isTable(value) ? value : {}) as PermissionProfileConfig;
  }
  const allowedByRequirements = (await config.readRequirements()).requirements?.allowedPermissionProfiles ?? null;
  const context = { cwd: cwd !== null && path.isAbsolute(cwd) ? cwd : process.cwd(), home: homedir() };

  const resolves = (id: string): boolean => {
    try {
      resolvePermissionProfile(id, profiles, context);
      return true;
    } catch (err) {
      if (err instanceof SandboxPolicyError) return false;
      throw err;
    }
  };
  const summary = (id: string, description: string | null): PermissionProfileSummary => ({
    id,
    description,
    allowed: resolves(id) && (allowedByRequirements === null || allowedByRequirements[id] === true),
  });
  const all = [
    ...Object.keys(BUILTIN_PROFILES).map((id) => summary(id, null)),
    ...Object.keys(profiles)
      .sort()
      .map((id) => summary(id, typeof profiles[id]?.description === "string" ? profiles[id].description : null)),
  ];
  return paginate(all, params.cursor, params.limit, "permission profiles");
}

export function permissionHandlers(config: ConfigService): Handlers {
  return {
    "permissionProfile/list": (params) => listPermissionProfileSummaries(config, params),
    "windowsSandbox/readiness": () => ({ status: windowsSandboxReadiness() }),
  };
}
