// The shell a command line runs in when the model does not name one: the user's login shell.
export function defaultShell(): string {
  const shell = process.env["SHELL"];
  return shell && shell.startsWith("/") ? shell : "/bin/bash";
}
