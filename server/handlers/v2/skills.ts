// skills/list → SkillsService (SKILL.md under the workspace and the home); skills/changed is sent by
// the service's watchers, not here.
import type { SkillsService } from "../../core/skills/skillsService.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = { "skills/list": Handler<ClientRequestTable["skills/list"]> };

export function skillsHandlers(skills: SkillsService): Handlers {
  return {
    "skills/list": async (params) => ({ data: await skills.list(params.cwds ?? [], params.forceReload ?? false) }),
  };
}
