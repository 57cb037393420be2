import type { AnalyzedRegion, DocumentAnalysis } from '../engine/analyze';
import { innermostNodeAt, pathOf, type ObjectNode, type PathSegment, type PropertyNode, type ScalarNode } from '../engine/dataNode';
import { rangeContains } from '../engine/text';
import { boardTasks, type FeatureContext, type TaskRef } from './featureContext';

/** What sits under the cursor in a document's YAML or JSON: a key, or a scalar value. */
export type CursorToken =
  | { kind: 'key'; region: AnalyzedRegion; object: ObjectNode; property: PropertyNode; path: PathSegment[] }
  | { kind: 'value'; region: AnalyzedRegion; node: ScalarNode; path: PathSegment[] };

export function tokenAt(analysis: DocumentAnalysis, offset: number): CursorToken | undefined {
  const region = analysis.regions.find((r) => r.root && rangeContains(r.region.content, offset));
  const node = innermostNodeAt(region?.root, offset);
  if (!region || !node) return undefined;
  if (node.type === 'object') {
    // Keys are not nodes: the innermost node holding a key is the object that owns it.
    const property = node.properties.find((p) => !p.merged && rangeContains(p.keyRange, offset));
    return property ? { kind: 'key', region, object: node, property, path: [...pathOf(node), property.key] } : undefined;
  }
  if (node.type === 'array') return undefined;
  return { kind: 'value', region, node, path: pathOf(node) };
}

/** True for the path of one `blockedBy` entry: `[..., 'blockedBy', n]`. */
/** A value that names a task of the board: an entry of `blockedBy` or `dependsOn`, or `parentId`. */
export function isTaskReference(path: readonly PathSegment[]): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  return (typeof last === 'number' && (parent === 'blockedBy' || parent === 'dependsOn')) || (last === 'parentId' && path.length >= 1);
}

/**
 * The task a `blockedBy` id names, across files for v2. Fenced blocks are
 * examples in the notes and define no ids, as the board rules say.
 */
export function findTaskById(analysis: DocumentAnalysis, id: string, context: FeatureContext): TaskRef | undefined {
  return boardTasks(context, analysis).find((ref) => ref.task.id === id && ref.task.location !== 'fence');
}
