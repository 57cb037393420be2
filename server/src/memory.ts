import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Every edit of a big document leaves its previous text behind: megabytes in
 * V8's large-object space, which only a full collection frees. When edits come
 * fast (an incremental update takes a few milliseconds), V8 starts that
 * collection late and the heap overshoots by several texts: the 5,000-task
 * board peaked about 12 MB higher once edits got cheap. So once the replaced
 * document text reaches `DISCARDED_SHARE` of the heap in use, the server asks
 * V8 for a full collection (`execution: 'async'`: in a task of its own, after
 * the diagnostics are out; the collection itself pauses the server while it
 * marks), as V8 would start one itself a little later. Relative to the heap,
 * so a bigger board (whose every collection costs more) is not collected more
 * often: about every third edit at 5,000 and at 20,000 tasks. 15% was that
 * rate with the tree before its offsets moved onto the nodes; with a third
 * less heap it collected after every second edit at 20,000 tasks, and each
 * collection delays the edit that follows it.
 */
const DISCARDED_SHARE = 0.2;
/** Texts below this size live in the young generation and die cheaply. */
const LARGE_TEXT_CHARS = 256 * 1024;

let discarded = 0;
let collect: ((options: { type: 'major'; execution: 'async' }) => void) | null | undefined;

/** A document's text of `chars` characters was replaced by a new one. */
export function textReplaced(chars: number): void {
  if (chars >= LARGE_TEXT_CHARS) discarded += chars;
}

/** Starts a concurrent full collection when enough replaced text has piled up. */
export function collectIfDue(): void {
  if (discarded < DISCARDED_SHARE * getHeapStatistics().used_heap_size) return;
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
