import type { AnalyzedRegion, DocumentAnalysis } from './analyze';
import type { DocumentKind } from './classify';
import { arrayNode, objectNode, propertyNode, scalarNode, type ArrayNode, type DataNode, type ObjectNode, type PropertyNode, type ScalarNode } from './dataNode';
import type { EngineDiagnostic } from './diagnostics';
import { readBoardSteps, readTask } from './model';
import { internKey } from './internKey';
import type { Region } from './regions';
import { SchemaIds, type SchemaId } from './schemaStore';
import { runToEnd, type Steps } from './steps';
import { LineIndex } from './text';

/**
 * A document's analysis in a form that crosses threads cheaply, so big
 * documents (and the v2 task files of a big scan) are analyzed on a worker
 * thread whose heap takes the parse's garbage: the regions and trees
 * flattened into typed arrays (transferred, not copied), keys as a table of
 * the distinct ones, the few other strings the text does not hold joined into
 * one, and the diagnostics as JSON in parts. A scalar's source is its text's
 * slice again. A structured clone of the analysis itself measured worse:
 * every string and key arrived as a copy of its own (a third more heap), the
 * objects in shapes of the clone's own, and the main thread deserializes one
 * message in one go (hundreds of milliseconds for a 4 MB board).
 *
 * The main thread rebuilds it in steps (`decodeAnalysisSteps`, a few thousand
 * nodes a step) with the parser's own node shapes, and reads the model again
 * from the trees with the engine's own readers (`readBoardSteps`, `readTask`),
 * so there is no second reader to keep in line. Trees that share nodes (YAML
 * aliases, `<<` merges) are not flattened: `encodeAnalysis` answers undefined
 * and the caller analyzes the document itself.
 */
export interface TransferredAnalysis {
  path: string;
  kind: DocumentKind;
  version?: 1 | 2;
  skipped?: DocumentAnalysis['skipped'];
  /** Per region `REGION_INTS` numbers: kind, content start and end, open start and end, schema (index in `SCHEMA_IDS`), whether it has a root. */
  regions: Int32Array;
  /** Every region's root, one after the other (see `encodeNode`). */
  tree: Int32Array;
  /** The values of number scalars, in order of use. */
  numbers: Float64Array;
  /** The distinct keys, `tree` refers to them by index. */
  keys: string[];
  /** The other strings `tree` refers to (by length), joined in order of use. */
  strings: string;
  /** What the analysis holds besides regions: read again from the roots on arrival. */
  has: { board?: true; task?: true; deployment?: true };
  ledgerIds?: string[];
  /** The diagnostics as JSON, `DIAGNOSTICS_PER_PART` a part: each part is parsed in a step of its own. */
  diagnostics: string[];
}

/** The buffers to hand to `postMessage` as its transfer list (moved, not copied). */
export function transferList(transferred: TransferredAnalysis): ArrayBuffer[] {
  return [transferred.regions.buffer, transferred.tree.buffer, transferred.numbers.buffer] as ArrayBuffer[];
}

const REGION_KINDS: ReadonlyArray<Region['kind']> = ['frontmatter', 'fence', 'json'];
const SCHEMA_IDS: readonly SchemaId[] = Object.values(SchemaIds);
const REGION_INTS = 7;

const OBJECT = 0;
const ARRAY = 1;
/** Scalars are `SCALAR + index in SCALAR_TYPES`. */
const SCALAR = 2;
const SCALAR_TYPES: ReadonlyArray<ScalarNode['type']> = ['string', 'number', 'boolean', 'null'];
/** Where a scalar's source comes from: the text at its range (most), or else the next `length` characters of `strings` (stored as length + 1). */
const SOURCE_IN_TEXT = 0;
/** Where a scalar's value comes from: its source string itself (as the parser shares it), the source within its quotes, the next number, a constant, or else the next `length` characters of `strings` (stored as `VALUE_STRING + length`). */
const VALUE_SOURCE = 0;
const VALUE_QUOTED = 1;
const VALUE_NUMBER = 2;
const VALUE_TRUE = 3;
const VALUE_FALSE = 4;
const VALUE_NULL = 5;
const VALUE_STRING = 6;

