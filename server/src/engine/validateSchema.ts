import type { ErrorObject } from 'ajv';
import { copyArrayNode, copyObjectNode, describeNode, getValue, nodeAtPath, owningProperty, propertyWithValue, quoteForMessage, shortenForMessage, toPlain, type ArrayNode, type DataNode, type ObjectNode, type PathSegment, type PropertyNode } from './dataNode';
import { diagnostic, type EngineDiagnostic } from './diagnostics';
import { childSchema, itemsValidatorKey, resolveAt, rootSchema, schemaAtPath, splittableItems, validateWith, validateWithSchema, type JsonSchema, type SchemaAt, type SchemaId } from './schemaStore';
import { runToEnd, type Steps } from './steps';
import { closestMatch } from './similarity';
import type { OffsetRange, TextReader } from './text';

/** What a schema check needs besides the value: where root-level faults go, and the text for edits. */
export interface SchemaCheckContext {
  /** Read around the values only (an edited big document's text is pieces: `PieceText`). */
  text: TextReader;
  /** Where to report a fault of the root object itself (its opening delimiter). */
  rootAnchor: OffsetRange;
  /** Brainfile version of the document, for "this value is v2 only" messages. */
  version?: 1 | 2;
  /** How messages name the root value, e.g. `task "task-3"`; defaults to "the front matter". */
  rootLabel?: string;
  /** A top-level list of at least this many items is checked item by item (default `SPLIT_MIN_ITEMS`; tests compare with Infinity). */
  splitMinItems?: number;
}

/**
 * Validates `node` against a schema and maps every error to the exact token:
 * the value for type/enum/format/range faults, the owning key for a missing field.
 */
export function checkAgainstSchema(node: DataNode, schemaId: SchemaId, context: SchemaCheckContext): EngineDiagnostic[] {
  return runToEnd(checkAgainstSchemaSteps(node, schemaId, context));
}

/** From this many items on, a top-level list (a board's columns) is checked item by item, in steps. */
const SPLIT_MIN_ITEMS = 256;

/**
 * `checkAgainstSchema` in steps (see `steps.ts`), with the same findings: a
 * long top-level list is checked as the root holding its first item only, then
 * each other item against the list's item schema, one step each.
 */
export function* checkAgainstSchemaSteps(node: DataNode, schemaId: SchemaId, context: SchemaCheckContext): Steps<EngineDiagnostic[]> {
  const split = node.type === 'object' ? splittableList(node, schemaId, context.splitMinItems ?? SPLIT_MIN_ITEMS) : undefined;
  if (!split) return checkPart(node, schemaId, context);
  const { property, itemsAt } = split;
  const list = property.value as ArrayNode;
  const findings = checkPart(withFirstItemOnly(node as ObjectNode, property), schemaId, context);
  const pointer = `/${escapePointer(property.key)}`;
  const itemsKey = itemsValidatorKey(schemaId, property.key);
  for (let index = 1; index < list.items.length; index++) {
    const item = list.items[index];
    const at = `${pointer}/${index}`;
    findings.push(...checkPart(node, schemaId, context, toPlain(item), itemsAt, at, (plain) => validateWith(itemsKey, plain), item));
    yield;
  }
  return findings;
}

/**
 * Checks one part of `root`: `subject` (the root by default) validated as
 * `plain` against `at`, its errors' paths prefixed by `pointer`.
 */
function checkPart(
  root: DataNode,
  schemaId: SchemaId,
  context: SchemaCheckContext,
  plain: unknown = toPlain(root),
  at: SchemaAt = rootSchema(schemaId),
  pointer = '',
  validate: (plain: unknown) => ErrorObject[] = (value) => validateWithSchema(schemaId, value),
  subject: DataNode = root,
): EngineDiagnostic[] {
  const errors = validate(plain).map((e) => (pointer ? { ...e, instancePath: pointer + e.instancePath } : e));
  // A typo of a required key (`stauts`) is one fault: report the typo, not also the missing key.
  const typoedRequired = new Set<string>();
  const keyFindings = checkKeys(subject, at, context, typoedRequired, pointer);
  const remaining = errors.filter((e) => e.keyword !== 'required' || !typoedRequired.has(`${e.instancePath}#${(e.params as { missingProperty: string }).missingProperty}`));
  return [...mapErrors(remaining, root, schemaId, context), ...keyFindings];
}

