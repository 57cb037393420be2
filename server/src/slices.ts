import type { Steps } from './engine/steps';

/** Longest run of engine steps before the request loop gets a turn. */
export const SLICE_MS = 8;

/**
 * Runs a stepwise engine computation in slices of about `SLICE_MS`, yielding
 * to the event loop (`setImmediate`) between slices so requests are answered
 * meanwhile. Resolves undefined, dropping the work, once `isStale` says a
 * newer version made it pointless.
 */
export async function runInSlices<T>(steps: Steps<T>, isStale: () => boolean = () => false, sliceMs = SLICE_MS): Promise<T | undefined> {
  let deadline = performance.now() + sliceMs;
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() < deadline) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (isStale()) {
      steps.return(undefined as T);
      return undefined;
    }
    deadline = performance.now() + sliceMs;
  }
}
