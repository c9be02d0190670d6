// The probe's tests' bwrap: the options a bubblewrap 0.8 `--help` lists that the launcher needs, one per
// line as bwrap prints them (`--flag ARG   description`; the probe reads only the option names).
export const BWRAP_FLAGS = [
  "--unshare-user",
  "--unshare-pid",
  "--unshare-ipc",
  "--unshare-net",
  "--cap-drop",
  "--die-with-parent",
  "--new-session",
  "--seccomp",
  "--json-status-fd",
  "--ro-bind-data",
  "--remount-ro",
  "--tmpfs",
  "--dev",
  "--proc",
  "--dir",
  "--symlink",
  "--chdir",
  "--perms",
  "--disable-userns",
] as const;

export const BWRAP_HELP = BWRAP_FLAGS.map((f) => `    ${f} X   text`).join("\n");
