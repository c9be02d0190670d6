// How tool output is measured and cut before it goes back to the model (as the reference does).

/** About four bytes a token, as the reference counts. */
export function approxTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 4);
}

/** Keeps head and tail within the budget, naming what was cut. */
export function truncateForModel(text: string, maxTokens: number): { text: string; truncated: boolean } {
  const budget = maxTokens * 4;
  if (Buffer.byteLength(text, "utf8") <= budget) return { text, truncated: false };
  const half = Math.floor(budget / 2);
  const head = text.slice(0, half);
  const tail = text.slice(text.length - half);
  const cut = approxTokens(text) - approxTokens(head) - approxTokens(tail);
  return { text: `${head}…${cut} tokens truncated…${tail}`, truncated: true };
}
