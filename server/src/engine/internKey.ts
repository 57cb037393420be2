import { ownString } from './text';

/** Keys repeat in every task (`id`, `title`, `status`…): one string each instead of one per occurrence (also for trees rebuilt by `analysisTransfer.ts`). */
const internedKeys = new Map<string, string>();
const MAX_INTERNED_KEYS = 10_000;
const MAX_INTERNED_KEY_LENGTH = 40;

export function internKey(key: string): string {
  if (key.length > MAX_INTERNED_KEY_LENGTH) return ownString(key);
  const known = internedKeys.get(key);
  if (known !== undefined) return known;
  if (internedKeys.size >= MAX_INTERNED_KEYS) internedKeys.clear();
  // A copy of its own, so the cache does not keep a parsed text alive.
  const own = ownString(key);
  internedKeys.set(own, own);
  return own;
}
