/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

function normalize(value: string): string {
  return value.toLowerCase().replace(/[-_\s]+/g, '');
}

/**
 * The candidate a likely typo meant, or undefined when nothing is close.
 * Close means: equal once case, `-`, `_` and spaces are ignored (`in-progress`),
 * a singular/plural slip (`deliverable`), or a small edit distance (`stauts`).
 */
export function closestMatch(value: string, candidates: readonly string[]): string | undefined {
  if (value.length === 0 || value.length > 64) return undefined;
  const normalized = normalize(value);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (candidate === value) return undefined;
    const other = normalize(candidate);
    let score: number;
    if (other === normalized) score = 0;
    else if (other === normalized + 's' || normalized === other + 's') score = 0.5;
    else {
      const distance = editDistance(normalized, other);
      const allowed = Math.min(other.length, normalized.length) <= 4 ? 1 : 2;
      score = distance <= allowed ? distance : Infinity;
    }
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}
