import { describe, expect, it } from "vitest";
import { createRefusingLauncher } from "../../sandbox/refusingLauncher.js";
import { selectLauncher } from "../../sandbox/launcher.js";
import { countedLauncher } from "./countedLauncher.js";
import { answeredOutcome, NO_METRICS, type DaemonMetrics } from "./daemonMetrics.js";

describe("answeredOutcome", () => {
  it("names v2 and v1 approval decisions, elicitation actions and the amendment decisions", () => {
    expect(answeredOutcome({ decision: "accept" })).toBe("accept");
    expect(answeredOutcome({ decision: "acceptForSession" })).toBe("acceptForSession");
    expect(answeredOutcome({ decision: "approved_for_session" })).toBe("acceptForSession");
    expect(answeredOutcome({ decision: "denied" })).toBe("decline");
    expect(answeredOutcome({ decision: "abort" })).toBe("cancel");
    expect(answeredOutcome({ action: "decline" })).toBe("decline");
    expect(answeredOutcome({ decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ["ls"] } } })).toBe("accept");
    expect(answeredOutcome({ decision: { applyNetworkPolicyAmendment: { network_policy_amendment: { action: "deny", host: "x" } } } })).toBe("decline");
  });
  it("folds anything else into one label, so a client cannot mint series", () => {
    expect(answeredOutcome({ decision: "sure, why not" })).toBe("other-answer");
    expect(answeredOutcome({ answers: {} })).toBe("other-answer");
    expect(answeredOutcome(null)).toBe("other-answer");
  });
});

describe("countedLauncher", () => {
  function recording(): DaemonMetrics & { launches: string[] } {
    const launches: string[] = [];
    return { ...NO_METRICS, launches, sandboxLaunch: (sandbox, outcome) => launches.push(`${sandbox}:${outcome}`) };
  }

  it("counts a refusal, and the refusal still reaches the caller", async () => {
    const metrics = recording();
    const launcher = countedLauncher(createRefusingLauncher("linux", "no bubblewrap here", "install bubblewrap"), metrics);
    await expect(launcher.transform(["true"], { type: "readOnly" }, "/")).rejects.toThrow("no bubblewrap here");
    expect(metrics.launches).toEqual(["bwrap:refused"]);
  });

  it("counts an unwrapped launch by its sandbox kind and passes the request through", async () => {
    const metrics = recording();
    const launcher = countedLauncher(selectLauncher("linux"), metrics);
    const request = await launcher.transform(["/bin/true"], { type: "dangerFullAccess" }, "/");
    expect(request.argv).toEqual(["/bin/true"]);
    expect(metrics.launches).toEqual(["none:launched"]);
  });
});
