// BM25 ranking as 0.169's tool_search does it: the `bm25` crate (2.3.2) with its default English
// tokenizer. The same text must become the same tokens on both sides, or a query finds other tools
// than in 0.169, so each step follows the crate:
// 1. normalize to ASCII (deunicode), 2. lowercase, 3. split into Unicode (UAX #29) words that hold a
//    letter or digit, 4. drop NLTK's English stop words (the `stop-words` crate's list), 5. stem with
//    Snowball English (porter2.ts).
// Scores: k1 1.2, b 0.75, average document length fitted to the documents, idf
// ln(1 + (N − df + 0.5) / (df + 0.5)) with df counted in documents, and a query word that occurs twice
// counts twice. Only documents sharing a word with the query are returned, best first.
//
// Where this differs from the crate, and why it is left so:
// - deunicode transliterates every non-ASCII character through a large table (CJK to pinyin, emoji to
//   names); here accents are stripped, common punctuation mapped, an emoji becomes one placeholder word
//   and a CJK character one word of its own: the words differ from 0.169's, their number mostly does not,
//   and the number sets document lengths, which decide near ties (observed: the everything server's
//   instructions end in "🎉"; dropping it instead swaps two of 0.169's results). Tool metadata is
//   overwhelmingly ASCII.
// - equal scores: the crate orders them by hash-map iteration (random per process); here by document
//   order, so results are stable.
// - the crate scores in f32; here in f64. Only near-equal scores can order differently.
import { porter2 } from "./porter2.js";

/** NLTK's English stop words as the `stop-words` crate (0.9, feature nltk) ships them: 179 words. */
const STOP_WORDS = new Set(
  (
    "i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves he him his himself " +
    "she she's her hers herself it it's its itself they them their theirs themselves what which who whom this that that'll " +
    "these those am is are was were be been being have has had having do does did doing a an the and but if or because as " +
    "until while of at by for with about against between into through during before after above below to from up down in " +
    "out on off over under again further then once here there when where why how all any both each few more most other some " +
    "such no nor not only own same so than too very s t can will just don don't should should've now d ll m o re ve y ain " +
    "aren aren't couldn couldn't didn didn't doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't " +
    "mustn mustn't needn needn't shan shan't shouldn shouldn't wasn wasn't weren weren't won won't wouldn wouldn't"
  ).split(" "),
);

/** Non-ASCII characters deunicode maps to ASCII that NFKD does not take apart. */
const TRANSLITERATIONS: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": ",",
  "\u201b": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": ",,",
  "\u2013": "-",
  "\u2014": "--",
  "\u2026": "...",
  "\u00a0": " ",
  "\u00df": "ss",
  "\u00e6": "ae",
  "\u00c6": "AE",
  "\u0153": "oe",
  "\u0152": "OE",
  "\u00f8": "o",
  "\u00d8": "O",
  "\u0111": "d",
  "\u0110": "D",
  "\u0142": "l",
  "\u0141": "L",
  "\u00fe": "th",
  "\u00de": "TH",
  "\u00f0": "d",
  "\u00d0": "D",
};

function normalize(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let out = "";
  for (const ch of text.normalize("NFKD")) {
    if (/\p{M}/u.test(ch)) continue;
    if (/\p{Extended_Pictographic}/u.test(ch)) out += ` u${(ch.codePointAt(0) ?? 0).toString(16)} `;
    else out += TRANSLITERATIONS[ch] ?? ch;
  }
  return out;
}

type WordBreak = "letter" | "ideograph" | "number" | "midLetter" | "midNum" | "midNumLet" | "extendNumLet" | "extend" | "other";

// UAX #29 word-break classes for the characters normalization leaves: ASCII exactly, other letters
// and digits by their general category.
function wordBreak(ch: string): WordBreak {
  // ASCII letters and digits (nearly every character of a tool's text) without a regular expression.
  const code = ch.charCodeAt(0);
  if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) return "letter";
  if (code >= 0x30 && code <= 0x39) return "number";
  switch (ch) {
    case ":":
    case "\u00b7":
      return "midLetter";
    case ",":
    case ";":
      return "midNum";
    case ".":
    case "'":
      return "midNumLet";
    case "_":
      return "extendNumLet";
  }
  if (code < 0x80) return "other";
  if (/\p{M}/u.test(ch)) return "extend";
  // A CJK character is a word by itself (no UAX #29 rule joins two).
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(ch)) return "ideograph";
  if (/\p{L}/u.test(ch)) return "letter";
  if (/\p{Nd}/u.test(ch)) return "number";
  return "other";
}

