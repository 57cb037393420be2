/**
 * Text output of the CLI holds file names and values someone else wrote. CI
 * reads some lines as commands (GitHub Actions: `::error file=…::`, `##[…]`),
 * so no character may end a line early, and no line may start with one.
 */

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters and line separators as visible escapes (`\n`, `\u001b`). */
export function escapeText(text: string): string {
  return text.replace(CONTROL, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A relative file name for the start of a line: escaped, and never starting like a workflow command. */
export function escapePath(file: string): string {
  const escaped = escapeText(file);
  return /^(\s|::|##|:|#)/.test(escaped) ? `./${escaped}` : escaped;
}
