/**
 * Delta debugging (ddmin): removes ever smaller chunks of lines, then of
 * characters, keeping each removal after which the case still fails the same
 * way. `stillFails` may be slow (a server round trip), so the number of tries
 * is bounded.
 */
export async function shrink(text: string, stillFails: (candidate: string) => Promise<boolean>, maxTries = 400): Promise<string> {
  let tries = 0;
  const test = async (candidate: string) => tries++ < maxTries && (await stillFails(candidate));
  const byLines = await ddmin(splitKeepingBreaks(text), (parts) => test(parts.join('')));
  const byChars = await ddmin([...byLines.join('')], (parts) => test(parts.join('')));
  return byChars.join('');
}

/** Lines with their line breaks, so joining gives the text back exactly (CRLF included). */
function splitKeepingBreaks(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

async function ddmin<T>(parts: T[], fails: (parts: T[]) => Promise<boolean>): Promise<T[]> {
  let current = parts;
  let chunks = 2;
  while (current.length >= 2) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    for (let start = 0; start < current.length; start += size) {
      const complement = [...current.slice(0, start), ...current.slice(start + size)];
      if (complement.length && (await fails(complement))) {
        current = complement;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunks >= current.length) break;
      chunks = Math.min(chunks * 2, current.length);
    }
  }
  return current;
}
