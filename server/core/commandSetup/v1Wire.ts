// The legacy v1 wire's (0.80) shapes that mean the same as a v2 one: its sandbox policy (kebab-case
// tags, snake_case fields) and its `InputItem`s. Every v1 handler converts through here, so a v1
// policy is judged by the very code a v2 one is (sandboxFromWire.ts).
import type { SandboxPolicy as WireSandboxPolicy, UserInput } from "../../../protocol/v2/index.js";
import type { InputItem, V1SandboxPolicy } from "../../../protocol/v1/index.js";

export function sandboxPolicyFromV1(policy: V1SandboxPolicy): WireSandboxPolicy {
  switch (policy.type) {
    case "danger-full-access":
      return { type: "dangerFullAccess" };
    case "read-only":
      return { type: "readOnly" };
    case "external-sandbox":
      return { type: "externalSandbox", networkAccess: policy.network_access ?? "restricted" };
    case "workspace-write":
      return {
        type: "workspaceWrite",
        writableRoots: policy.writable_roots ?? [],
        networkAccess: policy.network_access ?? false,
        excludeTmpdirEnvVar: policy.exclude_tmpdir_env_var ?? false,
        excludeSlashTmp: policy.exclude_slash_tmp ?? false,
      };
  }
}

/** 0.80's `InputItem`s as v2 `UserInput` (what the engine takes). */
export function userInputFromV1(items: readonly InputItem[]): UserInput[] {
  return items.map((item): UserInput => {
    switch (item.type) {
      case "text":
        return { type: "text", text: item.data.text, text_elements: [] };
      case "image":
        return { type: "image", url: item.data.image_url };
      case "localImage":
        return { type: "localImage", path: item.data.path };
    }
  });
}
