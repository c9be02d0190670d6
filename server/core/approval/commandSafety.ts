// Command safety: which commands may run without asking (known safe) and which must never ride on a
// cached approval (dangerous). Both are decided per sub-command of the bash parse, never by matching
// text over the whole string: `cat a | rm -rf ./` is unsafe although it starts with `cat`, and
// `echo "rm -rf /"` is not dangerous although the text contains it.
//
// "Known safe" is a strict contract, not a list of familiar names: a command runs unasked under
// `untrusted` only when KNOWN_SAFE proves it can neither run another program, nor write a file, nor
// change the host. The table is an allow-list: per command, the options that keep that promise (and
// which of them take a value) and how many plain arguments it may have; any other option, any other
// spelling of an option (an abbreviated `--compress-prog=` that GNU getopt would accept included), or
// one plain argument too many makes the command unsafe. Arguments are read as the tools read them:
// grouped short options (`-nr`), attached values (`-O'cmd'`, `-ofile`, `--opt=v`) or the next word,
// `--` ending the options, and options after plain arguments (GNU permutes). This module only reads
// words; that the word names the system's program rather than one the model could have written is the
// gate's check (programTrust.ts), on the `programs` the analysis lists.
//
// git is deliberately absent: only the top-level .git of each writable root is protected, so a nested
// repository the model wrote can carry `core.fsmonitor` (or a pager, a hook, a filter) and run a
// program on a plain `cd sub && git status`.
//
// Invariants: the parser must be loaded (`loadBashParser`) before `analyzeCommand`; a script the
// parser cannot read is neither safe nor cacheable (we cannot say what it runs).
import path from "node:path";
import { parseShellScript, unwrapShellInvocation, type ParsedScript } from "../tools/bashParse.js";

export interface CommandAnalysis {
  /** The argv of each sub-command as run: the `bash -lc` script's commands when it is plain, else the argv itself. */
  readonly commands: readonly (readonly string[])[];
  /** Every sub-command is allowed by KNOWN_SAFE and the script has no redirection, substitution, subshell…
   * Only half of the contract: each of `programs` must also be the system's program (the gate checks). */
  readonly knownSafe: boolean;
  /** The program words that will be executed: the shell of a `bash -lc` invocation and each sub-command's
   * argv[0] (shell builtins excepted), as written (a bare name is looked up on the command's PATH). */
  readonly programs: readonly string[];
  /** Some sub-command (nested ones included) is on the dangerous list. */
  readonly dangerous: boolean;
  /** The script could not be parsed: nothing about it is known. */
  readonly opaque: boolean;
  /** A `bash -lc` script of plain commands only (what an execpolicy prefix can be matched against per command). */
  readonly plainScript: boolean;
}

// ---------------------------------------------------------------------------------------------
// Reading arguments

type OptionKind = "flag" | "value" | "optional";

/** What a command line said, once read against its table entry. */
export interface ReadArgs {
  /** Options in order, by the name the table spells (`-e`, `--expression`). */
  readonly options: readonly { readonly name: string; readonly value: string | null }[];
  readonly operands: readonly string[];
}

/** `-x` / `--name`: no value; `-x=` / `--name=`: a value, attached or the next word; `-x=?` / `--name=?`: an optional value, attached only. */
function parseOptionSpec(spec: string): ReadonlyMap<string, OptionKind> {
  const out = new Map<string, OptionKind>();
  for (const token of spec.split(/\s+/).filter((t) => t !== "")) {
    const kind: OptionKind = token.endsWith("=?") ? "optional" : token.endsWith("=") ? "value" : "flag";
    const name = token.replace(/=\??$/, "");
    if (!/^(-[^-]|--[a-z0-9][a-z0-9-]*|-[a-z][a-z0-9_]*)$/i.test(name)) throw new Error(`known-safe table: bad option spelling ${token}`);
    out.set(name, kind);
  }
  return out;
}

