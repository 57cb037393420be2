/**
 * Glob matching in linear time. Patterns come from settings a repository can
 * ship (`.vscode/settings.json`), and file names come from the repository: a
 * backtracking regex (what picomatch compiles to) takes exponential time on
 * `**\/*a*a*a*a*a*a*a*a*a*a*a*a*a*b` against a long name of `a`s. Here a
 * pattern is a small automaton run over the path once, keeping the set of
 * states it may be in: time is path length × pattern length, whatever the
 * pattern.
 *
 * Supported: `*` (any run within a path segment), `**` as a whole segment
 * (any number of segments), `?`, `[abc]`, `[a-z]`, `[!x]`/`[^x]`, `{a,b}`
 * (nested, at most MAX_ALTERNATIVES expansions) and `\` escapes. Dots are
 * ordinary characters (picomatch's `dot: true`).
 */

type Token =
  | { kind: 'char'; char: string }
  | { kind: 'any' }
  | { kind: 'class'; negated: boolean; ranges: Array<[string, string]> }
  /** `*`: any run of characters other than `/`. */
  | { kind: 'star' }
  /** A trailing `**`: any run of characters, `/` included. */
  | { kind: 'starAll' }
  /** `**\/` at the start of a segment: zero or more whole segments, each with its `/`; two states. */
  | { kind: 'segmentsStart' }
  | { kind: 'segmentsInner' }
  /** The `/` before a trailing `**`: `a/**` matches `a` too. */
  | { kind: 'optionalSlash' };

/** Brace expansions beyond this are refused: `{a,b}{c,d}...` grows exponentially. */
export const MAX_ALTERNATIVES = 256;
/** Longer patterns are refused (they cost time per path character). */
export const MAX_PATTERN_LENGTH = 1024;

export interface GlobProblem {
  pattern: string;
  reason: string;
}

/** Expands `{a,b}` groups; undefined when there would be more than MAX_ALTERNATIVES. */
export function expandBraces(pattern: string): string[] | undefined {
  const open = findUnescaped(pattern, '{', 0);
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      close = i;
      break;
    } else if (ch === ',' && depth === 1) commas.push(i);
  }
  // An unbalanced or comma-less brace is literal text.
  if (close < 0 || !commas.length) {
    const rest = expandBraces(pattern.slice(open + 1));
    return rest?.map((tail) => pattern.slice(0, open + 1) + tail);
  }
  const bounds = [open, ...commas, close];
  const head = pattern.slice(0, open);
  const tails = expandBraces(pattern.slice(close + 1));
  if (!tails) return undefined;
  const out: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const inner = expandBraces(pattern.slice(bounds[i] + 1, bounds[i + 1]));
    if (!inner) return undefined;
    for (const middle of inner) {
      for (const tail of tails) {
        out.push(head + middle + tail);
        if (out.length > MAX_ALTERNATIVES) return undefined;
      }
    }
  }
  return out;
}

function findUnescaped(text: string, char: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

/** Tokens of one brace-free pattern. */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      tokens.push({ kind: 'char', char: pattern[++i] });
    } else if (ch === '*') {
      let end = i;
      while (pattern[end + 1] === '*') end++;
      const wholeSegment = (i === 0 || pattern[i - 1] === '/') && (end + 1 === pattern.length || pattern[end + 1] === '/');
      if (end > i && wholeSegment && pattern[end + 1] === '/') {
        tokens.push({ kind: 'segmentsStart' }, { kind: 'segmentsInner' });
        i = end + 1;
      } else if (end > i && wholeSegment) {
        const last = tokens[tokens.length - 1];
        if (last?.kind === 'char' && last.char === '/') tokens[tokens.length - 1] = { kind: 'optionalSlash' };
        tokens.push({ kind: 'starAll' });
        i = end;
      } else {
        // Consecutive stars within a segment are one star.
        tokens.push({ kind: 'star' });
        i = end;
      }
    } else if (ch === '?') {
      tokens.push({ kind: 'any' });
    } else if (ch === '[') {
      const parsed = parseClass(pattern, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else tokens.push({ kind: 'char', char: ch });
    } else {
      tokens.push({ kind: 'char', char: ch });
    }
  }
  return tokens;
}

