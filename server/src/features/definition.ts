import type { Location, Position } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { toRange } from './convert';
import type { FeatureContext } from './featureContext';
import { idOccurrenceAt, occurrencesOf } from './taskIds';

/** Go to definition from a `blockedBy`, `dependsOn` or `parentId` id to the id of the task it names, in whatever file that is. */
export function provideDefinition(analysis: DocumentAnalysis, position: Position, context: FeatureContext): Location | null {
  const at = idOccurrenceAt(analysis, analysis.lines.offsetAt(position), context);
  if (!at || at.role === 'definition') return null;
  const target = occurrencesOf(at.id, analysis, context).find((o) => o.role === 'definition');
  return target ? { uri: target.holder.uri, range: toRange(target.holder.analysis.lines, target.node.range) } : null;
}
