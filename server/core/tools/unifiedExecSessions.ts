// The commands a thread's unified exec tools keep running between calls (exec_command sessions the
// model polls or writes to). Its own module, apart from the tools, because a loaded thread owns one
// from the start, and the thread code should not load the command machinery until a turn needs it.
import type { CommandOutcome, RunningCommand } from "./commandRunner.js";

export interface UnifiedExecSession {
  readonly id: number;
  readonly turnId: string;
  readonly command: RunningCommand;
  exited: CommandOutcome | null;
}

export class UnifiedExecSessions {
  private readonly sessions = new Map<number, UnifiedExecSession>();
  private nextId = 1000;

  add(turnId: string, command: RunningCommand): UnifiedExecSession {
    const session: UnifiedExecSession = { id: this.nextId++, turnId, command, exited: null };
    this.sessions.set(session.id, session);
    void command.outcome.then((o) => {
      session.exited = o;
    });
    return session;
  }

  get(id: number): UnifiedExecSession | undefined {
    return this.sessions.get(id);
  }

  drop(id: number): void {
    this.sessions.delete(id);
  }

  /** Kills the sessions a turn started (interrupt), or all of them (thread closed). */
  async killAll(turnId?: string): Promise<void> {
    const victims = [...this.sessions.values()].filter((s) => turnId === undefined || s.turnId === turnId);
    for (const s of victims) s.command.handle?.terminate();
    await Promise.all(victims.map((s) => s.command.outcome.catch(() => undefined)));
    for (const s of victims) this.sessions.delete(s.id);
  }
}
