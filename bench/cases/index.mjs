// The benchmark cases, in the order they run. A case is { id, title, run(ctx) } and returns
// { rows: [{ metric, unit, ours, ref, target }], unavailable: { ours?, ref? }, data }, where
// target is the highest acceptable ours/ref ratio (null: informational; with atLeast: true the
// lowest), and limit, when set, an absolute bound on ours in the row's unit instead. A row compared with
// something other than the reference names it in `against` (its value goes in `ref`). A case with
// `standalone: true` measures no server (the sides are not started or checked for it) and may
// return `notes` (lines printed under the table). A case with `v1: true` is measured against the v1
// reference (codex 0.80.0, --ref-v1) instead of 0.169: ctx.sides holds that one as the reference.
// A later case is one more module here.
import approval from './approval.mjs';
import exec from './exec.mjs';
import startup from './startup.mjs';
import stdio from './stdio.mjs';
import ws from './ws.mjs';
import turns from './turns.mjs';
import threadList from './threadList.mjs';
import fuzzy from './fuzzy.mjs';
import proxy from './proxy.mjs';
import soak from './soak.mjs';
import capacity from './capacity.mjs';
import mcp from './mcp.mjs';
import v1turn from './v1turn.mjs';

export const CASES = [startup, stdio, ws, exec, turns, threadList, approval, fuzzy, proxy, mcp, soak, capacity, v1turn];
