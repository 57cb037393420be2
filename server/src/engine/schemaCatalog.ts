/**
 * Our JSON schemas as data: their ids, `$ref` resolution for hover and
 * completion, and the list of validators the engine checks with (built ahead
 * of time into ajv standalone code by `scripts/validators.mjs`, see
 * `schemaStore.ts`). Imports nothing but the schema files, so the build can
 * load it on its own.
 */
import boardV1 from '../../../schemas/brainfile-board-v1.schema.json';
import boardV2 from '../../../schemas/brainfile-board-v2.schema.json';
import contractV1 from '../../../schemas/brainfile-contract-v1.schema.json';
import contractV2 from '../../../schemas/brainfile-contract-v2.schema.json';
import taskV1 from '../../../schemas/brainfile-task-v1.schema.json';
import taskV2 from '../../../schemas/brainfile-task-v2.schema.json';
import deployment from '../../../schemas/deployment-contract.schema.json';
import ledgerRecord from '../../../schemas/brainfile-ledger-record.schema.json';

/** A JSON Schema object as we read it; our schemas only use these keywords. */
export interface JsonSchema {
  $id?: string;
  $schema?: string;
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  enumDescriptions?: string[];
  deprecationMessage?: string;
  default?: unknown;
  examples?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  definitions?: Record<string, JsonSchema>;
}

export const SCHEMA_BASE = 'https://contract-workbench.dev/schemas/';

export const SchemaIds = {
  boardV1: `${SCHEMA_BASE}brainfile-board-v1.schema.json`,
  boardV2: `${SCHEMA_BASE}brainfile-board-v2.schema.json`,
  taskV1: `${SCHEMA_BASE}brainfile-task-v1.schema.json`,
  taskV2: `${SCHEMA_BASE}brainfile-task-v2.schema.json`,
  contractV1: `${SCHEMA_BASE}brainfile-contract-v1.schema.json`,
  contractV2: `${SCHEMA_BASE}brainfile-contract-v2.schema.json`,
  deployment: `${SCHEMA_BASE}deployment-contract.schema.json`,
  ledgerRecord: `${SCHEMA_BASE}brainfile-ledger-record.schema.json`,
} as const;

export type SchemaId = (typeof SchemaIds)[keyof typeof SchemaIds];

const ALL_SCHEMAS = [boardV1, boardV2, taskV1, taskV2, contractV1, contractV2, deployment, ledgerRecord] as JsonSchema[];

const byId = new Map<string, JsonSchema>(ALL_SCHEMAS.map((schema) => [schema.$id!, schema]));
/** The schema a `$ref`'s file part names, by that part: the key check resolves refs for every key of every file, and a `URL` each time cost 1% of a scan. */
const byRefFile = new Map<string, JsonSchema | undefined>();

function schemaOfRefFile(file: string): JsonSchema | undefined {
  if (!byRefFile.has(file)) byRefFile.set(file, byId.get(new URL(file, SCHEMA_BASE).href));
  return byRefFile.get(file);
}

/** Keywords that only annotate: a `$ref` beside them can be replaced by its target. */
const ANNOTATIONS = new Set(['description', 'title', 'examples', 'default', 'deprecationMessage', 'enumDescriptions']);

/**
 * A copy of `schema` with every `$ref` replaced by the schema it names, for
 * validation only. Why: ajv compiles a `$ref` to a schema that itself holds
 * refs (a column, a task) as a call whose errors are appended with
 * `vErrors.concat(...)`, which copies every error found so far: 40,000 failing
 * columns cost 40,000²/2 copies. Inlined, each error is one push. Our schemas
 * have no cycles; a ref met again inside itself is kept as is.
 */
export function withRefsInlined(schema: JsonSchema, owner: JsonSchema = schema): JsonSchema {
  const inline = (node: unknown, owner: JsonSchema, open: Set<JsonSchema>): unknown => {
    if (Array.isArray(node)) return node.map((item) => inline(item, owner, open));
    if (!node || typeof node !== 'object') return node;
    const raw = node as JsonSchema;
    if (typeof raw.$ref === 'string') {
      const target = resolveRef(raw.$ref, owner);
      if (target && !open.has(target.schema)) {
        open.add(target.schema);
        const { $id: _id, $schema: _schema, definitions: _definitions, ...body } = inline(target.schema, target.owner, open) as JsonSchema;
        open.delete(target.schema);
        const { $ref: _ref, ...rest } = raw;
        const restInlined = inline(rest, owner, open) as JsonSchema;
        return Object.keys(rest).every((k) => ANNOTATIONS.has(k)) ? { ...body, ...restInlined } : { ...restInlined, allOf: [body] };
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      // Property names and enum values are data, not schemas; `definitions` are only reached through refs.
      if (key === 'definitions' || key === 'enum' || key === 'const' || key === 'examples' || key === 'default') out[key] = value;
      else if (key === 'properties') out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, inline(sub, owner, open)]));
      else out[key] = inline(value, owner, open);
    }
    return out;
  };
  const { definitions: _definitions, ...body } = inline(schema, owner, new Set([schema])) as JsonSchema;
  return body;
}