/** GNU getopt_long's reading (clap and lexopt, for fd and rg, read these spellings the same way). Null: a word the table does not allow. */
function readGetopt(args: readonly string[], table: ReadonlyMap<string, OptionKind>): ReadArgs | null {
  const options: { name: string; value: string | null }[] = [];
  const operands: string[] = [];
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (ended || a === "-" || !a.startsWith("-")) {
      operands.push(a);
      continue;
    }
    if (a === "--") {
      ended = true;
      continue;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a : a.slice(0, eq);
      // Exact spellings only: an abbreviation getopt would complete is simply not in the table.
      const kind = table.get(name);
      if (kind === undefined || name.length < 3) return null;
      if (kind === "flag") {
        if (eq >= 0) return null;
        options.push({ name, value: null });
      } else if (kind === "optional") {
        options.push({ name, value: eq < 0 ? null : a.slice(eq + 1) });
      } else {
        const value = eq < 0 ? args[++i] : a.slice(eq + 1);
        if (value === undefined) return null;
        options.push({ name, value });
      }
      continue;
    }
    // A group of short options; a value-taking one takes the rest of the word, or the next word.
    for (let j = 1; j < a.length; j++) {
      const name = `-${a[j] as string}`;
      const kind = table.get(name);
      if (kind === undefined) return null;
      if (kind === "flag") {
        options.push({ name, value: null });
        continue;
      }
      const rest = a.slice(j + 1);
      if (kind === "optional") options.push({ name, value: rest === "" ? null : rest });
      else {
        const value = rest !== "" ? rest : args[++i];
        if (value === undefined) return null;
        options.push({ name, value });
      }
      break;
    }
  }
  return { options, operands };
}

/** find's reading: starting points, then an expression of primaries; a primary that takes a value takes the next word. */
function readFind(args: readonly string[], table: ReadonlyMap<string, OptionKind>): ReadArgs | null {
  const options: { name: string; value: string | null }[] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    // `(`, `)`, `!`, `,` and the starting points are plain words; every other word starting with `-` is a primary.
    if (!a.startsWith("-") || a === "-") {
      operands.push(a);
      continue;
    }
    const kind = table.get(a);
    if (kind === undefined) return null;
    if (kind === "flag") options.push({ name: a, value: null });
    else {
      const value = args[++i];
      if (value === undefined) return null;
      options.push({ name: a, value });
    }
  }
  return { options, operands };
}

// ---------------------------------------------------------------------------------------------
// The table

export interface KnownSafeEntry {
  /** "getopt": GNU-style options; "find": an expression of primaries; "operands": no options, every word is data. */
  readonly reading: "getopt" | "find" | "operands";
  /** The allowed options, in parseOptionSpec's notation. Everything else makes the command unsafe. */
  readonly options: string;
  /** Plain arguments allowed (where one can be an output, or a new setting); unlimited when absent. */
  readonly maxOperands?: number;
  /** Each plain argument must pass this (date: only a `+FORMAT`, never a new clock value). */
  readonly operand?: (word: string) => boolean;
  /** A further check over what was read (sed: the script prints lines and nothing else). */
  readonly check?: (read: ReadArgs) => boolean;
  /** A builtin of bash, sh and zsh: inside a script it runs without a PATH lookup. */
  readonly builtin?: true;
  /** A representative safe invocation; the unit test runs it, and it again with each allowed option. */
  readonly example: readonly string[];
  /** The value the generated test gives valued options (default "1"). */
  readonly sampleValue?: string;
}

const DIGITS = "-0 -1 -2 -3 -4 -5 -6 -7 -8 -9";
const GREP =
  "-E -F -G -P -i -y -v -w -x -c -l -L -n -h -H -o -q -s -r -R -a -I -z -Z -b -T -U -e= -f= -A= -B= -C= -m= -d= -D= " +
  `${DIGITS} --extended-regexp --fixed-strings --basic-regexp --perl-regexp --regexp= --file= --ignore-case --no-ignore-case ` +
  "--invert-match --word-regexp --line-regexp --count --files-with-matches --files-without-match --line-number " +
  "--with-filename --no-filename --only-matching --quiet --silent --no-messages --recursive --dereference-recursive " +
  "--text --null --null-data --byte-offset --initial-tab --after-context= --before-context= --context= --max-count= " +
  "--include= --exclude= --exclude-dir= --exclude-from= --binary-files= --directories= --devices= --label= --color=? --colour=? --line-buffered";
