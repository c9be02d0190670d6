// bwrap's --json-status-fd document: the sandbox's init pid as soon as it exists, the command's exit
// code once it has exited.
import type { Readable } from "node:stream";
import { identifyProcess, type ProcessIdentity } from "./treeKiller.js";

export function parseBwrapStatus(text: string): { childPid?: number; exitCode?: number } {
  const child = /"child-pid"\s*:\s*(\d+)/.exec(text);
  const exit = /"exit-code"\s*:\s*(\d+)/.exec(text);
  return {
    ...(child?.[1] ? { childPid: Number(child[1]) } : {}),
    ...(exit?.[1] ? { exitCode: Number(exit[1]) } : {}),
  };
}

/** Reads the status pipe to EOF; the sandbox's init is identified the moment bwrap reports it. */
export class BwrapStatusReader {
  private text = "";
  private init: ProcessIdentity | undefined;

  read(stream: Readable): void {
    stream.on("error", () => undefined);
    stream.on("data", (d: Buffer) => {
      this.text += d.toString("utf8");
      if (this.init === undefined) {
        const pid = parseBwrapStatus(this.text).childPid;
        this.init = (pid === undefined ? null : identifyProcess(pid)) ?? undefined;
      }
    });
  }

  get sandboxInit(): ProcessIdentity | undefined {
    return this.init;
  }

  get exitCode(): number | undefined {
    return parseBwrapStatus(this.text).exitCode;
  }
}