function resolveRef(ref: string, owner: JsonSchema): SchemaAt | undefined {
  return resolveAt({ $ref: ref }, owner);
}

/** Follows `$ref`s (to another file or to `#/definitions/...`) until a concrete schema. */
export function resolveSchema(schema: JsonSchema | undefined, context?: JsonSchema): JsonSchema | undefined {
  let current = schema;
  let owner = context;
  for (let hops = 0; current?.$ref && hops < 16; hops++) {
    const [file, pointer] = current.$ref.split('#');
    const target = file ? schemaOfRefFile(file) : owner;
    owner = target;
    current = pointer ? resolvePointer(target, pointer) : target;
  }
  return current;
}

function resolvePointer(schema: JsonSchema | undefined, pointer: string): JsonSchema | undefined {
  let node: unknown = schema;
  for (const part of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown> | undefined)?.[part];
  return node as JsonSchema | undefined;
}

/**
 * The schema of a property or item, resolved. `owner` is the file the parent
 * schema lives in, so `#/definitions/x` refs resolve against it.
 */
export interface SchemaAt {
  schema: JsonSchema;
  owner: JsonSchema;
}

export function childSchema(parent: SchemaAt | undefined, segment: string | number): SchemaAt | undefined {
  if (!parent) return undefined;
  const raw = typeof segment === 'number' ? parent.schema.items : parent.schema.properties?.[segment];
  return raw ? resolveAt(raw, parent.owner) : undefined;
}

export function resolveAt(raw: JsonSchema, owner: JsonSchema): SchemaAt | undefined {
  let current: JsonSchema | undefined = raw;
  let currentOwner = owner;
  for (let hops = 0; current?.$ref && hops < 16; hops++) {
    const [file, pointer]: string[] = current.$ref.split('#');
    if (file) currentOwner = schemaOfRefFile(file) ?? currentOwner;
    current = pointer ? resolvePointer(currentOwner, pointer) : currentOwner;
  }
  if (!current) return undefined;
  // Keep the referring schema's own description when it has one.
  if (raw !== current && raw.description && !current.description) current = { ...current, description: raw.description };
  return { schema: current, owner: currentOwner };
}

export function rootSchema(schemaId: SchemaId): SchemaAt {
  const schema = byId.get(schemaId)!;
  return { schema, owner: schema };
}

export function schemaAtPath(schemaId: SchemaId, path: readonly (string | number)[]): SchemaAt | undefined {
  let at: SchemaAt | undefined = rootSchema(schemaId);
  for (const segment of path) at = childSchema(at, segment);
  return at;
}

/** Every schema as written (the tests compare validation against them). */
export function allSchemas(): JsonSchema[] {
  return ALL_SCHEMAS;
}

/** The ajv options every validator is compiled with, ahead of time or (tests) at run time; `ajv-formats` adds the formats. */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;
/** Our annotation keywords, declared to ajv so it neither rejects nor validates them. */
export const ANNOTATION_KEYWORDS = ['enumDescriptions', 'deprecationMessage'] as const;

/** Keywords of a list's schema that a check of its first item alone still decides (with `minItems` at most 1). */
const SPLITTABLE_LIST_KEYWORDS = new Set(['type', 'items', 'minItems', 'description', 'title', 'examples']);

/**
 * The item schema of the root's list property `key` when a long list can be
 * checked as the root holding its first item, then each other item alone,
 * with the same findings as one check (see `checkAgainstSchemaSteps`).
 */
export function splittableItems(schemaId: SchemaId, key: string): SchemaAt | undefined {
  const listAt = childSchema(rootSchema(schemaId), key);
  const itemsAt = listAt && childSchema(listAt, 0);
  if (!listAt || !itemsAt || (listAt.schema.minItems ?? 0) > 1 || !Object.keys(listAt.schema).every((k) => SPLITTABLE_LIST_KEYWORDS.has(k))) return undefined;
  return itemsAt;
}

/** The validator of the items of the root's list `key` (from `splittableItems`). */
export function itemsValidatorKey(schemaId: SchemaId, key: string): string {
  return `${schemaId}#/properties/${key}/items`;
}

/**
 * Every validator the engine checks with, by key, and the schema it
 * compiles: each schema whole (keyed by its id) and the items of each of its
 * splittable lists. Refs are inlined, so no `$id` is needed: it is left out,
 * as a list of whole schemas (a v1 board's archive of tasks) would otherwise
 * repeat the id of the schema of its items.
 */
export function validatorSchemas(): { key: string; schema: JsonSchema }[] {
  const out: { key: string; schema: JsonSchema }[] = [];
  const add = (key: string, at: SchemaAt) => {
    const { $id: _id, ...schema } = withRefsInlined(at.schema, at.owner);
    out.push({ key, schema });
  };
  for (const schemaId of Object.values(SchemaIds)) {
    const root = rootSchema(schemaId);
    add(schemaId, root);
    for (const key of Object.keys(root.schema.properties ?? {})) {
      const items = splittableItems(schemaId, key);
      if (items) add(itemsValidatorKey(schemaId, key), items);
    }
  }
  return out;
}
