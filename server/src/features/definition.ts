import type { Location, Position } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { toRange } from './convert';
import type { FeatureContext } from './featureContext';
import { findTaskById, isTaskReference, tokenAt } from './lookup';

/** Go to definition from a `blockedBy`, `dependsOn` or `parentId` id to the id of the task it names, in whatever file that is. */
export function provideDefinition(analysis: DocumentAnalysis, position: Position, context: FeatureContext): Location | null {
  const token = tokenAt(analysis, analysis.lines.offsetAt(position));
  if (token?.kind !== 'value' || !isTaskReference(token.path)) return null;
  const target = findTaskById(analysis, String(token.node.value), context);
  const idNode = target?.task.idNode;
  if (!target || !idNode) return null;
  return { uri: target.uri, range: toRange(target.analysis.lines, idNode.range) };
}