function parseClass(pattern: string, open: number): { token: Token; end: number } | undefined {
  let i = open + 1;
  const negated = pattern[i] === '!' || pattern[i] === '^';
  if (negated) i++;
  const ranges: Array<[string, string]> = [];
  let first = true;
  for (; i < pattern.length; i++) {
    let ch = pattern[i];
    if (ch === ']' && !first) return { token: { kind: 'class', negated, ranges }, end: i };
    first = false;
    if (ch === '\\' && i + 1 < pattern.length) ch = pattern[++i];
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      let to = pattern[i + 2];
      i += 2;
      if (to === '\\' && i + 1 < pattern.length) to = pattern[++i];
      ranges.push([ch, to]);
    } else ranges.push([ch, ch]);
  }
  return undefined;
}

function inClass(token: Extract<Token, { kind: 'class' }>, ch: string): boolean {
  const found = token.ranges.some(([from, to]) => ch >= from && ch <= to);
  return found !== token.negated;
}

/** Runs the automaton of `tokens` over `path`. */
function run(tokens: Token[], path: string): boolean {
  const count = tokens.length;
  let current = new Uint8Array(count + 1);
  let next = new Uint8Array(count + 1);
  const add = (states: Uint8Array, state: number): void => {
    // Epsilon moves: a star may match nothing; `**/` may match no segment at all.
    while (state <= count && !states[state]) {
      states[state] = 1;
      const kind = tokens[state]?.kind;
      if (kind === 'star' || kind === 'starAll') state += 1;
      else if (kind === 'segmentsStart' || kind === 'optionalSlash') state += 2;
      else return;
    }
  };
  add(current, 0);
  for (let p = 0; p < path.length; p++) {
    const ch = path[p];
    next.fill(0);
    let alive = false;
    for (let state = 0; state < count; state++) {
      if (!current[state]) continue;
      const token = tokens[state];
      switch (token.kind) {
        case 'char':
          if (ch === token.char) add(next, state + 1);
          break;
        case 'any':
          if (ch !== '/') add(next, state + 1);
          break;
        case 'class':
          if (ch !== '/' && inClass(token, ch)) add(next, state + 1);
          break;
        case 'star':
          if (ch !== '/') add(next, state);
          break;
        case 'starAll':
          add(next, state);
          break;
        case 'segmentsStart':
          // An empty segment (`//`) ends at once; anything else starts one.
          add(next, ch === '/' ? state : state + 1);
          break;
        case 'optionalSlash':
          if (ch === '/') add(next, state + 1);
          break;
        case 'segmentsInner':
          add(next, ch === '/' ? state - 1 : state);
          break;
      }
    }
    for (let state = 0; state <= count && !alive; state++) alive = next[state] === 1;
    if (!alive) return false;
    [current, next] = [next, current];
  }
  return current[count] === 1;
}

export interface GlobMatcher {
  (path: string): boolean;
  /** Patterns that were refused (too long or too many alternatives): they match nothing. */
  problems: GlobProblem[];
}

/** One matcher for several patterns: true when any of them matches the whole path. */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const problems: GlobProblem[] = [];
  const automata: Token[][] = [];
  for (const pattern of patterns) {
    if (pattern.length > MAX_PATTERN_LENGTH) {
      problems.push({ pattern, reason: `it is longer than ${MAX_PATTERN_LENGTH} characters` });
      continue;
    }
    const expanded = expandBraces(pattern);
    if (!expanded) {
      problems.push({ pattern, reason: `its {…} groups expand to more than ${MAX_ALTERNATIVES} patterns` });
      continue;
    }
    for (const one of expanded) automata.push(tokenize(one));
  }
  const matcher = ((path: string) => automata.some((tokens) => run(tokens, path))) as GlobMatcher;
  matcher.problems = problems;
  return matcher;
}