const HEAD_TAIL = `-c= -n= -q -v -z ${DIGITS} --bytes= --lines= --quiet --silent --verbose --zero-terminated`;
/** A sed script that only prints addressed lines: `5p`, `1,20p`, `$p`, `1p;9p`. Any other command may write (`w`), run (`e`) or read a script file. */
const SED_PRINT_ONLY = /^(\d+|\$)(,(\d+|\$))?p(;(\d+|\$)(,(\d+|\$))?p)*$/;

/**
 * The known-safe table. Left out on purpose, each because it runs a program, writes or changes the host:
 * find -exec/-execdir/-ok/-okdir/-delete/-fprint*\/-fls; rg --pre/--pre-glob/-z/--search-zip (decompressors)/
 * --hostname-bin; fd -x/-X/--exec/--exec-batch/-l/--list-details (runs ls); sort -o/--output/
 * --compress-program/-T/--temporary-directory/--random-source/--files0-from; diff -l/--paginate (runs pr);
 * file -C/--compile, -z/-Z (decompressors), -p (resets access times), -m; tree -o, -R (writes 00Tree.html),
 * -H; date -s/--set and a plain MMDDhhmm operand; hostname NAME/-F/-b; uniq OUT (a second operand);
 * base64 -o; sed -i, -f and any script beyond printing; df --sync; git entirely (see the module comment).
 */
