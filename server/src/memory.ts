import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A replaced text of a big document stays behind as megabytes in V8's
 * large-object space, which only a full collection frees. Since open
 * documents keep their text as pieces (`OpenDocument`), a keystroke replaces
 * none: only a whole-text change or a new flat base (every `MAX_PIECES`
 * pieces) does, and those are what `textReplaced` counts. Before, every edit
 * left a whole copy behind. When such texts come fast, V8 starts that
 * collection late and the heap overshoots by several texts: the 5,000-task
 * board peaked about 12 MB higher once edits got cheap. So once the replaced
 * document text reaches `DISCARDED_SHARE` of the rest of the heap in use, the
 * server asks V8 for a full collection (`execution: 'async'`: in a task of its
 * own, after the diagnostics are out; the collection itself pauses the server
 * while it marks the whole heap). Relative to the heap, so a bigger board
 * (whose every collection costs more) is not collected more often.
 *
 * When V8 collected by itself since the last check, the replaced texts are
 * gone and nothing is asked. With the smaller tree (offsets on the nodes) the
 * 20,000-task board's heap leaves V8 room for fewer texts, so V8 now starts
 * its own collection, which marks concurrently and pauses the server briefly;
 * asking at 15% of the heap in use, as before, collected after every second
 * edit (27 full collections in 53 edits, against 18 before), each pausing the
 * edit that follows it. Peak RSS is higher this way (287–299 MB against
 * 261 MB at 20,000 tasks) but an edit's latency stays where it was.
 */
const DISCARDED_SHARE = 0.25;
/** Texts below this size live in the young generation and die cheaply. */
const LARGE_TEXT_CHARS = 256 * 1024;

let discarded = 0;
/** The heap in use at the last check: less now means a full collection ran in between (V8's own). */
let usedAtLastCheck = 0;
let collect: ((options: { type: 'major'; execution: 'async' }) => void) | null | undefined;

/** A document's text of `chars` characters was replaced by a new one. */
export function textReplaced(chars: number): void {
  if (chars >= LARGE_TEXT_CHARS) discarded += chars;
}

/** Asks V8 for a full collection when enough replaced text has piled up since the last one. */
export function collectIfDue(): void {
  const used = getHeapStatistics().used_heap_size;
  // Between two checks an edit only adds text; a smaller heap means V8 collected by itself, freeing what was replaced before (not asked twice).
  if (used < usedAtLastCheck) discarded = 0;
  usedAtLastCheck = used;
  if (discarded < DISCARDED_SHARE * (used - discarded)) return;
  discarded = 0;
  gcFunction()?.({ type: 'major', execution: 'async' });
}

/** V8's `gc`, exposed at run time (the server's flags stay those the client passes); null when unavailable. */
function gcFunction(): typeof collect {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as typeof collect;
    } catch {
      collect = null;
    }
  }
  return collect;
}
