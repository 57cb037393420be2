import type { OffsetRange } from './text';

/**
 * One tree for YAML and JSON alike, with document offsets on every node, so
 * validation, completion and hover never care which syntax a value came from.
 *
 * Nodes keep their offsets as two numbers (`start`, `end`; a property its
 * `keyStart`, `keyEnd`), not as `{ start, end }` objects: those were about 46
 * objects a task, a third of a big board's tree. `range` and `keyRange` read
 * them as a fresh object (writing to it changes nothing: move a node with
 * `start`/`end` or `shiftTree`). Build nodes with `objectNode`, `arrayNode`,
 * `scalarNode` and `propertyNode` (or the copy helpers below), never as object
 * literals: the classes give every node the same shape.
 */
export type DataNode = ObjectNode | ArrayNode | ScalarNode;

interface NodeBase {
  /** Document offset where the node's text starts. */
  start: number;
  /** Document offset just past the node's text. */
  end: number;
  /** `{ start, end }`, a new object on each read. */
  readonly range: OffsetRange;
  parent?: ObjectNode | ArrayNode;
  /** This node's key in its parent: a property name or an item index. */
  key?: string | number;
}

export interface PropertyNode {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** `{ start: keyStart, end: keyEnd }`, a new object on each read. */
  readonly keyRange: OffsetRange;
  value: DataNode;
  /** A property copied in by a YAML `<<` merge key; it has no text of its own. */
  merged?: boolean;
}

export interface ObjectNode extends NodeBase {
  type: 'object';
  properties: PropertyNode[];
  /** Written in flow style (`{a: 1}`) rather than block style. */
  flow: boolean;
}

export interface ArrayNode extends NodeBase {
  type: 'array';
  items: DataNode[];
  flow: boolean;
}

export interface ScalarNode extends NodeBase {
  type: 'string' | 'number' | 'boolean' | 'null';
  value: string | number | boolean | null;
  /** The scalar's source text, as written (quotes included). */
  source: string;
}

/* Every slot is set in the constructors, `parent` and `key` too (added later they would cost a separate property store per node). */

abstract class NodeImpl {
  parent: ObjectNode | ArrayNode | undefined;
  key: string | number | undefined;
  constructor(
    public start: number,
    public end: number,
  ) {
    this.parent = undefined;
    this.key = undefined;
  }
  get range(): OffsetRange {
    return { start: this.start, end: this.end };
  }
}

class ObjectNodeImpl extends NodeImpl implements ObjectNode {
  readonly type = 'object' as const;
  constructor(
    start: number,
    end: number,
    public flow: boolean,
    public properties: PropertyNode[],
  ) {
    super(start, end);
  }
}

class ArrayNodeImpl extends NodeImpl implements ArrayNode {
  readonly type = 'array' as const;
  constructor(
    start: number,
    end: number,
    public flow: boolean,
    public items: DataNode[],
  ) {
    super(start, end);
  }
}

class ScalarNodeImpl extends NodeImpl implements ScalarNode {
  constructor(
    public type: ScalarNode['type'],
    public value: ScalarNode['value'],
    public source: string,
    start: number,
    end: number,
  ) {
    super(start, end);
  }
}

class PropertyNodeImpl implements PropertyNode {
  /** Set on merged copies only (`mergedProperty`), so other properties have no slot for it. */
  declare merged?: boolean;
  constructor(
    public key: string,
    public keyStart: number,
    public keyEnd: number,
    public value: DataNode,
  ) {}
  get keyRange(): OffsetRange {
    return { start: this.keyStart, end: this.keyEnd };
  }
}

export function objectNode(start: number, end: number, flow: boolean, properties: PropertyNode[] = []): ObjectNode {
  return new ObjectNodeImpl(start, end, flow, properties);
}

export function arrayNode(start: number, end: number, flow: boolean, items: DataNode[] = []): ArrayNode {
  return new ArrayNodeImpl(start, end, flow, items);
}

export function scalarNode(type: ScalarNode['type'], value: ScalarNode['value'], source: string, start: number, end: number): ScalarNode {
  return new ScalarNodeImpl(type, value, source, start, end);
}

export function propertyNode(key: string, keyStart: number, keyEnd: number, value: DataNode): PropertyNode {
  return new PropertyNodeImpl(key, keyStart, keyEnd, value);
}

/** A copy of a property brought in by a `<<` merge: the same key, key offsets and value. */
export function mergedProperty(property: PropertyNode): PropertyNode {
  const copy = new PropertyNodeImpl(property.key, property.keyStart, property.keyEnd, property.value);
  copy.merged = true;
  return copy;
}

/** The same property holding another value (a merged one stays merged). */
export function propertyWithValue(property: PropertyNode, value: DataNode): PropertyNode {
  const copy = new PropertyNodeImpl(property.key, property.keyStart, property.keyEnd, value);
  if (property.merged) copy.merged = true;
  return copy;
}