const DIAGNOSTICS_PER_PART = 2_000;
/** Nodes rebuilt per step by `decodeAnalysisSteps`. */
const DECODE_STEP_NODES = 4_000;

interface Encoder {
  text: string;
  tree: number[];
  numbers: number[];
  keys: Map<string, number>;
  strings: string[];
  /** Every node met, when the text may hold YAML aliases (`*`): a node reached twice is shared. */
  seen?: Set<DataNode>;
}

/** The transferable form of an analysis; undefined when its trees share nodes, or hold what the decoder would not read back the same. */
export function encodeAnalysis(analysis: DocumentAnalysis): TransferredAnalysis | undefined {
  const { text } = analysis;
  const encoder: Encoder = { text, tree: [], numbers: [], keys: new Map(), strings: [], seen: text.includes('*') ? new Set() : undefined };
  const regions = new Int32Array(analysis.regions.length * REGION_INTS);
  for (const [index, { region, root, schemaId }] of analysis.regions.entries()) {
    regions.set([REGION_KINDS.indexOf(region.kind), region.content.start, region.content.end, region.open.start, region.open.end, SCHEMA_IDS.indexOf(schemaId), root ? 1 : 0], index * REGION_INTS);
    if (root && !encodeNode(root, undefined, undefined, encoder)) return undefined;
  }
  if (!rebuildsModel(analysis)) return undefined;
  const diagnostics: string[] = [];
  for (let at = 0; at < analysis.diagnostics.length; at += DIAGNOSTICS_PER_PART) diagnostics.push(JSON.stringify(analysis.diagnostics.slice(at, at + DIAGNOSTICS_PER_PART)));
  const transferred: TransferredAnalysis = {
    path: analysis.path,
    kind: analysis.kind,
    regions,
    tree: Int32Array.from(encoder.tree),
    numbers: Float64Array.from(encoder.numbers),
    keys: [...encoder.keys.keys()],
    strings: encoder.strings.join(''),
    has: {},
    diagnostics,
  };
  if (analysis.version) transferred.version = analysis.version;
  if (analysis.skipped) transferred.skipped = analysis.skipped;
  if (analysis.board) transferred.has.board = true;
  if (analysis.task) transferred.has.task = true;
  if (analysis.deployment) transferred.has.deployment = true;
  if (analysis.ledgerIds) transferred.ledgerIds = [...analysis.ledgerIds];
  return transferred;
}

/** Whether `decodeAnalysisSteps` reads the model back from the roots as the analysis holds it (the engine reads it so; this guards against a change there). */
function rebuildsModel(analysis: DocumentAnalysis): boolean {
  const first = analysis.regions[0];
  if (analysis.task && (analysis.task.node !== first?.root || analysis.task.region !== first.region)) return false;
  if (analysis.deployment && analysis.deployment !== first?.root) return false;
  if (analysis.board) {
    const frontMatter = first?.region.kind === 'frontmatter' ? first : undefined;
    const root = frontMatter?.root?.type === 'object' ? frontMatter.root : undefined;
    const fences = analysis.regions.filter((r) => r.region.kind === 'fence');
    const fenceTasks = analysis.board.tasks.filter((task) => task.location === 'fence');
    if (analysis.board.root !== root || fenceTasks.length !== fences.length || fenceTasks.some((task, i) => task.node !== fences[i].root)) return false;
  }
  return true;
}

/**
 * Pre-order: objects `0 start end flow count (key keyStart keyEnd value)*` (`key` an index in `keys`), lists `1 start end flow count item*`,
 * scalars `2+type start end source value [length]` (see `SOURCE_*`, `VALUE_*`; a number value in `numbers`).
 */