export const KNOWN_SAFE: Readonly<Record<string, KnownSafeEntry>> = {
  basename: { reading: "getopt", options: "-a -s= -z --multiple --suffix= --zero", example: ["basename", "src/a.ts"] },
  base64: { reading: "getopt", options: "-d -i -w= --decode --ignore-garbage --wrap=", maxOperands: 1, example: ["base64", "a.bin"] },
  cat: {
    reading: "getopt",
    options: "-A -b -e -E -n -s -t -T -u -v --show-all --number-nonblank --show-ends --number --squeeze-blank --show-tabs --show-nonprinting",
    example: ["cat", "a.txt"],
  },
  cd: { reading: "getopt", options: "-L -P -e", maxOperands: 1, builtin: true, example: ["cd", "src"] },
  cmp: { reading: "getopt", options: "-b -l -s -i= -n= --print-bytes --verbose --quiet --silent --ignore-initial= --bytes=", example: ["cmp", "a", "b"] },
  column: {
    reading: "getopt",
    options: "-t -x -c= -s= -o= --table --fillrows --output-width= --separator= --output-separator=",
    example: ["column", "-t", "a.txt"],
  },
  cut: {
    reading: "getopt",
    options: "-b= -c= -d= -f= -n -s -z --bytes= --characters= --delimiter= --fields= --complement --only-delimited --output-delimiter= --zero-terminated",
    example: ["cut", "-d", ",", "-f1", "a.csv"],
  },
  date: {
    reading: "getopt",
    options: "-u -R -d= -f= -r= -I=? --date= --file= --reference= --utc --universal --rfc-email --iso-8601=? --rfc-3339= --debug",
    maxOperands: 1,
    operand: (w) => w.startsWith("+"),
    example: ["date", "+%Y-%m-%d"],
  },
  df: {
    reading: "getopt",
    options:
      "-a -h -H -i -k -l -P -T -t= -x= -B= --all --human-readable --si --inodes --local --portability --print-type --type= --exclude-type= --block-size= --total",
    example: ["df", "-h", "."],
  },
  diff: {
    reading: "getopt",
    options:
      "-q -s -c -u -e -n -y -p -t -T -r -N -a -b -B -E -Z -w -i -d -C= -U= -W= -F= -I= -x= -X= -D= --brief --report-identical-files " +
      "--context=? --unified=? --ed --normal --rcs --side-by-side --width= --left-column --suppress-common-lines --show-c-function " +
      "--show-function-line= --label= --expand-tabs --initial-tab --tabsize= --suppress-blank-empty --recursive --no-dereference " +
      "--new-file --unidirectional-new-file --ignore-file-name-case --no-ignore-file-name-case --exclude= --exclude-from= " +
      "--starting-file= --from-file= --to-file= --ignore-case --ignore-tab-expansion --ignore-trailing-space --ignore-space-change " +
      "--ignore-all-space --ignore-blank-lines --ignore-matching-lines= --text --strip-trailing-cr --minimal --speed-large-files --color=?",
    example: ["diff", "-u", "a.txt", "b.txt"],
  },
  dirname: { reading: "getopt", options: "-z --zero", example: ["dirname", "src/a.ts"] },
  du: {
    reading: "getopt",
    options:
      "-0 -a -b -c -D -h -H -k -l -L -m -P -s -S -x -d= -B= -t= -X= --null --all --apparent-size --block-size= --bytes --total " +
      "--dereference-args --max-depth= --human-readable --inodes --count-links --dereference --no-dereference --separate-dirs --si " +
      "--summarize --threshold= --exclude= --exclude-from= --one-file-system --time=? --time-style=",
    example: ["du", "-sh", "src"],
  },
  echo: { reading: "operands", options: "", builtin: true, example: ["echo", "hi"] },
  egrep: { reading: "getopt", options: GREP, example: ["egrep", "-n", "foo|bar", "a.txt"] },
  expr: { reading: "operands", options: "", example: ["expr", "1", "+", "2"] },
  false: { reading: "operands", options: "", builtin: true, example: ["false"] },
  fd: {
    reading: "getopt",
    options:
      "-H -I -u -s -i -g -F -a -L -p -0 -1 -q -d= -t= -e= -E= -S= -c= -j= --hidden --no-hidden --no-ignore --no-ignore-vcs " +
      "--no-ignore-parent --unrestricted --case-sensitive --ignore-case --glob --regex --fixed-strings --absolute-path --relative-path " +
      "--follow --full-path --print0 --prune --one-file-system --quiet --show-errors --max-depth= --min-depth= --exact-depth= " +
      "--type= --extension= --exclude= --size= --changed-within= --changed-before= --owner= --max-results= --color= --threads= " +
      "--search-path= --base-directory= --ignore-file= --path-separator= --and= --format= --strip-cwd-prefix=?",
    example: ["fd", "-e", "ts", "src"],
  },
  fgrep: { reading: "getopt", options: GREP, example: ["fgrep", "-n", "foo", "a.txt"] },
  file: {
    reading: "getopt",
    options:
      "-b -i -k -L -h -N -r -s -E -0 -e= -F= -f= -P= --brief --mime --mime-type --mime-encoding --keep-going --dereference " +
      "--no-dereference --no-pad --raw --special-files --extension --print0 --exclude= --separator= --files-from= --parameter=",
    example: ["file", "a.bin"],
  },
  find: {
    reading: "find",
    options:
      "-H -L -P -name= -iname= -path= -ipath= -wholename= -iwholename= -regex= -iregex= -regextype= -type= -xtype= -size= " +
      "-mtime= -mmin= -atime= -amin= -ctime= -cmin= -newer= -anewer= -cnewer= -used= -perm= -user= -group= -uid= -gid= -links= " +
      "-inum= -samefile= -lname= -ilname= -fstype= -maxdepth= -mindepth= -printf= -empty -readable -writable -executable -nouser " +
      "-nogroup -true -false -depth -mount -xdev -follow -noleaf -daystart -ignore_readdir_race -print -print0 -ls -prune -quit " +
      "-not -a -and -o -or",
    example: ["find", ".", "-name", "*.ts", "-type", "f"],
  },
  grep: { reading: "getopt", options: GREP, example: ["grep", "-rn", "TODO", "."] },
  head: { reading: "getopt", options: HEAD_TAIL, example: ["head", "-n", "20", "a.txt"] },
  hostname: {
    reading: "getopt",
    options: "-a -A -d -f -i -I -s -y --alias --all-fqdns --domain --fqdn --long --ip-address --all-ip-addresses --short --yp --nis",
    maxOperands: 0,
    example: ["hostname"],
  },
  id: { reading: "getopt", options: "-a -Z -g -G -n -r -u -z --context --group --groups --name --real --user --zero", example: ["id", "-u"] },
  ls: {
    reading: "getopt",
    options:
      "-a -A -b -B -c -C -d -f -F -g -G -h -H -i -k -l -L -m -n -N -o -p -q -Q -r -R -s -S -t -u -U -v -x -X -Z -1 -w= -T= -I= " +
      "--all --almost-all --escape --ignore-backups --directory --classify=? --file-type --dereference-command-line --dereference " +
      "--no-group --human-readable --si --inode --kibibytes --numeric-uid-gid --literal --hide-control-chars --show-control-chars " +
      "--quote-name --reverse --recursive --size --context --group-directories-first --full-time --author --color=? --sort= --time= " +
      "--time-style= --format= --width= --tabsize= --ignore= --hide= --indicator-style= --quoting-style= --block-size=",
    example: ["ls", "-la", "src"],
  },
  nl: {
    reading: "getopt",
    options:
      "-p -b= -d= -f= -h= -i= -l= -n= -s= -v= -w= --no-renumber --body-numbering= --section-delimiter= --footer-numbering= " +
      "--header-numbering= --line-increment= --join-blank-lines= --number-format= --number-separator= --starting-line-number= --number-width=",
    example: ["nl", "-ba", "a.txt"],
  },
  numfmt: {
    reading: "getopt",
    options:
      "-d= -z --debug --grouping --zero-terminated --delimiter= --field= --format= --from= --from-unit= --header=? --invalid= " +
      "--padding= --round= --suffix= --to= --to-unit=",
    example: ["numfmt", "--to=iec", "1048576"],
  },
  paste: { reading: "getopt", options: "-s -z -d= --delimiters= --serial --zero-terminated", example: ["paste", "a.txt", "b.txt"] },
  printenv: { reading: "getopt", options: "-0 --null", example: ["printenv", "HOME"] },
  pwd: { reading: "getopt", options: "-L -P", maxOperands: 0, builtin: true, example: ["pwd"] },
  readlink: {
    reading: "getopt",
    options: "-f -e -m -n -q -s -v -z --canonicalize --canonicalize-existing --canonicalize-missing --no-newline --quiet --silent --verbose --zero",
    example: ["readlink", "-f", "a.txt"],
  },
  realpath: {
    reading: "getopt",
    options:
      "-e -m -L -P -q -s -z --canonicalize-existing --canonicalize-missing --logical --physical --quiet --relative-to= --relative-base= " +
      "--strip --no-symlinks --zero",
    example: ["realpath", "a.txt"],
  },
  rev: { reading: "getopt", options: "-0 --zero", example: ["rev", "a.txt"] },
  rg: {
    reading: "getopt",
    options:
      "-a -b -c -F -H -i -I -l -L -n -N -o -p -P -q -s -S -U -v -w -x -0 -u -. -e= -f= -g= -t= -T= -A= -B= -C= -m= -M= -d= -j= " +
      "-r= -E= --files --files-with-matches --files-without-match --count --count-matches --fixed-strings --hidden --no-hidden " +
      "--ignore-case --case-sensitive --smart-case --no-ignore --no-ignore-vcs --no-ignore-dot --no-ignore-parent --no-ignore-global " +
      "--no-ignore-exclude --no-ignore-files --follow --line-number --no-line-number --column --no-column --heading --no-heading " +
      "--with-filename --no-filename --only-matching --quiet --invert-match --word-regexp --line-regexp --multiline --multiline-dotall " +
      "--pcre2 --null --null-data --text --binary --json --vimgrep --stats --trim --passthru --type-list --no-messages --one-file-system " +
      "--unrestricted --crlf --byte-offset --no-config --glob-case-insensitive --line-buffered --block-buffered --include-zero " +
      "--max-columns-preview --no-unicode --regexp= --file= --glob= --iglob= --type= --type-not= --type-add= --context= " +
      "--after-context= --before-context= --max-count= --max-columns= --max-depth= --max-filesize= --threads= --replace= --sort= " +
      "--sortr= --color= --colors= --encoding= --engine= --context-separator= --field-match-separator= --path-separator= --ignore-file=",
    example: ["rg", "-n", "fn main", "src"],
  },
  sed: {
    reading: "getopt",
    options: "-n -E -r -s -z -u -e= --quiet --silent --regexp-extended --separate --null-data --unbuffered --posix --debug --expression=",
    check: (read) => {
      const scripts = read.options.filter((o) => o.name === "-e" || o.name === "--expression").map((o) => o.value ?? "");
      // Without -e the first plain argument is the script.
      if (scripts.length === 0 && read.operands[0] !== undefined) scripts.push(read.operands[0]);
      return scripts.length > 0 && scripts.every((s) => SED_PRINT_ONLY.test(s));
    },
    example: ["sed", "-n", "1,20p", "a.txt"],
    sampleValue: "5p",
  },
  seq: { reading: "getopt", options: "-w -f= -s= --equal-width --format= --separator=", example: ["seq", "1", "10"] },
  sort: {
    reading: "getopt",
    options:
      "-b -d -f -g -i -M -h -n -R -r -V -c -C -m -s -u -z -k= -t= -S= --ignore-leading-blanks --dictionary-order --ignore-case " +
      "--general-numeric-sort --ignore-nonprinting --month-sort --human-numeric-sort --numeric-sort --random-sort --reverse " +
      "--version-sort --merge --stable --unique --zero-terminated --debug --sort= --check=? --key= --field-separator= --buffer-size= --parallel=",
    example: ["sort", "-u", "a.txt"],
  },
  stat: { reading: "getopt", options: "-L -f -t -c= --dereference --file-system --terse --format= --printf= --cached=", example: ["stat", "a.txt"] },
  tac: { reading: "getopt", options: "-b -r -s= --before --regex --separator=", example: ["tac", "a.txt"] },
  tail: { reading: "getopt", options: HEAD_TAIL, example: ["tail", "-n", "50", "log.txt"] },
  tr: { reading: "getopt", options: "-c -C -d -s -t --complement --delete --squeeze-repeats --truncate-set1", maxOperands: 2, example: ["tr", "a-z", "A-Z"] },
  tree: {
    reading: "getopt",
    options:
      "-a -d -l -f -x -i -q -N -Q -p -u -g -s -h -D -F -v -t -c -U -r -n -C -A -S -J -X -L= -P= -I= --noreport --prune --dirsfirst " +
      "--filesfirst --du --si --gitignore --matchdirs --ignore-case --charset= --filelimit= --timefmt= --sort=",
    example: ["tree", "-L", "2", "src"],
  },
  true: { reading: "operands", options: "", builtin: true, example: ["true"] },
  uname: {
    reading: "getopt",
    options:
      "-a -s -n -r -v -m -p -i -o --all --kernel-name --nodename --kernel-release --kernel-version --machine --processor " +
      "--hardware-platform --operating-system",
    maxOperands: 0,
    example: ["uname", "-a"],
  },
  uniq: {
    reading: "getopt",
    options:
      "-c -d -D -i -u -z -f= -s= -w= --count --repeated --ignore-case --unique --zero-terminated --all-repeated=? --group=? " +
      "--skip-fields= --skip-chars= --check-chars=",
    // `uniq IN OUT` writes OUT.
    maxOperands: 1,
    example: ["uniq", "-c", "a.txt"],
  },
  wc: { reading: "getopt", options: "-c -m -l -L -w --bytes --chars --lines --max-line-length --words --total=", example: ["wc", "-l", "a.txt"] },
  which: { reading: "getopt", options: "-a -s", example: ["which", "node"] },
  whoami: { reading: "getopt", options: "", maxOperands: 0, example: ["whoami"] },
};