/** The root's long block list whose schema a first-item check plus item checks decide exactly, if any. */
function splittableList(root: ObjectNode, schemaId: SchemaId, minItems: number): { property: PropertyNode; itemsAt: SchemaAt } | undefined {
  const property = root.properties.find((p) => !p.merged && p.value.type === 'array' && p.value.items.length >= minItems);
  if (!property || root.properties.some((p) => p !== property && p.key === property.key)) return undefined;
  const itemsAt = splittableItems(schemaId, property.key);
  return itemsAt && { property, itemsAt };
}

/** A view of the root whose list holds its first item only; the copies get new parents, the rest is shared. */
function withFirstItemOnly(root: ObjectNode, property: PropertyNode): ObjectNode {
  const copy = copyObjectNode(root, root.parent, []);
  for (const p of root.properties) {
    if (p !== property) copy.properties.push(p);
    else copy.properties.push(propertyWithValue(p, copyArrayNode(p.value as ArrayNode, copy, (p.value as ArrayNode).items.slice(0, 1))));
  }
  return copy;
}

function parsePointer(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function fieldLabel(path: readonly PathSegment[]): string {
  const names = path.filter((p): p is string => typeof p === 'string');
  return names.length ? names.slice(-2).join('.') : 'the document';
}

/** The range a fault about a whole object belongs on: its key, or the root anchor. */
function objectAnchor(node: DataNode, context: SchemaCheckContext): OffsetRange {
  const property = owningProperty(node);
  if (property && !property.merged) return property.keyRange;
  if (node.parent?.type === 'array' && node.type === 'object' && node.properties[0]) {
    // A list item: point at its first key, where the `- ` entry starts.
    return node.properties[0].keyRange;
  }
  if (!node.parent) return context.rootAnchor;
  return { start: node.range.start, end: Math.min(node.range.end, node.range.start + 1) };
}

function valueRange(node: DataNode): OffsetRange {
  if (node.range.end > node.range.start) return node.range;
  const property = owningProperty(node);
  return property ? property.keyRange : node.range;
}

function mapErrors(errors: ErrorObject[], root: DataNode, schemaId: SchemaId, context: SchemaCheckContext): EngineDiagnostic[] {
  // A wrong type makes every other complaint about the same value noise.
  const typeFaults = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const out: EngineDiagnostic[] = [];
  for (const error of errors) {
    if (error.keyword !== 'type' && typeFaults.has(error.instancePath)) continue;
    const path = parsePointer(error.instancePath);
    const node = nodeAtPath(root, path);
    if (!node) continue;
    const mapped = mapError(error, node, path, schemaId, context);
    if (mapped) out.push(mapped);
  }
  return mergeMissingFields(out);
}

/**
 * Several required fields missing from one object are one fault at one place:
 * report them together, with one insertion that adds them all.
 */
function mergeMissingFields(list: EngineDiagnostic[]): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const byAnchor = new Map<string, EngineDiagnostic[]>();
  for (const d of list) {
    if (d.code !== 'missing-field') {
      out.push(d);
      continue;
    }
    const key = `${d.range.start}:${d.range.end}`;
    const group = byAnchor.get(key);
    if (group) group.push(d);
    else {
      byAnchor.set(key, [d]);
      out.push(d);
    }
  }
  return out.map((d) => {
    const group = d.code === 'missing-field' ? byAnchor.get(`${d.range.start}:${d.range.end}`) : undefined;
    if (!group || group.length < 2) return d;
    const names = group.map((g) => g.data!.missingField!);
    const where = /" in (.*?)\. Expected/.exec(d.message)?.[1] ?? 'this object';
    const insertText = group.every((g) => g.data?.insertText !== undefined && g.data.insertOffset === d.data?.insertOffset) ? group.map((g) => g.data!.insertText!).join('') : undefined;
    const data: EngineDiagnostic['data'] = { missingField: names[0], missingFields: names };
    if (insertText !== undefined) Object.assign(data, { insertText, insertOffset: d.data!.insertOffset });
    return diagnostic('missing-field', d.severity, d.range, `Missing required fields ${names.map((n) => `"${n}"`).join(', ')} in ${where}. Expected each of these keys.`, data);
  });
}