function encodeNode(node: DataNode, parent: DataNode | undefined, key: string | number | undefined, out: Encoder): boolean {
  // A node reached twice, or one whose parent link points elsewhere, is shared: not flattened.
  if (node.parent !== parent || node.key !== key || out.seen?.has(node)) return false;
  out.seen?.add(node);
  const { tree, strings } = out;
  const { start, end } = node;
  if (node.type === 'object') {
    tree.push(OBJECT, start, end, node.flow ? 1 : 0, node.properties.length);
    for (const property of node.properties) {
      if (property.merged) return false;
      let keyIndex = out.keys.get(property.key);
      if (keyIndex === undefined) out.keys.set(property.key, (keyIndex = out.keys.size));
      tree.push(keyIndex, property.keyStart, property.keyEnd);
      if (!encodeNode(property.value, node, property.key, out)) return false;
    }
    return true;
  }
  if (node.type === 'array') {
    tree.push(ARRAY, start, end, node.flow ? 1 : 0, node.items.length);
    return node.items.every((item, index) => encodeNode(item, node, index, out));
  }
  tree.push(SCALAR + SCALAR_TYPES.indexOf(node.type), start, end);
  const source = node.source;
  if (source === out.text.slice(start, end)) tree.push(SOURCE_IN_TEXT);
  else {
    tree.push(source.length + 1);
    strings.push(source);
  }
  const value = node.value;
  // A string value equal to the source text but another string object comes back shared: harmless, the same characters.
  if (value === source && node.type !== 'number') tree.push(VALUE_SOURCE);
  else if (typeof value === 'number') {
    tree.push(VALUE_NUMBER);
    out.numbers.push(value);
  } else if (typeof value === 'string') {
    if (source.length >= 2 && value.length === source.length - 2 && source.startsWith(value, 1)) tree.push(VALUE_QUOTED);
    else {
      tree.push(VALUE_STRING + value.length);
      strings.push(value);
    }
  } else tree.push(value === true ? VALUE_TRUE : value === false ? VALUE_FALSE : VALUE_NULL);
  return true;
}

/** The analysis `encodeAnalysis` was made from (deeply equal to it), at once: for small documents. */
export function decodeAnalysis(transferred: TransferredAnalysis, text: string): DocumentAnalysis {
  return runToEnd(decodeAnalysisSteps(transferred, text));
}

/** `decodeAnalysis` in steps (`steps.ts`): a few thousand nodes, one part of the diagnostics, a slice of the line index a step. */
export function* decodeAnalysisSteps(transferred: TransferredAnalysis, text: string): Steps<DocumentAnalysis> {
  const { kind, has } = transferred;
  const analysis: DocumentAnalysis = { path: transferred.path, text, lines: yield* LineIndex.inSteps(text), kind, regions: [], diagnostics: [] };
  const reader: Reader = { text, tree: transferred.tree, numbers: transferred.numbers, keys: transferred.keys.map(internKey), strings: transferred.strings, at: 0, number: 0, string: 0, budget: DECODE_STEP_NODES, lastCount: 0 };
  const regions = transferred.regions;
  for (let at = 0; at < regions.length; at += REGION_INTS) {
    const region: Region = { kind: REGION_KINDS[regions[at]], content: { start: regions[at + 1], end: regions[at + 2] }, open: { start: regions[at + 3], end: regions[at + 4] } };
    const analyzed: AnalyzedRegion = { region, root: regions[at + 6] ? yield* decodeTreeSteps(reader) : undefined, schemaId: SCHEMA_IDS[regions[at + 5]] };
    analysis.regions.push(analyzed);
  }
  if (transferred.version) analysis.version = transferred.version;
  if (transferred.skipped) analysis.skipped = transferred.skipped;
  const first = analysis.regions[0];
  if (has.task) analysis.task = readTask(first.root as ObjectNode, first.region, 'file');
  if (has.deployment) analysis.deployment = first.root;
  if (has.board) {
    const frontMatter = first?.region.kind === 'frontmatter' ? first : undefined;
    const board = yield* readBoardSteps(frontMatter?.root?.type === 'object' ? frontMatter.root : undefined, frontMatter?.region, transferred.version ?? 1);
    for (const { region, root } of analysis.regions) if (region.kind === 'fence') board.tasks.push(readTask(root as ObjectNode, region, 'fence'));
    analysis.board = board;
  }
  if (transferred.ledgerIds) analysis.ledgerIds = new Set(transferred.ledgerIds);
  for (const part of transferred.diagnostics) {
    yield;
    analysis.diagnostics.push(...(JSON.parse(part) as EngineDiagnostic[]));
  }
  return analysis;
}

