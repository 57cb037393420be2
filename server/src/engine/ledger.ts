import { describeNode, getValue, shiftTree, type DataNode } from './dataNode';
import { diagnostic, type EngineDiagnostic } from './diagnostics';
import { parseJsonDocument } from './parseJson';
import type { Region } from './regions';
import { SchemaIds } from './schemaStore';
import { checkAgainstSchema } from './validateSchema';

/**
 * A Brainfile v2 ledger (`logs/ledger.jsonl`): one JSON record per line, each
 * checked on its own against the protocol's ledger record, with ranges in the
 * whole file. A broken line never hides the lines after it.
 */
export interface LedgerLine {
  region: Region;
  root?: DataNode;
}

export interface LedgerAnalysis {
  lines: LedgerLine[];
  /** Ids of the completed tasks the ledger records: references to them are not dangling. */
  ids: Set<string>;
  diagnostics: EngineDiagnostic[];
}

export function analyzeLedger(text: string): LedgerAnalysis {
  const out: LedgerAnalysis = { lines: [], ids: new Set(), diagnostics: [] };
  for (const { line, offset } of ledgerLines(text)) checkLine(text, line, offset, out);
  return out;
}

/** The non-blank lines of a ledger with their offsets; a BOM is not JSON, but editors write it. */
function* ledgerLines(text: string): Generator<{ line: string; offset: number }> {
  for (let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const contentEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = text.slice(start, contentEnd);
    if (line.trim()) yield { line, offset: start };
    start = end + 1;
  }
}

function checkLine(text: string, line: string, offset: number, out: LedgerAnalysis): void {
  const parsed = parseJsonDocument(line);
  const firstChar = offset + line.length - line.trimStart().length;
  const region: Region = { kind: 'json', content: { start: offset, end: offset + line.length }, open: { start: firstChar, end: firstChar + 1 } };
  out.diagnostics.push(...parsed.diagnostics.map((d) => shiftDiagnostic(d, offset)));
  const root = parsed.root;
  if (root) shiftTree(root, offset);
  out.lines.push({ region, root });
  if (!root || !parsed.complete || parsed.syntaxErrors) return;
  if (root.type !== 'object') {
    out.diagnostics.push(diagnostic('invalid-type', 'error', root.range, `Expected a ledger record (a JSON object) on this line, found ${describeNode(root)}.`));
    return;
  }
  const id = getValue(root, 'id');
  if (id?.type === 'string') out.ids.add(id.value as string);
  out.diagnostics.push(...checkAgainstSchema(root, SchemaIds.ledgerRecord, { text, rootAnchor: region.open, rootLabel: 'this ledger record' }));
}

function shiftDiagnostic(d: EngineDiagnostic, delta: number): EngineDiagnostic {
  const moved: EngineDiagnostic = { ...d, range: { start: d.range.start + delta, end: d.range.end + delta } };
  if (d.data?.insertOffset !== undefined) moved.data = { ...d.data, insertOffset: d.data.insertOffset + delta };
  return moved;
}


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
  for (const { line, offset } of ledgerLines(text)) {
    const parsed = parseJsonDocument(line);
    const root = parsed.root;
    if (!root || !parsed.complete || parsed.syntaxErrors || root.type !== 'object') continue;
    for (const property of root.properties) {
      const field = ID_FIELDS.find((f) => f === property.key);
      const value = property.value;
      if (!field || value.type !== 'string') continue;
      const raw = line.slice(value.range.start + 1, value.range.end - 1);
      if (raw !== value.value) continue;
      refs.push({ id: raw, field, start: offset + value.range.start + 1, end: offset + value.range.end - 1 });
    }
  }
  return refs;
}