function mapError(error: ErrorObject, node: DataNode, path: PathSegment[], schemaId: SchemaId, context: SchemaCheckContext): EngineDiagnostic | undefined {
  const field = fieldLabel(path);
  const schemaAt = schemaAtPath(schemaId, path);
  const schema = schemaAt?.schema;
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const fieldSchema = childSchema(schemaAt, missing)?.schema;
      const insert = node.type === 'object' ? insertionFor(node, missing, fieldSchema, context) : undefined;
      return diagnostic(
        'missing-field',
        'error',
        objectAnchor(node, context),
        `Missing required field "${missing}" in ${path.length ? field : (context.rootLabel ?? 'the front matter')}. Expected the key "${missing}"${fieldSchema?.description ? ` (${lowerFirst(firstSentence(fieldSchema.description)).replace(/\.$/, '')})` : ''}.`,
        { missingField: missing, ...insert },
      );
    }
    case 'type': {
      const expected = (error.params as { type: string | string[] }).type;
      const allowed = schema?.enum?.map(String);
      const expectation = allowed ? `one of ${allowed.join(', ')}` : describeType(expected);
      const data: EngineDiagnostic['data'] = {};
      // `id: 007` or `status: 1`: quoting the text as written is the obvious fix.
      if (wantsString(expected) && (node.type === 'number' || node.type === 'boolean') && node.source.trim()) {
        data.replacement = JSON.stringify(node.source.trim());
      }
      return diagnostic('invalid-type', 'error', valueRange(node), `Expected ${expectation} for "${field}", found ${describeNode(node)}.`, Object.keys(data).length ? data : undefined);
    }
    case 'enum':
    case 'const': {
      const allowed = error.keyword === 'enum' ? ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String) : [String((error.params as { allowedValue: unknown }).allowedValue)];
      const found = node.type === 'string' ? quoteForMessage(node.value as string) : describeNode(node);
      const value = node.type === 'string' ? (node.value as string) : String((node as { value?: unknown }).value ?? '');
      const suggestion = closestMatch(value, allowed);
      const written = node.type === 'object' || node.type === 'array' ? '' : node.source;
      const quote = (s: string) => (written.startsWith('"') ? JSON.stringify(s) : written.startsWith("'") ? `'${s}'` : s);
      return diagnostic(
        'invalid-enum',
        'error',
        valueRange(node),
        `Invalid value ${found} for "${field}". Expected one of ${allowed.join(', ')}.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
        suggestion ? { allowed, replacement: quote(suggestion) } : { allowed },
      );
    }
    case 'format':
    case 'pattern': {
      const expectation = error.keyword === 'format' ? describeFormat((error.params as { format: string }).format) : describePattern(field, (error.params as { pattern: string }).pattern);
      return diagnostic('invalid-format', 'error', valueRange(node), `Expected ${expectation} for "${field}", found ${describeNode(node)}.`);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const limit = (error.params as { limit: number }).limit;
      const bound = { minimum: `at least ${limit}`, maximum: `at most ${limit}`, exclusiveMinimum: `more than ${limit}`, exclusiveMaximum: `less than ${limit}` }[error.keyword];
      const range = schema && schema.minimum !== undefined && schema.maximum !== undefined ? ` (between ${schema.minimum} and ${schema.maximum})` : '';
      return diagnostic('out-of-range', 'error', valueRange(node), `Expected "${field}" to be ${bound}${range}, found ${describeNode(node)}.`);
    }
    case 'minLength':
      return diagnostic('empty-value', 'error', valueRange(node), `Expected a non-empty string for "${field}", found ${describeNode(node)}.`);
    case 'minItems': {
      const limit = (error.params as { limit: number }).limit;
      return diagnostic('empty-value', 'error', valueRange(node), `Expected at least ${limit} item${limit === 1 ? '' : 's'} in "${field}", found ${node.type === 'array' ? node.items.length : 0}.`);
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const property = node.type === 'object' ? node.properties.find((p) => p.key === extra) : undefined;
      const known = Object.keys(schema?.properties ?? {});
      return diagnostic('unknown-field', 'warning', property?.keyRange ?? valueRange(node), `Unexpected key "${shortenForMessage(extra)}" in "${field}". Expected only ${known.join(', ')}.`);
    }
    default:
      return diagnostic('schema-violation', 'error', valueRange(node), `"${field}" ${error.message ?? 'is invalid'}; found ${describeNode(node)}.`);
  }
}

function wantsString(expected: string | string[]): boolean {
  return Array.isArray(expected) ? expected.includes('string') : expected === 'string';
}

function describeType(expected: string | string[]): string {
  const names: Record<string, string> = { object: 'an object', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean (true or false)', null: 'null' };
  const list = (Array.isArray(expected) ? expected : expected.split(',')).map((t) => names[t] ?? t);
  return list.join(' or ');
}

function describeFormat(format: string): string {
  switch (format) {
    case 'date-time':
      return 'an ISO 8601 date-time such as 2026-11-20T18:04:11Z';
    case 'date':
      return 'an ISO 8601 date such as 2026-12-15';
    case 'uri':
      return 'a URI';
    default:
      return `the ${format} format`;
  }
}

function describePattern(field: string, pattern: string): string {
  // glassops' zod datetime: the pattern is long and says little to a reader.
  if (pattern.includes('-02-29') && pattern.endsWith('Z$')) return "an ISO 8601 date-time in UTC such as 2026-11-20T18:04:11Z (glassops' schema takes only Z as the time zone, not an offset like +02:00)";
  if (field.endsWith('id') && pattern.includes('[0-9]+$') && !pattern.includes('-]*(')) return `an id like task-12 (lowercase prefix, a hyphen and a number; pattern ${pattern})`;
  if (pattern.startsWith('^[a-z]+(-[a-z]+)*')) return `a kebab-case id like in-progress (pattern ${pattern})`;
  if (pattern.includes('\\d+\\.\\d+\\.\\d+')) return `a version like 1.0.0 (pattern ${pattern})`;
  return `text matching ${pattern}`;
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function firstSentence(text: string): string {
  // Not at the dots of "e.g." or "i.e.".
  const match = /^[\s\S]*?(?<!\b(?:e\.g|i\.e|e|i))[.!?](?=\s+[A-Z`"(]|\s*$)/.exec(text);
  return (match ? match[0] : text).trim();
}

