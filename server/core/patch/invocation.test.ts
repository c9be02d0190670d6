import { beforeAll, describe, expect, it } from "vitest";
import { loadBashParser } from "../tools/bashParse.js";
import { IMPLICIT_INVOCATION_MESSAGE, detectApplyPatchInvocation } from "./invocation.js";

beforeAll(async () => {
  await loadBashParser();
});

const PATCH = "*** Begin Patch\n*** Add File: s.txt\n+s\n*** End Patch";

describe("detectApplyPatchInvocation", () => {
  it("argv forms", () => {
    expect(detectApplyPatchInvocation(["apply_patch", PATCH])).toEqual({ type: "patch", patch: PATCH, workdir: null });
    expect(detectApplyPatchInvocation(["applypatch", PATCH])).toEqual({ type: "patch", patch: PATCH, workdir: null });
  });

  it("bash -lc heredoc forms, with an optional cd", () => {
    expect(detectApplyPatchInvocation(["bash", "-lc", `apply_patch <<'EOF'\n${PATCH}\nEOF\n`])).toEqual({ type: "patch", patch: `${PATCH}\n`, workdir: null });
    expect(detectApplyPatchInvocation(["/bin/bash", "-lc", `cd sub && apply_patch <<'EOF'\n${PATCH}\nEOF`])).toEqual({
      type: "patch",
      patch: `${PATCH}\n`,
      workdir: "sub",
    });
    expect(detectApplyPatchInvocation(["zsh", "-c", `cd "my dir" && applypatch <<"EOF"\n${PATCH}\nEOF`])).toMatchObject({ workdir: "my dir" });
    // An unquoted heredoc whose body looks like shell is still just patch text.
    const body = "*** Begin Patch\n*** Add File: x.sh\n+echo $(whoami) $HOME\n*** End Patch";
    expect(detectApplyPatchInvocation(["bash", "-lc", `apply_patch <<EOF\n${body}\nEOF`])).toEqual({ type: "patch", patch: `${body}\n`, workdir: null });
  });

  it("an empty heredoc is still apply_patch (0.169 answers its verification failure)", () => {
    expect(detectApplyPatchInvocation(["bash", "-lc", "apply_patch <<'EOF'\nEOF\n"])).toEqual({ type: "patch", patch: "", workdir: null });
  });

  it("bare patches are refused with the reference's message", () => {
    expect(detectApplyPatchInvocation([PATCH])).toEqual({ type: "implicit", message: IMPLICIT_INVOCATION_MESSAGE });
    expect(detectApplyPatchInvocation(["bash", "-lc", PATCH])).toEqual({ type: "implicit", message: IMPLICIT_INVOCATION_MESSAGE });
    expect(IMPLICIT_INVOCATION_MESSAGE).toBe('patch detected without explicit call to apply_patch. Rerun as ["apply_patch", "<patch>"]');
  });

  it("anything else is not apply_patch", () => {
    for (const argv of [
      ["ls"],
      ["bash", "-lc", "ls"],
      ["bash", "-lc", "echo apply_patch"],
      ["bash", "-lc", `apply_patch x <<'EOF'\n${PATCH}\nEOF`],
      ["bash", "-lc", `cd a && cd b && apply_patch <<'EOF'\n${PATCH}\nEOF`],
      ["bash", "-lc", `cd a || apply_patch <<'EOF'\n${PATCH}\nEOF`],
      ["bash", "-lc", `apply_patch <<'EOF' > out\n${PATCH}\nEOF`],
      ["bash", "-lc", `(apply_patch <<'EOF'\n${PATCH}\nEOF\n)`],
      ["bash", "-lc", `X=1 apply_patch <<'EOF'\n${PATCH}\nEOF`],
      ["apply_patch"],
      // Seen on 0.169 (exec_command): each of these ran as a command ("apply_patch: command not found").
      ["bash", "-lc", `apply_patch <<'EOF' && echo done\n${PATCH}\nEOF\n`],
      ["bash", "-lc", `apply_patch <<'EOF'\n${PATCH}\nEOF && echo done\n`],
      ["bash", "-lc", `apply_patch <<'EOF'\n${PATCH}\nEOF\necho after\n`],
      ["bash", "-lc", `cd sub; apply_patch <<'EOF'\n${PATCH}\nEOF\n`],
      ["bash", "-lc", `bash -lc "apply_patch <<'EOF'\n${PATCH}\nEOF\n"`],
    ]) {
      expect(detectApplyPatchInvocation(argv)).toBeNull();
    }
  });
});
