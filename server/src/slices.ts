import type { Steps } from './engine/steps';

/** Longest run of engine steps before the request loop gets a turn. */
export const SLICE_MS = 8;
/** An event-loop turn longer than this did other work (a request was answered, a message read). */
const BUSY_TURN_MS = 2;
/**
 * Requests go first, but analysis still gets a slice after this many turns:
 * counted, not timed, since on a loaded machine an idle turn can take long
 * too (the process waits for a core), and timing would starve the analysis.
 */
const MAX_TURNS = 16;

/**
 * Runs a stepwise engine computation in slices of about `SLICE_MS`, yielding
 * to the event loop between slices so requests are answered meanwhile.
 * Resolves undefined, dropping the work, once `isStale` says a newer version
 * made it pointless.
 */
export async function runInSlices<T>(steps: Steps<T>, isStale: () => boolean = () => false, sliceMs = SLICE_MS): Promise<T | undefined> {
  let deadline = performance.now() + sliceMs;
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() < deadline) continue;
    await yieldToRequests();
    if (isStale()) {
      steps.return(undefined as T);
      return undefined;
    }
    deadline = performance.now() + sliceMs;
  }
}

/**
 * Gives the event loop turns until one comes back at once (nothing else was
 * waiting) or `MAX_TURNS` went by. The JSON-RPC connection handles one
 * message per turn: a single turn between slices would answer one request per
 * slice, and a burst of requests would queue behind the analysis.
 */
async function yieldToRequests(): Promise<void> {
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const before = performance.now();
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (performance.now() - before < BUSY_TURN_MS) return;
  }
}