const TABLES = new Map(Object.entries(KNOWN_SAFE).map(([name, e]) => [name, parseOptionSpec(e.options)]));

/** The options an entry allows, as read from its spec (the unit test generates its cases from these). */
export function knownSafeOptions(name: string): ReadonlyMap<string, OptionKind> {
  return TABLES.get(name) ?? new Map();
}

/** What the entry reads from `args`, or null when a word is not allowed. */
function readKnownSafeArgs(entry: KnownSafeEntry, table: ReadonlyMap<string, OptionKind>, args: readonly string[]): ReadArgs | null {
  switch (entry.reading) {
    case "operands":
      return { options: [], operands: [...args] };
    case "find":
      return readFind(args, table);
    case "getopt":
      return readGetopt(args, table);
  }
}

/** The table entry for a program word: a bare name, or an absolute path by its base name (the gate checks
 * which file that is). A relative path (`./cat`, `bin/cat`) is never the system's program. */
export function knownSafeEntryFor(word: string): { name: string; entry: KnownSafeEntry } | null {
  if (word.includes("/") && !word.startsWith("/")) return null;
  const name = path.posix.basename(word);
  const entry = Object.hasOwn(KNOWN_SAFE, name) ? KNOWN_SAFE[name] : undefined;
  return entry === undefined ? null : { name, entry };
}

