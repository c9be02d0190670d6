// What a process allocated between two heap snapshots of it and still holds:
//   node --max-old-space-size=6000 bench/lib/heapDiff.mjs A.heapsnapshot B.heapsnapshot [rows]
// Nodes of B whose id A lacks (V8 keeps ids stable within one process), grouped by type, constructor
// and, for objects, their own property names; one row per group with bytes and count, largest first.
// Rows with a count that is a multiple of the turns between the snapshots are what each turn keeps.
// An "object shape" row that grows with them means objects that got a hidden class of their own.
// Snapshots come from bench/lib/memProbe.mjs (BENCH_MEM_SNAPSHOTS=<dir> with the soak case).
import { readFileSync } from 'node:fs';

const [fileA, fileB, rowsArg] = process.argv.slice(2);
if (!fileA || !fileB) {
  console.error('usage: heapDiff.mjs A.heapsnapshot B.heapsnapshot [rows]');
  process.exit(2);
}
const A = JSON.parse(readFileSync(fileA, 'utf8'));
const B = JSON.parse(readFileSync(fileB, 'utf8'));
const nodeFields = B.snapshot.meta.node_fields;
const width = nodeFields.length;
const [TYPE, NAME, ID, SIZE, EDGES] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => nodeFields.indexOf(f));
const nodeTypes = B.snapshot.meta.node_types[0];
const edgeFields = B.snapshot.meta.edge_fields;
const edgeWidth = edgeFields.length;
const [EDGE_TYPE, EDGE_NAME] = ['type', 'name_or_index'].map((f) => edgeFields.indexOf(f));
const edgeTypes = B.snapshot.meta.edge_types[0];

const before = new Set();
for (let i = 0; i < A.nodes.length; i += width) before.add(A.nodes[i + ID]);

const groups = new Map();
for (let i = 0, edge = 0; i < B.nodes.length; i += width) {
  const edgeEnd = edge + B.nodes[i + EDGES] * edgeWidth;
  const type = nodeTypes[B.nodes[i + TYPE]];
  const name = B.strings[B.nodes[i + NAME]];
  if (!before.has(B.nodes[i + ID])) {
    let key = type;
    if (type === 'object' || type === 'closure') key += `:${name}`;
    if (type === 'object') {
      const keys = new Set();
      for (let e = edge; e < edgeEnd; e += edgeWidth) {
        if (edgeTypes[B.edges[e + EDGE_TYPE]] === 'property') keys.add(B.strings[B.edges[e + EDGE_NAME]]);
      }
      key += ` {${[...keys].slice(0, 12).join(',')}}`;
    } else if (type === 'string') key += ` ${JSON.stringify(name.slice(0, 60))}`;
    else if (type === 'object shape' || type === 'hidden') key += ` ${name.slice(0, 60)}`;
    const group = groups.get(key) ?? { bytes: 0, count: 0 };
    group.bytes += B.nodes[i + SIZE];
    group.count += 1;
    groups.set(key, group);
  }
  edge = edgeEnd;
}
const rows = [...groups].sort((a, b) => b[1].bytes - a[1].bytes);
const total = rows.reduce((sum, [, g]) => sum + g.bytes, 0);
console.log(`new and still held in B: ${total} bytes in ${rows.reduce((s, [, g]) => s + g.count, 0)} nodes`);
for (const [key, g] of rows.slice(0, Number(rowsArg ?? 50))) console.log(String(g.bytes).padStart(10), String(g.count).padStart(7), key.slice(0, 200));