/** A shallow copy of an object node with other properties and parent (same offsets, flow and key). */
export function copyObjectNode(node: ObjectNode, parent: ObjectNode | ArrayNode | undefined, properties: PropertyNode[]): ObjectNode {
  const copy = new ObjectNodeImpl(node.start, node.end, node.flow, properties);
  copy.parent = parent;
  copy.key = node.key;
  return copy;
}

/** A shallow copy of a list node with other items and parent (same offsets, flow and key). */
export function copyArrayNode(node: ArrayNode, parent: ObjectNode | ArrayNode | undefined, items: DataNode[]): ArrayNode {
  const copy = new ArrayNodeImpl(node.start, node.end, node.flow, items);
  copy.parent = parent;
  copy.key = node.key;
  return copy;
}

/**
 * Moves a node, its keys and everything below it by `delta`. A merged
 * property's value moves where it is written; a tree with aliases (a node
 * reached twice) must not be given.
 */
export function shiftTree(node: DataNode, delta: number): void {
  node.start += delta;
  node.end += delta;
  if (node.type === 'object') {
    for (const property of node.properties) {
      property.keyStart += delta;
      property.keyEnd += delta;
      if (!property.merged) shiftTree(property.value, delta);
    }
  } else if (node.type === 'array') {
    for (const item of node.items) shiftTree(item, delta);
  }
}

export type PathSegment = string | number;

export function getProperty(node: DataNode | undefined, key: string): PropertyNode | undefined {
  if (node?.type !== 'object') return undefined;
  return node.properties.find((p) => p.key === key);
}

export function getValue(node: DataNode | undefined, key: string): DataNode | undefined {
  return getProperty(node, key)?.value;
}

export function getString(node: DataNode | undefined, key: string): string | undefined {
  const value = getValue(node, key);
  return value?.type === 'string' ? (value.value as string) : undefined;
}

/** Scalar text for display: strings as they are, other scalars as written. */
export function scalarText(node: DataNode | undefined): string | undefined {
  if (!node || (node.type !== 'string' && node.type !== 'number' && node.type !== 'boolean')) return undefined;
  return String(node.value);
}

export function nodeAtPath(root: DataNode | undefined, path: readonly PathSegment[]): DataNode | undefined {
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.type === 'array' ? node.items[segment] : undefined;
    else node = getValue(node, segment);
  }
  return node;
}

export function pathOf(node: DataNode): PathSegment[] {
  const path: PathSegment[] = [];
  for (let current: DataNode | undefined = node; current?.parent; current = current.parent) {
    path.unshift(current.key!);
  }
  return path;
}

/** The property whose value is `node`, when its parent is an object. */
export function owningProperty(node: DataNode): PropertyNode | undefined {
  const parent = node.parent;
  if (parent?.type !== 'object') return undefined;
  return parent.properties.find((p) => p.value === node);
}

/** The innermost node whose range contains the offset. */
export function innermostNodeAt(root: DataNode | undefined, offset: number): DataNode | undefined {
  let found: DataNode | undefined;
  let node = root;
  while (node && node.start <= offset && offset <= node.end) {
    found = node;
    const children: DataNode[] = node.type === 'object' ? node.properties.map((p) => p.value) : node.type === 'array' ? node.items : [];
    node = children.find((child) => child.start <= offset && offset <= child.end && child.parent === found);
  }
  return found;
}

/** A plain JS value for schema validation. Shared subtrees (YAML aliases) stay shared. */
export function toPlain(node: DataNode, memo = new Map<DataNode, unknown>()): unknown {
  const cached = memo.get(node);
  if (cached !== undefined) return cached;
  let value: unknown;
  if (node.type === 'object') {
    const object: Record<string, unknown> = {};
    memo.set(node, object);
    for (const property of node.properties) {
      if (!(property.key in object)) object[property.key] = toPlain(property.value, memo);
    }
    value = object;
  } else if (node.type === 'array') {
    const array: unknown[] = [];
    memo.set(node, array);
    for (const item of node.items) array.push(toPlain(item, memo));
    value = array;
  } else {
    value = node.value;
  }
  memo.set(node, value);
  return value;
}

export function describeNode(node: DataNode | undefined): string {
  if (!node) return 'nothing';
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'null':
      return node.source.trim() === '' ? 'an empty value' : 'null';
    case 'string':
      return node.value === '' ? 'an empty string' : `the string ${quoteForMessage(node.value as string)}`;
    case 'number':
      return `the number ${shortenForMessage(node.source.trim() || String(node.value))}`;
    case 'boolean':
      return `the boolean ${node.value}`;
  }
}

const MESSAGE_VALUE_LENGTH = 60;

/** Text shortened for a message: a 2 MB value must not become a 2 MB diagnostic. */
export function shortenForMessage(text: string): string {
  return text.length > MESSAGE_VALUE_LENGTH ? `${text.slice(0, MESSAGE_VALUE_LENGTH - 1)}…` : text;
}

/** A string value quoted for a message, shortened. */
export function quoteForMessage(value: string): string {
  return JSON.stringify(shortenForMessage(value));
}
