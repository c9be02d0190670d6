// The tokenizer and ranking behind tool_search, checked piece by piece against the bm25 crate's rules.
import { describe, expect, it } from "vitest";
import { Bm25Index, tokenize, unicodeWords } from "./bm25.js";

describe("unicodeWords", () => {
  it("keeps identifiers, dotted names, decimals and contractions whole and splits on hyphens and spaces", () => {
    expect(unicodeWords("mcp__probe__plain_tool weird.name-with spaces 3.14 can't a:b x,y 1,000")).toEqual([
      "mcp__probe__plain_tool",
      "weird.name",
      "with",
      "spaces",
      "3.14",
      "can't",
      "a:b",
      "x",
      "y",
      "1,000",
    ]);
  });

  it("drops segments without a letter or digit and treats CJK characters as words of their own", () => {
    expect(unicodeWords("__ -- … 日本 ok")).toEqual(["日", "本", "ok"]);
  });
});

describe("tokenize", () => {
  it("lowercases, drops NLTK stop words and stems", () => {
    expect(tokenize("Returns the sum of two Numbers")).toEqual(["return", "sum", "two", "number"]);
    expect(tokenize("You shouldn't do it")).toEqual([]);
  });

  it("folds accents and typographic punctuation to ASCII first", () => {
    expect(tokenize("Café – it’s naïve")).toEqual(["cafe", "naiv"]);
  });

  it("gives an emoji one word, as deunicode's name for it does", () => {
    expect(tokenize("done 🎉")).toHaveLength(2);
  });
});

describe("Bm25Index", () => {
  it("scores with k1 1.2, b 0.75, the fitted average length and idf over documents", () => {
    const index = new Bm25Index(["alpha beta", "gamma"]);
    const [hit] = index.search("alpha", 8);
    const avgdl = 1.5;
    const tf = (1 * 2.2) / (1 + 1.2 * (1 - 0.75 + (0.75 * 2) / avgdl));
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    expect(hit?.index).toBe(0);
    expect(hit?.score).toBeCloseTo(idf * tf, 12);
  });

  it("returns only documents sharing a word with the query, best first, ties in document order, up to the limit", () => {
    const index = new Bm25Index(["read file", "write file", "list files", "delete"]);
    expect(index.search("file", 8).map((m) => m.index)).toEqual([0, 1, 2]);
    expect(index.search("write file", 8).map((m) => m.index)).toEqual([1, 0, 2]);
    expect(index.search("file", 2).map((m) => m.index)).toEqual([0, 1]);
    expect(index.search("nothing here", 8)).toEqual([]);
    expect(index.search("", 8)).toEqual([]);
  });

  it("counts a query word given more than once that many times", () => {
    const index = new Bm25Index(["apple", "crust", "apple pie"]);
    // crust is the rarer word: it wins once, apple wins when asked for three times.
    expect(index.search("apple crust", 1)[0]?.index).toBe(1);
    expect(index.search("apple apple apple crust", 1)[0]?.index).toBe(0);
  });
});
