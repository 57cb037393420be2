import type { DocumentAnalysis } from './analyze';
import { arrayNode, objectNode, propertyNode, scalarNode, type DataNode, type PropertyNode, type ScalarNode } from './dataNode';
import type { EngineDiagnostic } from './diagnostics';
import { readTask } from './model';
import { internKey } from './parseYaml';
import type { Region } from './regions';
import type { SchemaId } from './schemaStore';
import { LineIndex } from './text';

/**
 * A v2 task file's analysis in a form that crosses threads cheaply: its trees
 * flattened into one typed array of numbers (a copy of bytes, where a list of
 * mixed numbers and strings is cloned element by element) and the few strings
 * the text does not hold (keys, values written otherwise); a scalar's source
 * is its text's slice again. Rebuilt on arrival with the parser's own object
 * shapes (so code reading them stays fast) and the task read again from the
 * tree by the same `readTask`. A structured clone of the analysis itself
 * measured worse: every string and key arrived as a copy of its own (a third
 * more heap) and the objects in shapes of the clone's own.
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
  numbers: Float64Array;
  /** The strings `numbers` refers to, in order of use. */
  strings: string[];
  diagnostics: EngineDiagnostic[];
}

const OBJECT = 0;
const ARRAY = 1;
const SCALAR = 2;
const SCALAR_TYPES: ReadonlyArray<ScalarNode['type']> = ['string', 'number', 'boolean', 'null'];
/** Where a scalar's source comes from: the text at its range (most), or the next string. */
const SOURCE_IN_TEXT = 0;
const SOURCE_STRING = 1;
/** Where a scalar's value comes from: its source string itself (as the parser shares it), the next number, the next string, or a constant. */
const VALUE_SOURCE = 0;
const VALUE_NUMBER = 1;
const VALUE_STRING = 2;
const VALUE_TRUE = 3;
const VALUE_FALSE = 4;
const VALUE_NULL = 5;

interface Encoder {
  text: string;
  numbers: number[];
  strings: string[];
  seen: Set<DataNode>;
}

/** The transferable form of a task file's analysis; undefined for other kinds and for trees that share nodes. */
export function encodeTaskAnalysis(analysis: DocumentAnalysis): TransferredTask | undefined {
  if (analysis.kind !== 'task') return undefined;
  const encoder: Encoder = { text: analysis.text, numbers: [], strings: [], seen: new Set() };
  for (const { root } of analysis.regions) if (root && !encodeNode(root, undefined, undefined, encoder)) return undefined;
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
    numbers: Float64Array.from(encoder.numbers),
    strings: encoder.strings,
    diagnostics: analysis.diagnostics,
  };
}

/**
 * Pre-order: objects `0 start end flow count (keyStart keyEnd value)*` (keys in `strings`), lists `1 start end flow count item*`,
 * scalars `2 type start end sourceFrom valueFrom [number]` (see `SOURCE_*`, `VALUE_*`).
 */
function encodeNode(node: DataNode, parent: DataNode | undefined, key: string | number | undefined, out: Encoder): boolean {
  // A node reached twice, or one whose parent link points elsewhere, is shared: not flattened.
  if (out.seen.has(node) || node.parent !== parent || node.key !== key) return false;
  out.seen.add(node);
  const { numbers, strings } = out;
  const { start, end } = node;
  if (node.type === 'object') {
    numbers.push(OBJECT, start, end, node.flow ? 1 : 0, node.properties.length);
    for (const property of node.properties) {
      if (property.merged) return false;
      strings.push(property.key);
      numbers.push(property.keyStart, property.keyEnd);
      if (!encodeNode(property.value, node, property.key, out)) return false;
    }
    return true;
  }
  if (node.type === 'array') {
    numbers.push(ARRAY, start, end, node.flow ? 1 : 0, node.items.length);
    return node.items.every((item, index) => encodeNode(item, node, index, out));
  }
  numbers.push(SCALAR, SCALAR_TYPES.indexOf(node.type), start, end);
  if (node.source === out.text.slice(start, end)) numbers.push(SOURCE_IN_TEXT);
  else {
    numbers.push(SOURCE_STRING);
    strings.push(node.source);
  }
  const value = node.value;
  // A string value equal to the source text but another string object comes back shared: harmless, the same characters.
  if (value === node.source && node.type !== 'number') numbers.push(VALUE_SOURCE);
  else if (typeof value === 'number') numbers.push(VALUE_NUMBER, value);
  else if (typeof value === 'string') {
    numbers.push(VALUE_STRING);
    strings.push(value);
  }
  else numbers.push(value === true ? VALUE_TRUE : value === false ? VALUE_FALSE : VALUE_NULL);
  return true;
}

interface Decoder {
  text: string;
  numbers: Float64Array;
  strings: string[];
  at: number;
  string: number;
}

/** The analysis `encodeTaskAnalysis` was made from (deeply equal to it). */
export function decodeTaskAnalysis(transferred: TransferredTask): DocumentAnalysis {
  const { text } = transferred;
  const analysis: DocumentAnalysis = { path: transferred.path, text, lines: new LineIndex(text), kind: 'task', regions: [], diagnostics: [] };
  const reader: Decoder = { text, numbers: transferred.numbers, strings: transferred.strings, at: 0, string: 0 };
  for (const { region, schemaId, hasRoot } of transferred.regions) analysis.regions.push({ region, root: hasRoot ? decodeNode(reader) : undefined, schemaId });
  if (transferred.skipped) analysis.skipped = transferred.skipped;
  if (transferred.version) analysis.version = transferred.version;
  const first = analysis.regions[0];
  if (transferred.hasTask && first?.root?.type === 'object') analysis.task = readTask(first.root, first.region, 'file');
  analysis.diagnostics = transferred.diagnostics;
  return analysis;
}

/** Builds nodes as the parser does (`parseYaml.ts`): the same properties in the same order, keys interned. */
function decodeNode(reader: Decoder): DataNode {
  const numbers = reader.numbers;
  const tag = numbers[reader.at++];
  if (tag === SCALAR) {
    const type = SCALAR_TYPES[numbers[reader.at++]];
    const start = numbers[reader.at++];
    const end = numbers[reader.at++];
    const source = numbers[reader.at++] === SOURCE_IN_TEXT ? reader.text.slice(start, end) : reader.strings[reader.string++];
    const from = numbers[reader.at++];
    let value: ScalarNode['value'];
    if (from === VALUE_SOURCE) value = source;
    else if (from === VALUE_NUMBER) value = numbers[reader.at++];
    else if (from === VALUE_STRING) value = reader.strings[reader.string++];
    else value = from === VALUE_TRUE ? true : from === VALUE_FALSE ? false : null;
    return scalarNode(type, value, source, start, end);
  }
  const start = numbers[reader.at++];
  const end = numbers[reader.at++];
  const flow = numbers[reader.at++] === 1;
  const count = numbers[reader.at++];
  if (tag === OBJECT) {
    const properties: PropertyNode[] = new Array(count);
    const node = objectNode(start, end, flow, properties);
    for (let i = 0; i < count; i++) {
      const key = internKey(reader.strings[reader.string++]);
      const keyStart = numbers[reader.at++];
      const keyEnd = numbers[reader.at++];
      const value = decodeNode(reader);
      value.parent = node;
      value.key = key;
      properties[i] = propertyNode(key, keyStart, keyEnd, value);
    }
    return node;
  }
  const items: DataNode[] = new Array(count);
  const node = arrayNode(start, end, flow, items);
  for (let i = 0; i < count; i++) {
    const item = decodeNode(reader);
    item.parent = node;
    item.key = i;
    items[i] = item;
  }
  return node;
}
