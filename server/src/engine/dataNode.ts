import type { OffsetRange } from './text';

/**
 * One tree for YAML and JSON alike, with document offsets on every node, so
 * validation, completion and hover never care which syntax a value came from.
 */
export type DataNode = ObjectNode | ArrayNode | ScalarNode;

interface NodeBase {
  range: OffsetRange;
  parent?: ObjectNode | ArrayNode;
  /** This node's key in its parent: a property name or an item index. */
  key?: string | number;
}

export interface PropertyNode {
  key: string;
  keyRange: OffsetRange;
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
  while (node && node.range.start <= offset && offset <= node.range.end) {
    found = node;
    const children: DataNode[] = node.type === 'object' ? node.properties.map((p) => p.value) : node.type === 'array' ? node.items : [];
    node = children.find((child) => child.range.start <= offset && offset <= child.range.end && child.parent === found);
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
