// Which module answers each v2 client request's dispatch, so that a server builds the schemas of one
// module on the first request for it instead of the whole table.
//
// Why: building every zod schema of the v2 table costs tens of milliseconds of a fresh daemon's
// first answer after `initialize`; a method needs only its own params' schema, which comes from one
// module and the shared types it uses. Most modules' rows are light enough to load whole. The thread
// and turn requests' results (threads, turns, every item kind) are not: building thread.ts and
// shared.ts was two thirds of a first thread/start. Those groups load their heads instead (the
// params, gate and scope: define.ts RequestHead) from modules that define the params alone
// (threadStartParams.ts, threadParams.ts, threadResumeParams.ts, turnParams.ts, sharedParams.ts);
// thread/start, the request a client sends first, has a module of its own. The rows and heads are
// defined once, in their modules; methods.ts orders the full rows into the table, whose params are
// the very objects the heads hold (server/handlers/lazyTable.test.ts checks both,
// server/handlers/requestHeads.test.ts what loading a group builds).
import type { RequestHeadTable } from "../define.js";
import type { clientRequests } from "./methods.js";

type RowsLoader = () => Promise<RequestHeadTable>;

const account: RowsLoader = async () => (await import("./account.js")).accountRequests;
const catalog: RowsLoader = async () => (await import("./catalog.js")).catalogRequests;
const commandExec: RowsLoader = async () => (await import("./commandExec.js")).commandExecRequests;
const config: RowsLoader = async () => (await import("./config.js")).configRequests;
const fs: RowsLoader = async () => (await import("./fs.js")).fsRequests;
const fuzzyFileSearch: RowsLoader = async () => (await import("./fuzzyFileSearch.js")).fuzzyFileSearchRequests;
const initialize: RowsLoader = async () => (await import("./initialize.js")).initializeRequests;
const mcp: RowsLoader = async () => (await import("./mcp.js")).mcpRequests;
const misc: RowsLoader = async () => (await import("./misc.js")).miscRequests;
const thread: RowsLoader = async () => (await import("./threadParams.js")).threadRequestHeads;
const threadStart: RowsLoader = async () => (await import("./threadStartParams.js")).threadStartRequestHeads;
const threadResume: RowsLoader = async () => (await import("./threadResumeParams.js")).threadResumeRequestHeads;
const turn: RowsLoader = async () => (await import("./turnParams.js")).turnRequestHeads;

/** Every v2 client request, with the loader of the rows that hold it (the type makes the list complete). */
export const v2RequestGroups: { readonly [M in keyof typeof clientRequests]: RowsLoader } = {
  initialize: initialize,
  "thread/start": threadStart,
  "thread/resume": threadResume,
  "thread/fork": thread,
  "thread/archive": thread,
  "thread/delete": thread,
  "thread/unsubscribe": thread,
  "thread/name/set": thread,
  "thread/metadata/update": thread,
  "thread/unarchive": thread,
  "thread/compact/start": thread,
  "thread/shellCommand": thread,
  "thread/revert": thread,
  "thread/list": thread,
  "thread/loaded/list": thread,
  "thread/read": thread,
  "thread/turns/list": thread,
  "thread/items/list": thread,
  "skills/list": catalog,
  "model/list": catalog,
  "modelProvider/list": catalog,
  "experimentalFeature/list": catalog,
  "fs/readFile": fs,
  "fs/writeFile": fs,
  "fs/createDirectory": fs,
  "fs/getMetadata": fs,
  "fs/readDirectory": fs,
  "fs/remove": fs,
  "fs/copy": fs,
  "fs/watch": fs,
  "fs/unwatch": fs,
  "turn/start": turn,
  "turn/steer": turn,
  "turn/interrupt": turn,
  "review/start": turn,
  "permissionProfile/list": config,
  "config/read": config,
  "config/value/write": config,
  "config/batchWrite": config,
  "configRequirements/read": config,
  "config/mcpServer/reload": mcp,
  "mcpServerStatus/list": mcp,
  "mcpServer/resource/read": mcp,
  "mcpServer/tool/call": mcp,
  "windowsSandbox/readiness": misc,
  fuzzyFileSearch: fuzzyFileSearch,
  "account/login/start": account,
  "account/login/cancel": account,
  "account/logout": account,
  "account/read": account,
  "command/exec": commandExec,
  "command/exec/write": commandExec,
  "command/exec/terminate": commandExec,
  "command/exec/resize": commandExec,
};
