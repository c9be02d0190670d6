// The stemmer against the classic Porter2 sample vocabulary (snowballstem.org) and the exceptions that
// set it apart from later Snowball releases, which 0.169's rust-stemmers 1.2.0 does not have.
import { describe, expect, it } from "vitest";
import { porter2 } from "./porter2.js";

const SAMPLES: Record<string, string> = {
  consign: "consign",
  consigned: "consign",
  consigning: "consign",
  consignment: "consign",
  consist: "consist",
  consisted: "consist",
  consistency: "consist",
  consistent: "consist",
  consistently: "consist",
  consolation: "consol",
  consolatory: "consolatori",
  console: "consol",
  consolidate: "consolid",
  consolingly: "consol",
  consonant: "conson",
  conspicuously: "conspicu",
  conspiracy: "conspiraci",
  conspirators: "conspir",
  constable: "constabl",
  constancy: "constanc",
  knackeries: "knackeri",
  kneeling: "kneel",
  knightly: "knight",
  knitting: "knit",
  knives: "knive",
  knocker: "knocker",
  running: "run",
  hopping: "hop",
  hoping: "hope",
  cries: "cri",
  ties: "tie",
  generously: "generous",
  communication: "communic",
  arsenal: "arsenal",
  luxuriate: "luxuri",
  enjoying: "enjoy",
  yes: "yes",
  "o'neill": "o'neil",
  "'tis": "tis",
  variables: "variabl",
  notifications: "notif",
  echoes: "echo",
  resource: "resourc",
};

describe("porter2", () => {
  it("stems the classic sample vocabulary", () => {
    for (const [word, stem] of Object.entries(SAMPLES)) expect([word, porter2(word)]).toEqual([word, stem]);
  });

  it("keeps the whole-word exceptions and the words step 1a leaves alone", () => {
    expect(["skis", "skies", "dying", "lying", "tying", "idly", "gently", "ugly", "early", "only", "singly", "news", "atlas"].map(porter2)).toEqual([
      "ski",
      "sky",
      "die",
      "lie",
      "tie",
      "idl",
      "gentl",
      "ugli",
      "earli",
      "onli",
      "singl",
      "news",
      "atlas",
    ]);
    expect(["innings", "outings", "proceeded"].map(porter2)).toEqual(["inning", "outing", "proceed"]);
  });

  it("is the classic algorithm: no R1 exceptions beyond gener, commun and arsen, doubles undone after -ed", () => {
    // Snowball 2.x and later: "universal", "internal", "organiz", "add".
    expect(["universal", "internal", "organization", "added"].map(porter2)).toEqual(["univers", "intern", "organ", "ad"]);
  });

  it("leaves words of fewer than three letters and words with identifier characters as they are", () => {
    expect(["a", "is", "plain_tool", "3.14", "constructor"].map(porter2)).toEqual(["a", "is", "plain_tool", "3.14", "constructor"]);
  });
});
