/**
 * User text (task titles, ids, column names, file names) inside the Markdown
 * the server builds for hovers and completion docs. A title is data someone
 * else wrote: it must read as text, never as a link, an image or HTML.
 */

/**
 * Inline text with line breaks as spaces and every character that can open
 * Markdown escaped: emphasis, code, links and images, HTML, autolinks (`:`
 * of `https:`, the dot of `www.`), and a list or heading marker at the start.
 * Hyphens and dots inside words stay as they are (`task-1`, `a.md`).
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_{}[\]()<>#!|~:&]/g, '\\$&')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/^([-+=]|\d+[.)])/, (marker) => marker.replace(/[-+=.)]/, '\\$&'));
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