/** A placeholder for a missing field, for the quick fix. */
export function placeholderFor(schema: JsonSchema | undefined): string {
  if (!schema) return '""';
  if (schema.default !== undefined && typeof schema.default !== 'object') return String(schema.default);
  if (schema.enum?.length) return String(schema.enum[0]);
  if (schema.examples?.length && typeof schema.examples[0] !== 'object') return String(schema.examples[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'array':
      return '[]';
    case 'object':
      return '{}';
    case 'number':
    case 'integer':
      return String(schema.minimum ?? 0);
    case 'boolean':
      return 'false';
    default:
      return '""';
  }
}

function insertionFor(node: ObjectNode, key: string, schema: JsonSchema | undefined, context: SchemaCheckContext): { insertText: string; insertOffset: number } | undefined {
  const value = placeholderFor(schema);
  const first = node.properties.find((p) => !p.merged);
  if (node.flow) {
    const open = node.range.start + 1;
    const isJson = context.text.charCodeAt(first ? first.keyRange.start : open) === 34 /* " */ || context.text.slice(node.range.start, node.range.start + 1) === '{' && /"\s*:/.test(context.text.slice(node.range.start, node.range.end));
    const jsonValue = /^(-?\d|true|false|null|\[|\{|")/.test(value) ? value : JSON.stringify(value);
    const entry = isJson ? `"${key}": ${jsonValue}` : `${key}: ${value}`;
    return { insertOffset: open, insertText: first ? ` ${entry},` : ` ${entry} ` };
  }
  if (!first) return undefined;
  let lineStart = first.keyRange.start;
  while (lineStart > 0 && context.text.charCodeAt(lineStart - 1) !== 10) lineStart--;
  const column = first.keyRange.start - lineStart;
  const eol = context.text.includes('\r\n') ? '\r\n' : '\n';
  return { insertOffset: first.keyRange.start, insertText: `${key}: ${value}${eol}${' '.repeat(column)}` };
}

/**
 * Walks data and schema together for what JSON Schema cannot say the way we
 * want: a likely typo of a known key (extra keys are allowed, typos are not
 * likely intended) and a deprecated key.
 */
function checkKeys(node: DataNode, at: SchemaAt | undefined, context: SchemaCheckContext, typoedRequired: Set<string>, pointer = ''): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const visit = (current: DataNode, schemaAt: SchemaAt | undefined, depth: number, pointer: string) => {
    if (!schemaAt || depth > 64) return;
    if (current.type === 'object') {
      const known = schemaAt.schema.properties ? Object.keys(schemaAt.schema.properties) : [];
      for (const property of current.properties) {
        if (property.merged) continue;
        const propertySchema = schemaAt.schema.properties?.[property.key];
        if (propertySchema) {
          const resolved = resolveAt(propertySchema, schemaAt.owner);
          const deprecation = propertySchema.deprecationMessage ?? resolved?.schema.deprecationMessage;
          if (deprecation) {
            out.push({ ...diagnostic('deprecated-field', 'warning', property.keyRange, `"${property.key}" is deprecated in Brainfile v2. ${upperFirst(deprecation.replace(/^Deprecated[^:]*:\s*/, ''))}`), tags: ['deprecated'] });
          }
          visit(property.value, resolved, depth + 1, `${pointer}/${escapePointer(property.key)}`);
        } else if (known.length && schemaAt.schema.additionalProperties !== false) {
          const suggestion = closestMatch(
            property.key,
            known.filter((k) => !current.properties.some((p) => p.key === k)),
          );
          if (suggestion && schemaAt.schema.required?.includes(suggestion)) {
            typoedRequired.add(`${pointer}#${suggestion}`);
            out.push(
              diagnostic('unknown-field', 'error', property.keyRange, `Unknown key "${property.key}", and the required "${suggestion}" is missing. Did you mean "${suggestion}"?`, { replacement: suggestion }),
            );
          } else if (suggestion) {
            out.push(
              diagnostic('unknown-field', 'warning', property.keyRange, `Unknown key "${property.key}". Did you mean "${suggestion}"?`, { replacement: suggestion }),
            );
          }
        }
      }
    } else if (current.type === 'array' && schemaAt.schema.items) {
      const items = resolveAt(schemaAt.schema.items, schemaAt.owner);
      current.items.forEach((item, index) => visit(item, items, depth + 1, `${pointer}/${index}`));
    }
  };
  visit(node, at, pointer ? pointer.split('/').length - 1 : 0, pointer);
  return out;
}

function escapePointer(key: string): string {
  // Called for every key of every file: most have nothing to escape.
  if (!key.includes('~') && !key.includes('/')) return key;
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export { getValue };
