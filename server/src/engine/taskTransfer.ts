import type { DocumentAnalysis } from './analyze';
import { arrayNode, objectNode, propertyNode, scalarNode, type DataNode, type ScalarNode } from './dataNode';
import type { EngineDiagnostic } from './diagnostics';
import { readTask } from './model';
import { internKey } from './parseYaml';
import type { Region } from './regions';
import type { SchemaId } from './schemaStore';
import { LineIndex } from './text';

/**
 * A v2 task file's analysis in a form that crosses threads cheaply: its trees
 * flattened into one list of numbers and strings, rebuilt on arrival with the
 * parser's own object shapes (so code reading them stays fast) and the task
 * read again from the tree by the same `readTask`. A structured clone of the
 * analysis itself measured worse: every string and key arrived as a copy of
 * its own (a third more heap) and the objects in shapes of the clone's own.
 *
 * Trees that share nodes (YAML aliases, `<<` merges) are not flattened:
 * `encodeTaskAnalysis` answers undefined and the caller analyzes the file itself.
 */
export interface TransferredTask {
  path: string;
  text: string;
  version?: 1 | 2;
  skipped?: DocumentAnalysis['skipped'];
  regions: Array<{ region: Region; schemaId: SchemaId; hasRoot: boolean }>;
  /** Whether `task` was read from the first region's root. */
  hasTask: boolean;
  /** Every region's root, one after the other (see `encodeNode`). */
  nodes: Array<number | string | boolean | null>;
  diagnostics: EngineDiagnostic[];
}

const OBJECT = 0;
const ARRAY = 1;
const SCALAR = 2;
const SCALAR_TYPES: ReadonlyArray<ScalarNode['type']> = ['string', 'number', 'boolean', 'null'];
/** A scalar whose value is its source text (most are): one string for both, as the parser keeps it. */
const SAME_AS_SOURCE = 0;

/** The transferable form of a task file's analysis; undefined for other kinds and for trees that share nodes. */
export function encodeTaskAnalysis(analysis: DocumentAnalysis): TransferredTask | undefined {
  if (analysis.kind !== 'task') return undefined;
  const nodes: TransferredTask['nodes'] = [];
  const seen = new Set<DataNode>();
  for (const { root } of analysis.regions) if (root && !encodeNode(root, undefined, undefined, nodes, seen)) return undefined;
  const first = analysis.regions[0];
  // The engine reads the task from the first region's root; anything else is not what `decodeTaskAnalysis` rebuilds.
  if (analysis.task && (analysis.task.node !== first?.root || analysis.task.region !== first.region)) return undefined;
  return {
    path: analysis.path,
    text: analysis.text,
    version: analysis.version,
    skipped: analysis.skipped,
    regions: analysis.regions.map(({ region, schemaId, root }) => ({ region, schemaId, hasRoot: root !== undefined })),
    hasTask: analysis.task !== undefined,
    nodes,
    diagnostics: analysis.diagnostics,
  };
}

/** Pre-order: objects `0 start end flow count (key keyStart keyEnd value)*`, lists `1 start end flow count item*`, scalars `2 type start end source value`. */
function encodeNode(node: DataNode, parent: DataNode | undefined, key: string | number | undefined, out: TransferredTask['nodes'], seen: Set<DataNode>): boolean {
  // A node reached twice, or one whose parent link points elsewhere, is shared: not flattened.
  if (seen.has(node) || node.parent !== parent || node.key !== key) return false;
  seen.add(node);
  const { start, end } = node;
  if (node.type === 'object') {
    out.push(OBJECT, start, end, node.flow, node.properties.length);
    for (const property of node.properties) {
      if (property.merged) return false;
      out.push(property.key, property.keyStart, property.keyEnd);
      if (!encodeNode(property.value, node, property.key, out, seen)) return false;
    }
    return true;
  }
  if (node.type === 'array') {
    out.push(ARRAY, start, end, node.flow, node.items.length);
    return node.items.every((item, index) => encodeNode(item, node, index, out, seen));
  }
  out.push(SCALAR, SCALAR_TYPES.indexOf(node.type), start, end, node.source, node.value === node.source ? SAME_AS_SOURCE : node.value);
  // A string value equal to the source text but another string object would come back shared: harmless, the same characters.
  return true;
}

/** The analysis `encodeTaskAnalysis` was made from (deeply equal to it). */
export function decodeTaskAnalysis(transferred: TransferredTask): DocumentAnalysis {
  const { text } = transferred;
  const analysis: DocumentAnalysis = { path: transferred.path, text, lines: new LineIndex(text), kind: 'task', regions: [], diagnostics: [] };
  const reader = { nodes: transferred.nodes, at: 0 };
  for (const { region, schemaId, hasRoot } of transferred.regions) analysis.regions.push({ region, root: hasRoot ? decodeNode(reader) : undefined, schemaId });
  if (transferred.skipped) analysis.skipped = transferred.skipped;
  if (transferred.version) analysis.version = transferred.version;
  const first = analysis.regions[0];
  if (transferred.hasTask && first?.root?.type === 'object') analysis.task = readTask(first.root, first.region, 'file');
  analysis.diagnostics = transferred.diagnostics;
  return analysis;
}

/** Builds nodes as the parser does (`parseYaml.ts`): the same properties in the same order, keys interned. */
function decodeNode(reader: { nodes: TransferredTask['nodes']; at: number }): DataNode {
  const nodes = reader.nodes;
  const tag = nodes[reader.at++] as number;
  if (tag === SCALAR) {
    const type = SCALAR_TYPES[nodes[reader.at++] as number];
    const start = nodes[reader.at++] as number;
    const end = nodes[reader.at++] as number;
    const source = nodes[reader.at++] as string;
    const value = nodes[reader.at++];
    return scalarNode(type, value === SAME_AS_SOURCE && type !== 'number' ? source : (value as ScalarNode['value']), source, start, end);
  }
  const start = nodes[reader.at++] as number;
  const end = nodes[reader.at++] as number;
  const flow = nodes[reader.at++] as boolean;
  const count = nodes[reader.at++] as number;
  if (tag === OBJECT) {
    const node = objectNode(start, end, flow);
    for (let i = 0; i < count; i++) {
      const key = internKey(nodes[reader.at++] as string);
      const keyStart = nodes[reader.at++] as number;
      const keyEnd = nodes[reader.at++] as number;
      const value = decodeNode(reader);
      value.parent = node;
      value.key = key;
      node.properties.push(propertyNode(key, keyStart, keyEnd, value));
    }
    node.properties = node.properties.slice();
    return node;
  }
  const node = arrayNode(start, end, flow);
  const items: DataNode[] = [];
  for (let i = 0; i < count; i++) {
    const item = decodeNode(reader);
    item.parent = node;
    item.key = i;
    items.push(item);
  }
  node.items = items.slice();
  return node;
}
