// The Snowball English stemmer ("Porter2") as rust-stemmers 1.2.0 implements it: 0.169's tool_search
// ranks with the `bm25` crate, whose tokenizer stems every word with it, so a query only finds what
// 0.169 finds if both sides are stemmed the same way. This is the classic algorithm
// (snowballstem.org/algorithms/english/stemmer.html) with its three R1 exceptions (gener, commun,
// arsen); later Snowball releases added more (past, univers, later, emerg, organ) that 0.169 does not have.

const VOWELS = new Set(["a", "e", "i", "o", "u", "y"]);
const DOUBLES = new Set(["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]);
const LI_ENDINGS = new Set(["c", "d", "e", "g", "h", "k", "m", "n", "r", "t"]);

/** Whole words with a fixed stem (exception1); the invariant ones map to themselves. */
const EXCEPTION1 = new Map<string, string>(
  Object.entries({
    skis: "ski",
    skies: "sky",
    dying: "die",
    lying: "lie",
    tying: "tie",
    idly: "idl",
    gently: "gentl",
    ugly: "ugli",
    early: "earli",
    only: "onli",
    singly: "singl",
    sky: "sky",
    news: "news",
    howe: "howe",
    atlas: "atlas",
    cosmos: "cosmos",
    bias: "bias",
    andes: "andes",
  }),
);

/** Words left as they are after step 1a (exception2). */
const EXCEPTION2 = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);

const R1_PREFIXES = ["gener", "commun", "arsen"];

/** Step 2 suffixes, longest first within a shared ending, and what replaces them ("" deletes). */
const STEP2: ReadonlyArray<readonly [string, string]> = [
  ["ization", "ize"],
  ["ational", "ate"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["iveness", "ive"],
  ["tional", "tion"],
  ["biliti", "ble"],
  ["lessli", "less"],
  ["entli", "ent"],
  ["ation", "ate"],
  ["alism", "al"],
  ["aliti", "al"],
  ["ousli", "ous"],
  ["iviti", "ive"],
  ["fulli", "ful"],
  ["enci", "ence"],
  ["anci", "ance"],
  ["abli", "able"],
  ["izer", "ize"],
  ["ator", "ate"],
  ["alli", "al"],
  ["bli", "ble"],
  ["ogi", "og"],
  ["li", ""],
];

const STEP3: ReadonlyArray<readonly [string, string]> = [
  ["ational", "ate"],
  ["tional", "tion"],
  ["alize", "al"],
  ["icate", "ic"],
  ["iciti", "ic"],
  ["ative", ""],
  ["ical", "ic"],
  ["ness", ""],
  ["ful", ""],
];

const STEP4 = ["ement", "ment", "able", "ible", "ance", "ence", "ate", "iti", "ion", "ism", "ive", "ize", "ous", "ant", "ent", "al", "er", "ic"];

function isVowel(c: string | undefined): boolean {
  return c !== undefined && VOWELS.has(c);
}

/** The longest of `suffixes` the word ends with (Snowball's `among` takes the longest match). */
function longestSuffix<T extends string>(word: string, suffixes: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const s of suffixes) if (word.endsWith(s) && (best === undefined || s.length > best.length)) best = s;
  return best;
}

/** Where R1 (or R2, from `from`) starts: after the first non-vowel that follows a vowel. */
function regionAfter(word: string, from: number): number {
  for (let i = from + 1; i < word.length; i++) if (!isVowel(word[i]) && isVowel(word[i - 1])) return i + 1;
  return word.length;
}

/** A short syllable ends at `end` (exclusive): non-vowel, vowel, non-vowel other than w, x, Y; or vowel, non-vowel at the start. */
function endsInShortSyllable(word: string, end: number): boolean {
  if (end >= 3) {
    const [a, b, c] = [word[end - 3], word[end - 2], word[end - 1]];
    if (!isVowel(a) && isVowel(b) && !isVowel(c) && c !== "w" && c !== "x" && c !== "Y") return true;
  }
  return end === 2 && isVowel(word[0]) && !isVowel(word[1]);
}

/** Whether there is a vowel before `end`. */
function hasVowelBefore(word: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (isVowel(word[i])) return true;
  return false;
}

/** The stem of one lowercase word. */
export function porter2(input: string): string {
  if (input.length < 3) return input;
  const fixed = EXCEPTION1.get(input);
  if (fixed !== undefined) return fixed;

  // Prelude: a leading apostrophe goes; a y that starts the word or follows a vowel is a consonant (Y).
  let w = input.startsWith("'") ? input.slice(1) : input;
  const chars = [...w];
  let yFound = false;
  if (chars[0] === "y") {
    chars[0] = "Y";
    yFound = true;
  }
  for (let i = 1; i < chars.length; i++) {
    if (chars[i] === "y" && isVowel(chars[i - 1])) {
      chars[i] = "Y";
      yFound = true;
    }
  }
  w = chars.join("");

  const prefix = R1_PREFIXES.find((p) => w.startsWith(p));
  const r1 = prefix !== undefined ? prefix.length : regionAfter(w, 0);
  const r2 = regionAfter(w, r1);
  const inR1 = (start: number): boolean => start >= r1;
  const inR2 = (start: number): boolean => start >= r2;

  // Step 1a.
  const apostrophe = longestSuffix(w, ["'", "'s", "'s'"]);
  if (apostrophe !== undefined) w = w.slice(0, -apostrophe.length);
  const s1a = longestSuffix(w, ["sses", "ied", "ies", "s", "ss", "us"]);
  if (s1a === "sses") w = w.slice(0, -2);
  else if (s1a === "ied" || s1a === "ies") w = w.length - 3 > 1 ? w.slice(0, -3) + "i" : w.slice(0, -3) + "ie";
  else if (s1a === "s" && hasVowelBefore(w, w.length - 2)) w = w.slice(0, -1);

  if (!EXCEPTION2.has(w)) {
    // Step 1b.
    const s1b = longestSuffix(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    if (s1b === "eed" || s1b === "eedly") {
      if (inR1(w.length - s1b.length)) w = w.slice(0, -s1b.length) + "ee";
    } else if (s1b !== undefined && hasVowelBefore(w, w.length - s1b.length)) {
      w = w.slice(0, -s1b.length);
      if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
      else if (DOUBLES.has(w.slice(-2))) w = w.slice(0, -1);
      else if (r1 >= w.length && endsInShortSyllable(w, w.length)) w += "e";
    }

    // Step 1c: y or Y after a non-vowel that is not the first letter.
    const last = w[w.length - 1];
    if ((last === "y" || last === "Y") && w.length > 2 && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + "i";

    // Step 2.
    const s2 = longestSuffix(
      w,
      STEP2.map(([s]) => s),
    );
    if (s2 !== undefined && inR1(w.length - s2.length)) {
      const before = w[w.length - s2.length - 1];
      const replacement = STEP2.find(([s]) => s === s2)?.[1] ?? "";
      if (s2 === "ogi") {
        if (before === "l") w = w.slice(0, -3) + "og";
      } else if (s2 === "li") {
        if (before !== undefined && LI_ENDINGS.has(before)) w = w.slice(0, -2);
      } else w = w.slice(0, -s2.length) + replacement;
    }

    // Step 3.
    const s3 = longestSuffix(
      w,
      STEP3.map(([s]) => s),
    );
    if (s3 !== undefined && inR1(w.length - s3.length)) {
      if (s3 === "ative") {
        if (inR2(w.length - 5)) w = w.slice(0, -5);
      } else w = w.slice(0, -s3.length) + (STEP3.find(([s]) => s === s3)?.[1] ?? "");
    }

    // Step 4.
    const s4 = longestSuffix(w, STEP4);
    if (s4 !== undefined && inR2(w.length - s4.length)) {
      if (s4 === "ion") {
        const before = w[w.length - 4];
        if (before === "s" || before === "t") w = w.slice(0, -3);
      } else w = w.slice(0, -s4.length);
    }

    // Step 5.
    if (w.endsWith("e")) {
      const start = w.length - 1;
      if (inR2(start) || (inR1(start) && !endsInShortSyllable(w, start))) w = w.slice(0, -1);
    } else if (w.endsWith("l")) {
      if (inR2(w.length - 1) && w[w.length - 2] === "l") w = w.slice(0, -1);
    }
  }

  return yFound ? w.replace(/Y/g, "y") : w;
}