/** One simple command's argv, without redirections or assignments (the caller checks those). */
export function isKnownSafeArgv(argv: readonly string[]): boolean {
  const [first, ...args] = argv;
  if (first === undefined) return false;
  const found = knownSafeEntryFor(first);
  if (found === null) return false;
  const { entry } = found;
  const read = readKnownSafeArgs(entry, knownSafeOptions(found.name), args);
  if (read === null) return false;
  if (entry.maxOperands !== undefined && read.operands.length > entry.maxOperands) return false;
  if (entry.operand && !read.operands.every(entry.operand)) return false;
  return entry.check ? entry.check(read) : true;
}

// ---------------------------------------------------------------------------------------------
// Dangerous commands: asked every time where the policy can ask, never from the session cache.

function base(word: string): string {
  // `/usr/bin/rm` is `rm`; `./rm` is some other program, judged by the sandbox like any other.
  return word.startsWith("/") ? path.posix.basename(word) : word;
}

function shortFlags(args: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const a of args) {
    if (a === "--") break;
    if (a.startsWith("--")) set.add(a);
    else if (a.startsWith("-") && a.length > 1) for (const c of a.slice(1)) set.add(`-${c}`);
  }
  return set;
}

/** Commands whose effect is destructive or hard to undo; they are asked every time where the policy can ask. */
export function isDangerousArgv(argv: readonly string[]): boolean {
  const [first, ...args] = argv;
  if (first === undefined) return false;
  const cmd = base(first);
  switch (cmd) {
    case "sudo":
    case "doas":
    case "su":
    case "pkexec":
    case "mkfs":
    case "shred":
    case "wipefs":
    case "fdisk":
    case "dd":
      return true;
    case "rm": {
      const f = shortFlags(args);
      return f.has("-f") || f.has("-r") || f.has("-R") || f.has("--force") || f.has("--recursive");
    }
    case "git": {
      const sub = args.find((a) => !a.startsWith("-"));
      const rest = sub === undefined ? [] : args.slice(args.indexOf(sub) + 1);
      const f = shortFlags(rest);
      if (sub === "reset") return f.has("--hard") || f.has("--merge") || f.has("--keep");
      if (sub === "clean") return f.has("-f") || f.has("--force");
      if (sub === "push")
        return f.has("-f") || f.has("--force") || [...f].some((x) => x.startsWith("--force-with-lease")) || f.has("--delete") || f.has("--mirror");
      if (sub === "branch") return f.has("-D");
      if (sub === "checkout" || sub === "restore") return rest.includes("--") || rest.includes(".") || f.has("-f") || f.has("--force");
      return false;
    }
    case "chmod":
    case "chown":
      return shortFlags(args).has("-R") || shortFlags(args).has("--recursive");
    case "find":
      return args.includes("-delete");
    default:
      return cmd.startsWith("mkfs.");
  }
}

