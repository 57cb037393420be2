import type { Range } from 'vscode-languageserver';
import type { EngineDiagnostic } from '../../server/src/engine/diagnostics';
import type { LineIndex } from '../../server/src/engine/text';

/** Why a case failed. */
export type FailureKind = 'exception' | 'timeout' | 'bad-range' | 'server-exit' | 'server-error';

export interface Failure {
  kind: FailureKind;
  /** Where it happened: `engine` or `server`, and the feature. */
  where: string;
  message: string;
}

/** Two failures are "the same bug" for shrinking when kind, place and message shape agree. */
export function signature(failure: Failure): string {
  const firstLine = failure.message.split('\n')[0].replace(/\d+/g, 'N').slice(0, 200);
  return `${failure.kind} in ${failure.where}: ${firstLine}`;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const frame = /\n\s+at ([^\n]+)/.exec(error.stack ?? '')?.[1] ?? '';
    return `${error.name}: ${error.message}${frame ? ` (at ${frame.replace(/\(.*[\\/]/, '(')})` : ''}`;
  }
  return String(error);
}

/** An engine offset range: whole numbers, in order, inside the text. */
export function offsetRangeProblem(d: EngineDiagnostic, textLength: number): string | undefined {
  const { start, end } = d.range;
  if (!Number.isInteger(start) || !Number.isInteger(end)) return `${d.code}: non-integer range ${start}-${end}`;
  if (start > end) return `${d.code}: start ${start} > end ${end}`;
  if (start < 0 || end > textLength) return `${d.code}: range ${start}-${end} outside the document (length ${textLength})`;
  return undefined;
}

/** An LSP range: in order, on existing lines, within each line's length. */
export function lspRangeProblem(range: Range | undefined, lines: LineIndex, what: string): string | undefined {
  if (!range) return `${what}: no range`;
  const { start, end } = range;
  const inside = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && p.character <= lines.lineText(p.line).length;
  if (!inside(start) || !inside(end)) return `${what}: range ${format(range)} outside the document (${lines.lineCount} lines)`;
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return `${what}: start after end in ${format(range)}`;
  return undefined;
}

export function rangeContains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function format(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}
