import { DocumentHighlightKind, type DocumentHighlight, type Location, type Position } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { toRange } from './convert';
import type { FeatureContext } from './featureContext';
import { boardLedger, idOccurrenceAt, occurrencesOf } from './taskIds';

/** Find All References on a task id, from its definition or any reference, across the board's files and its ledger's records. */
export function provideReferences(analysis: DocumentAnalysis, position: Position, includeDeclaration: boolean, context: FeatureContext): Location[] {
  const at = idOccurrenceAt(analysis, analysis.lines.offsetAt(position), context);
  if (!at) return [];
  const inFiles = occurrencesOf(at.id, analysis, context)
    .filter((o) => includeDeclaration || o.role !== 'definition')
    .map((o) => ({ uri: o.holder.uri, range: toRange(o.holder.analysis.lines, o.node.range) }));
  const ledger = boardLedger(analysis, context);
  const inLedger = (ledger?.refs ?? []).filter((r) => r.id === at.id).map((r) => ({ uri: ledger!.uri, range: toRange(ledger!.lines, r) }));
  return [...inFiles, ...inLedger];
}

/** Highlights every occurrence of the id under the cursor in this document: the definition as a write, references as reads. */
export function provideDocumentHighlights(analysis: DocumentAnalysis, position: Position, context: FeatureContext): DocumentHighlight[] {
  const at = idOccurrenceAt(analysis, analysis.lines.offsetAt(position), context);
  if (!at) return [];
  return occurrencesOf(at.id, analysis, context)
    .filter((o) => o.holder.analysis.path === analysis.path)
    .map((o) => ({ range: toRange(analysis.lines, o.node.range), kind: o.role === 'definition' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}