/** The program words a plain script executes: the shell itself and each command that is not one of its builtins. */
function programsOf(shell: string | null, commands: readonly (readonly string[])[]): string[] {
  const out = shell === null ? [] : [shell];
  for (const argv of commands) {
    const first = argv[0];
    if (first === undefined) continue;
    // A builtin runs without a lookup only by its bare name inside a script; `/bin/echo` is a program.
    if (shell !== null && !first.includes("/") && knownSafeEntryFor(first)?.entry.builtin) continue;
    out.push(first);
  }
  return [...new Set(out)];
}

function classifyScript(parsed: ParsedScript): { knownSafe: boolean; dangerous: boolean } {
  const dangerous = parsed.commands.some((c) => isDangerousArgv(c.argv) || isDangerousArgv(stripWrapper(c.argv)));
  // Safe only when the script is nothing but literal commands joined by && || ; |; a redirection,
  // substitution, subshell or assignment (`PAGER=… git log`, `PATH=.:$PATH cat`) may write or run anything.
  const knownSafe =
    parsed.plain &&
    parsed.commands.length > 0 &&
    parsed.commands.every((c) => !c.nested && c.redirects.length === 0 && c.assignments.length === 0 && isKnownSafeArgv(c.argv));
  return { knownSafe, dangerous };
}

