/**
 * Fuzzy matching for symbol search: the query's characters must appear in
 * order (case-insensitive); runs of consecutive characters, word starts and a
 * match at the very start score higher. Undefined when there is no match.
 * `lowerCandidate` is the candidate already lowercased (callers cache it);
 * `lowerQuery` has its spaces removed.
 */
export function fuzzyScore(lowerQuery: string, lowerCandidate: string): number | undefined {
  if (!lowerQuery) return 0;
  const c = lowerCandidate;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (let i = 0; i < lowerQuery.length; i++) {
    const found = c.indexOf(lowerQuery[i], from);
    if (found < 0) return undefined;
    score += 1;
    if (found === previous + 1) score += 4;
    if (found === 0 || !isWordChar(c.charCodeAt(found - 1))) score += 3;
    previous = found;
    from = found + 1;
  }
  // Shorter candidates win among equal matches.
  return score * 100 - Math.min(99, c.length);
}

/** A query as `fuzzyScore` takes it. */
export function normalizeQuery(query: string): string {
  return query.toLowerCase().replace(/\s+/g, '');
}

function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}
