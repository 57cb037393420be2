import { describeNode, getValue, type DataNode } from './dataNode';
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
  // A BOM is not JSON, but editors write it: the first line starts after it.
  for (let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const contentEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = text.slice(start, contentEnd);
    if (line.trim()) checkLine(text, line, start, out);
    start = end + 1;
  }
  return out;
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

function shiftTree(node: DataNode, delta: number): void {
  node.range.start += delta;
  node.range.end += delta;
  if (node.type === 'object') {
    for (const property of node.properties) {
      property.keyRange.start += delta;
      property.keyRange.end += delta;
      shiftTree(property.value, delta);
    }
  } else if (node.type === 'array') {
    for (const item of node.items) if (item.range !== node.range) shiftTree(item, delta);
  }
}
