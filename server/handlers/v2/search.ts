// fuzzyFileSearch → FileSearch (per-root entries revalidated against the disk before reuse, .gitignore respected, ranked and capped).
import type { FileSearch } from "../../core/search/fileSearch.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = { fuzzyFileSearch: Handler<ClientRequestTable["fuzzyFileSearch"]> };

export function searchHandlers(search: FileSearch): Handlers {
  return {
    fuzzyFileSearch: async (params) => ({ files: await search.search(params.query, params.roots, params.cancellationToken ?? null) }),
  };
}
