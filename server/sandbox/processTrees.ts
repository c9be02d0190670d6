// Every process tree startExec has started and not yet reaped, so that a shutdown whose grace has run
// out can still kill them all before the daemon exits: a command leads its own process group (an
// unwrapped one is not even tied to the daemon's life), so it would outlive the daemon otherwise.
// Imported by the App as well as by spawn.ts, and free of imports, so that reaching it at the last
// moment reads nothing from disk.

const trees = new Set<() => void>();

/** Registers a tree's SIGKILL; the function returned forgets it (once the tree is reaped). */
export function trackProcessTree(kill: () => void): () => void {
  trees.add(kill);
  return () => {
    trees.delete(kill);
  };
}

/** SIGKILLs every tree not yet reaped; returns how many there were. */
export function killEveryProcessTree(): number {
  const count = trees.size;
  for (const kill of [...trees]) {
    try {
      kill();
    } catch {
      // Nothing to do at this point but go on with the next one.
    }
  }
  return count;
}
