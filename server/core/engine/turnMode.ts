// A turn that samples on a history of its own instead of the thread's (review/start, review.ts): the
// ActiveTurn keeps its loop, items and lifecycle, and the mode decides what opens and closes it.
import type { NonSteerableTurnKind } from "../../../protocol/v2/index.js";
import type { TurnItems } from "./turnItems.js";

export interface TurnMode {
  /** Named in the error that refuses to steer the turn. */
  readonly kind: NonSteerableTurnKind;
  /** The model history this turn samples on and appends to; the thread's history is left alone. */
  readonly history: unknown[];
  /** Opens the turn (instead of adding the turn's input to the thread's history). */
  begin(items: TurnItems): Promise<void>;
  /** Closes a turn that ran to completion, given the model's last message. */
  end(lastMessage: string | null, items: TurnItems): Promise<void>;
  /** Closes a turn that was interrupted. */
  interrupted(items: TurnItems): Promise<void>;
}
