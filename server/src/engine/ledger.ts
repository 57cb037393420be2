import { parseTree, type ParseError } from 'jsonc-parser';

/**
 * `logs/ledger.jsonl` beside a v2 board's config: one JSON record per line for
 * every completed task (`@brainfile/core` appends them). A record names task
 * ids in `id` (the task it records) and `parentId`, so renaming an id edits them too.
 */
export const LEDGER_FILE = 'logs/ledger.jsonl';

/** The record fields that hold a task id. */
export type LedgerIdField = 'id' | 'parentId';
const ID_FIELDS: readonly LedgerIdField[] = ['id', 'parentId'];

/** A task id written in a ledger record: the offsets of its characters, without the quotes. */
export interface LedgerIdRef {
  id: string;
  field: LedgerIdField;
  start: number;
  end: number;
}

/**
 * Every task id the ledger's records name, line by line. A line that is not a
 * JSON object is skipped (the ledger is append-only and may end half-written),
 * and a string written with escapes is left alone: its characters are not the id's.
 */
export function ledgerIdRefs(text: string): LedgerIdRef[] {
  const refs: LedgerIdRef[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const errors: ParseError[] = [];
    const parsed = line.trim() ? parseTree(line, errors, { disallowComments: true }) : undefined;
    const tree = errors.length ? undefined : parsed;
    for (const property of tree?.type === 'object' ? (tree.children ?? []) : []) {
      const [key, value] = property.children ?? [];
      const field = ID_FIELDS.find((f) => f === key?.value);
      if (!field || value?.type !== 'string') continue;
      const raw = line.slice(value.offset + 1, value.offset + value.length - 1);
      if (raw !== value.value) continue;
      refs.push({ id: raw, field, start: lineStart + value.offset + 1, end: lineStart + value.offset + value.length - 1 });
    }
    lineStart = lineEnd + 1;
  }
  return refs;
}
