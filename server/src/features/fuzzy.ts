/**
 * Fuzzy matching for symbol search: the query's characters must appear in
 * order (case-insensitive); runs of consecutive characters, word starts and a
 * match at the very start score higher. Undefined when there is no match.
 */
export function fuzzyScore(query: string, candidate: string): number | undefined {
  if (!query) return 0;
  const q = query.toLowerCase();
  const c = candidate.toLowerCase();
  let score = 0;
  let from = 0;
  let previous = -2;
  for (let i = 0; i < q.length; i++) {
    const ch = q[i];
    if (ch === ' ') continue;
    const found = c.indexOf(ch, from);
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

function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}
