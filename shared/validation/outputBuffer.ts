/**
 * Bounded views of a command's output. A command may print hundreds of MB;
 * neither memory nor the terminal may grow with it. No `vscode` import.
 */

export const DEFAULT_TAIL_CHARS = 64 * 1024;

/** Keeps the last `limit` characters of everything pushed. */
export class TailBuffer {
  private chunks: string[] = [];
  private length = 0;
  /** Characters pushed in all, kept or not. */
  total = 0;

  constructor(private readonly limit = DEFAULT_TAIL_CHARS) {}

  push(text: string): void {
    if (!text) return;
    this.total += text.length;
    if (text.length >= this.limit) {
      this.chunks = [text.slice(text.length - this.limit)];
      this.length = this.limit;
      return;
    }
    this.chunks.push(text);
    this.length += text.length;
    while (this.length - this.chunks[0].length >= this.limit) this.length -= this.chunks.shift()!.length;
  }

  get truncated(): boolean {
    return this.total > this.limit;
  }

  text(): string {
    const joined = this.chunks.join('');
    // Collapse so later pushes do not re-join the same chunks.
    this.chunks = joined ? [joined] : [];
    return joined.length > this.limit ? joined.slice(joined.length - this.limit) : joined;
  }
}

/** The last `count` non-empty lines of `text`. */
export function lastLines(text: string, count: number): string[] {
  const lines = text.split(/\r?\n|\r/).filter((line) => line.trim() !== '');
  return lines.slice(Math.max(0, lines.length - count));
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Passes live output on until `budget` characters were written for one
 * command, then swallows the rest; `finish` writes what was skipped and the
 * tail, so a terminal shows the start and the end of a flood.
 */
export class LiveOutputLimiter {
  private written = 0;
  private skipped = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly budget = 512 * 1024,
  ) {}

  push(text: string): void {
    if (this.written + text.length <= this.budget) {
      this.written += text.length;
      this.write(text);
      return;
    }
    if (this.skipped === 0) this.write('\n\x1b[2m… more output than the terminal should hold; the end follows when the command stops …\x1b[0m\n');
    this.skipped += text.length;
  }

  /** Writes the last lines of `tail` if live output was cut. */
  finish(tail: string, lines = 40): void {
    if (this.skipped === 0) return;
    const kept = lastLines(tail, lines);
    this.write(`\x1b[2m… ${formatSize(this.skipped)} not shown; the last ${kept.length} lines:\x1b[0m\n${kept.join('\n')}\n`);
  }
}

export function formatSize(chars: number): string {
  if (chars < 1024) return `${chars} B`;
  if (chars < 1024 * 1024) return `${(chars / 1024).toFixed(0)} KB`;
  return `${(chars / 1024 / 1024).toFixed(1)} MB`;
}
