// The committed YAML, as text: each variant of manifests.ts's VARIANTS, its objects as YAML documents
// under a header that says where they come from. generate.mjs writes these files; manifests.test.ts
// checks that the committed ones are exactly this, so they cannot drift from the typed objects.
import { stringify } from "yaml";
import { manifests, VARIANTS } from "./manifests.js";

const HEADER = "# Generated from deploy/kubernetes/manifests.ts by `node deploy/kubernetes/generate.mjs`; do not edit.\n# See deploy/kubernetes/README.md.\n";

export function renderVariant(name: string): string {
  const options = VARIANTS[name];
  if (options === undefined) throw new Error(`no such variant: ${name}`);
  const docs = manifests(options).map((object) => stringify(object.toJSON(), { lineWidth: 0 }));
  return HEADER + docs.map((doc) => `---\n${doc}`).join("");
}

/** File name → content, for every committed variant. */
export function renderAll(): Record<string, string> {
  return Object.fromEntries(Object.keys(VARIANTS).map((name) => [name, renderVariant(name)]));
}