interface Reader {
  text: string;
  tree: Int32Array;
  numbers: Float64Array;
  keys: string[];
  strings: string;
  at: number;
  number: number;
  string: number;
  /** Nodes left to rebuild in this step. */
  budget: number;
  /** The child count of the container `decodeNode` read last. */
  lastCount: number;
}

/** A container whose children are still being rebuilt. */
interface Open {
  node: ObjectNode | ArrayNode;
  count: number;
}

/** Rebuilds one root with nodes as the parser builds them (`parseYaml.ts`), keys interned; iteratively, so neither a deep tree nor a long list makes a long step. */
function* decodeTreeSteps(reader: Reader): Steps<DataNode> {
  const root = decodeNode(reader);
  const open: Open[] = [];
  if (root.type === 'object' || root.type === 'array') pushOpen(open, root, reader);
  const tree = reader.tree;
  while (open.length) {
    const { node, count } = open[open.length - 1];
    if (node.type === 'object') {
      if (node.properties.length === count) {
        open.pop();
        continue;
      }
      const key = reader.keys[tree[reader.at++]];
      const keyStart = tree[reader.at++];
      const keyEnd = tree[reader.at++];
      const value = decodeNode(reader);
      value.parent = node;
      value.key = key;
      node.properties.push(propertyNode(key, keyStart, keyEnd, value));
      if (value.type === 'object' || value.type === 'array') pushOpen(open, value, reader);
    } else {
      if (node.items.length === count) {
        open.pop();
        continue;
      }
      const item = decodeNode(reader);
      item.parent = node;
      item.key = node.items.length;
      node.items.push(item);
      if (item.type === 'object' || item.type === 'array') pushOpen(open, item, reader);
    }
    if (--reader.budget <= 0) {
      reader.budget = DECODE_STEP_NODES;
      yield;
    }
  }
  return root;
}

/** Puts a container `decodeNode` just read on the stack, until its children are in. */
function pushOpen(open: Open[], node: ObjectNode | ArrayNode, reader: Reader): void {
  if (reader.lastCount > 0) open.push({ node, count: reader.lastCount });
}

/** One node's head: a scalar whole, a container empty (its count kept in `reader.lastCount` for `pushOpen`). */
function decodeNode(reader: Reader): DataNode {
  const tree = reader.tree;
  const tag = tree[reader.at++];
  const start = tree[reader.at++];
  const end = tree[reader.at++];
  if (tag >= SCALAR) {
    const sourceFrom = tree[reader.at++];
    const source = sourceFrom === SOURCE_IN_TEXT ? reader.text.slice(start, end) : takeString(reader, sourceFrom - 1);
    const from = tree[reader.at++];
    let value: ScalarNode['value'];
    if (from === VALUE_SOURCE) value = source;
    else if (from === VALUE_QUOTED) value = source.slice(1, -1);
    else if (from === VALUE_NUMBER) value = reader.numbers[reader.number++];
    else if (from >= VALUE_STRING) value = takeString(reader, from - VALUE_STRING);
    else value = from === VALUE_TRUE ? true : from === VALUE_FALSE ? false : null;
    return scalarNode(SCALAR_TYPES[tag - SCALAR], value, source, start, end);
  }
  const flow = tree[reader.at++] === 1;
  reader.lastCount = tree[reader.at++];
  return tag === OBJECT ? objectNode(start, end, flow, [] as PropertyNode[]) : arrayNode(start, end, flow, [] as DataNode[]);
}

function takeString(reader: Reader, length: number): string {
  const value = reader.strings.slice(reader.string, reader.string + length);
  reader.string += length;
  return value;
}
