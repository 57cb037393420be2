/**
 * User text (task titles, ids, column names, file names) inside the Markdown
 * the server builds for hovers and completion docs. A title is data someone
 * else wrote: it must read as text, never as a link, an image or HTML.
 */

/** Text with every ASCII punctuation character backslash-escaped and line breaks as spaces. */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A code span that holds `text` whatever backticks it contains. */
export function codeSpan(text: string): string {
  const line = oneLine(text);
  let longest = 0;
  for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick needs a space inside its fence.
  const pad = /^`|`$/.test(line) ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}
