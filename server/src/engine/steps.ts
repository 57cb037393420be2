/**
 * Long analyses are generators that yield between small steps (one task item
 * parsed, one task or column checked). The engine stays synchronous and
 * editor-free: `runToEnd` runs one at once, and the server drives the same
 * generator in time slices so a 4 MB board never blocks its request loop.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs a stepwise computation to its end, without pausing. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