/** UAX #29 words (rules WB5–WB13b) that contain a letter or a digit, as unicode-segmentation's unicode_words. */
export function unicodeWords(text: string): string[] {
  const chars = [...text];
  const classes = chars.map(wordBreak);
  const words: string[] = [];
  let start = 0;
  // Extend characters belong to what they follow (WB4): skip them when looking at neighbours.
  const prev = (i: number): number => {
    let j = i - 1;
    while (j >= 0 && classes[j] === "extend") j--;
    return j;
  };
  const next = (i: number): number => {
    let j = i + 1;
    while (j < chars.length && classes[j] === "extend") j++;
    return j;
  };
  const joins = (i: number): boolean => {
    // Whether there is no break between the character before position i and the one at i.
    const c = classes[i];
    if (c === "extend") return true;
    const p = prev(i);
    if (p < 0) return false;
    const a = classes[p];
    const n = next(i);
    const after = n < chars.length ? classes[n] : undefined;
    const pp = prev(p);
    const before = pp >= 0 ? classes[pp] : undefined;
    const word = (k: WordBreak | undefined): boolean => k === "letter" || k === "number" || k === "extendNumLet";
    if (a === "letter" && c === "letter") return true; // WB5
    if (a === "letter" && (c === "midLetter" || c === "midNumLet") && after === "letter") return true; // WB6
    if (before === "letter" && (a === "midLetter" || a === "midNumLet") && c === "letter") return true; // WB7
    if (a === "number" && c === "number") return true; // WB8
    if ((a === "letter" && c === "number") || (a === "number" && c === "letter")) return true; // WB9, WB10
    if (before === "number" && (a === "midNum" || a === "midNumLet") && c === "number") return true; // WB11
    if (a === "number" && (c === "midNum" || c === "midNumLet") && after === "number") return true; // WB12
    if (word(a) && c === "extendNumLet") return true; // WB13a
    if (a === "extendNumLet" && word(c)) return true; // WB13b
    return false;
  };
  for (let i = 1; i <= chars.length; i++) {
    if (i < chars.length && joins(i)) continue;
    const segment = chars.slice(start, i).join("");
    if (/[\p{L}\p{N}]/u.test(segment)) words.push(segment);
    start = i;
  }
  return words;
}

/** The crate's default English tokenizer. */
export function tokenize(text: string): string[] {
  if (text === "") return [];
  return unicodeWords(normalize(text).toLowerCase())
    .filter((w) => !STOP_WORDS.has(w))
    .map(porter2);
}

const K1 = 1.2;
const B = 0.75;
/** The crate's average document length when it has nothing to fit to. */
const FALLBACK_AVGDL = 256;

interface Embedded {
  /** Each token's BM25 term weight in this document (a token's first occurrence decides, as the crate's lookup does). */
  readonly weights: Map<string, number>;
}

export interface Bm25Match {
  /** The document's position in the list it was built from. */
  readonly index: number;
  readonly score: number;
}

export class Bm25Index {
  private readonly docs: Embedded[];
  private readonly docsWithToken = new Map<string, Set<number>>();

  constructor(documents: readonly string[]) {
    const tokenized = documents.map(tokenize);
    const total = tokenized.reduce((n, t) => n + t.length, 0);
    const avgdl = tokenized.length === 0 || total === 0 ? FALLBACK_AVGDL : total / tokenized.length;
    this.docs = tokenized.map((tokens, index) => {
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      const weights = new Map<string, number>();
      for (const [token, tf] of counts) {
        weights.set(token, (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * tokens.length) / avgdl)));
        const set = this.docsWithToken.get(token) ?? new Set<number>();
        set.add(index);
        this.docsWithToken.set(token, set);
      }
      return { weights };
    });
  }

  private idf(token: string): number {
    const df = this.docsWithToken.get(token)?.size ?? 0;
    return Math.log(1 + (this.docs.length - df + 0.5) / (df + 0.5));
  }

  /** The documents that share a word with the query, best first (equal scores in document order), at most `limit`. */
  search(query: string, limit?: number): Bm25Match[] {
    const tokens = tokenize(query);
    const candidates = new Set<number>();
    for (const t of tokens) for (const d of this.docsWithToken.get(t) ?? []) candidates.add(d);
    const matches = [...candidates]
      .sort((a, b) => a - b)
      .map((index) => {
        const weights = this.docs[index]?.weights;
        const score = tokens.reduce((sum, t) => sum + this.idf(t) * (weights?.get(t) ?? 0), 0);
        return { index, score };
      });
    matches.sort((a, b) => b.score - a.score || a.index - b.index);
    return limit === undefined ? matches : matches.slice(0, limit);
  }
}