/** `sudo`/`env`/`nice`/`timeout` run another command; its danger is theirs. */
function stripWrapper(argv: readonly string[]): readonly string[] {
  const first = argv[0] === undefined ? "" : base(argv[0]);
  if (
    first === "env" ||
    first === "nice" ||
    first === "nohup" ||
    first === "time" ||
    first === "timeout" ||
    first === "xargs" ||
    first === "command" ||
    first === "exec"
  ) {
    let i = 1;
    while (i < argv.length && (argv[i]?.startsWith("-") || argv[i]?.includes("=") || (first === "timeout" && /^\d/.test(argv[i] ?? "")))) i++;
    return argv.slice(i);
  }
  return argv;
}

export function analyzeCommand(argv: readonly string[]): CommandAnalysis {
  const shell = unwrapShellInvocation(argv);
  if (shell === null) {
    const inner = stripWrapper(argv);
    return {
      commands: [argv],
      knownSafe: isKnownSafeArgv(argv),
      programs: programsOf(null, [argv]),
      dangerous: isDangerousArgv(argv) || isDangerousArgv(inner) || nestedShellDangerous(inner),
      opaque: false,
      plainScript: false,
    };
  }
  const parsed = parseShellScript(shell.script);
  if (parsed === null) return { commands: [argv], knownSafe: false, programs: [shell.shell], dangerous: false, opaque: true, plainScript: false };
  const { knownSafe, dangerous } = classifyScript(parsed);
  const nestedDanger = parsed.commands.some((c) => nestedShellDangerous(c.argv));
  const commands = parsed.plain ? parsed.commands.map((c) => c.argv) : [argv];
  return {
    commands,
    knownSafe,
    programs: programsOf(
      shell.shell,
      parsed.commands.map((c) => c.argv),
    ),
    dangerous: dangerous || nestedDanger,
    opaque: false,
    plainScript: parsed.plain,
  };
}

/** `bash -lc "bash -c 'rm -rf /'"`: the inner script counts. */
function nestedShellDangerous(argv: readonly string[]): boolean {
  const inner = unwrapShellInvocation(stripWrapper(argv));
  if (inner === null) return false;
  const parsed = parseShellScript(inner.script);
  if (parsed === null) return false;
  return classifyScript(parsed).dangerous || parsed.commands.some((c) => nestedShellDangerous(c.argv));
}
