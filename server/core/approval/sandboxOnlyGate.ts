// The approval hook until the approvals layer fills it in: nothing is ever asked, every command runs
// inside the thread's sandbox, and a request to run outside it is refused with a reason the model can
// read. That is exactly `never` (0.169: "never asks; denials go back to the model"); for the other
// policies it is the safe side of them, never a wider one.
import type { ApprovalGate, ApprovalOutcome, ApprovalRequest } from "../ports.js";

export class SandboxOnlyGate implements ApprovalGate {
  check(request: ApprovalRequest): Promise<ApprovalOutcome> {
    if (request.kind === "command" && request.escalated) {
      return Promise.resolve({
        decision: "declined",
        message: "exec_command failed: running outside the sandbox needs the user's approval, and this server does not ask for approvals yet; run the command inside the sandbox instead",
      });
    }
    return Promise.resolve({ decision: "approved", sandboxed: true });
  }
}
