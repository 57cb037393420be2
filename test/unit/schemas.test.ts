import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

// Compiled to out/test/unit/, so the repository root is three levels up.
const root = path.resolve(__dirname, '../../..');
const schemasDir = path.join(root, 'schemas');
const examples = path.join(root, 'test', 'fixtures', 'examples');

const SCHEMA_FILES = [
  'brainfile-contract-v1.schema.json',
  'brainfile-contract-v2.schema.json',
  'brainfile-task-v1.schema.json',
  'brainfile-task-v2.schema.json',
  'brainfile-board-v1.schema.json',
  'brainfile-board-v2.schema.json',
  'deployment-contract.schema.json',
  'brainfile-ledger-record.schema.json',
] as const;
type SchemaFile = (typeof SCHEMA_FILES)[number];

type Json = Record<string, unknown>;

function loadSchema(file: string): Json {
  return JSON.parse(fs.readFileSync(path.join(schemasDir, file), 'utf8')) as Json;
}

function frontMatter(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(text);
  assert.ok(match, `no front matter in ${file}`);
  return parseYaml(match[1]);
}

/** Same setup the engine uses: strict, all errors, formats, our two annotation keywords. */
function createAjv(): Ajv {
  // allowUnionTypes: rules[].id is `"type": ["integer", "string"]`, which strictTypes
  // rejects otherwise; a type array reports one error where anyOf would report three.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword('enumDescriptions');
  ajv.addKeyword('deprecationMessage');
  return ajv;
}

/** Calls `visit` for every subschema, with a JSON pointer-ish location. */
function walk(schema: unknown, at: string, visit: (node: Json, at: string) => void): void {
  if (Array.isArray(schema)) {
    schema.forEach((item, i) => walk(item, `${at}/${i}`, visit));
    return;
  }
  if (schema === null || typeof schema !== 'object') return;
  const node = schema as Json;
  visit(node, at);
  for (const key of ['properties', 'definitions', 'patternProperties']) {
    const map = node[key];
    if (map && typeof map === 'object') {
      for (const [name, sub] of Object.entries(map as Json)) walk(sub, `${at}/${key}/${name}`, visit);
    }
  }
  for (const key of ['items', 'additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']) {
    if (node[key] !== undefined && typeof node[key] === 'object') walk(node[key], `${at}/${key}`, visit);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(node[key])) walk(node[key], `${at}/${key}`, visit);
  }
}

function errorsOf(validate: ValidateFunction, data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

function describeErrors(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('schemas', () => {
  const schemas = new Map<SchemaFile, Json>(SCHEMA_FILES.map((f) => [f, loadSchema(f)]));
  const ajv = createAjv();
  for (const [, schema] of schemas) ajv.addSchema(schema);
  const validators = new Map<SchemaFile, ValidateFunction>();
  const v = (file: SchemaFile): ValidateFunction => {
    let fn = validators.get(file);
    if (!fn) {
      fn = ajv.getSchema(`https://contract-workbench.dev/schemas/${file}`) as ValidateFunction;
      validators.set(file, fn);
    }
    return fn;
  };
  const assertValid = (file: SchemaFile, data: unknown, label: string): void => {
    const errors = errorsOf(v(file), data);
    assert.deepEqual(errors, [], `${label} should be valid against ${file}: ${describeErrors(errors)}`);
  };
  const assertInvalid = (file: SchemaFile, data: unknown, label: string, expect?: { path?: string; keyword?: string }): ErrorObject[] => {
    const errors = errorsOf(v(file), data);
    assert.ok(errors.length > 0, `${label} should be invalid against ${file}`);
    if (expect) {
      const hit = errors.some((e) => (expect.path === undefined || e.instancePath === expect.path) && (expect.keyword === undefined || e.keyword === expect.keyword));
      assert.ok(hit, `${label}: expected a ${expect.keyword ?? 'any'} error at ${expect.path ?? 'any path'}, got ${describeErrors(errors)}`);
    }
    return errors;
  };

  describe('structure', () => {
    it('has exactly the eight schema files', () => {
      const onDisk = fs.readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json')).sort();
      assert.deepEqual(onDisk, [...SCHEMA_FILES].sort());
    });

    it('compiles every schema in ajv strict mode', () => {
      for (const file of SCHEMA_FILES) {
        assert.equal(typeof v(file), 'function', `${file} did not compile`);
      }
    });

    for (const file of SCHEMA_FILES) {
      describe(file, () => {
        const schema = loadSchema(file);

        it('declares draft-07, its $id, a title and a description', () => {
          assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
          assert.equal(schema.$id, `https://contract-workbench.dev/schemas/${file}`);
          assert.equal(typeof schema.title, 'string');
          assert.ok((schema.title as string).length > 0);
          assert.equal(typeof schema.description, 'string');
          assert.ok((schema.description as string).length > 20);
        });

        it('describes every property at every depth', () => {
          const missing: string[] = [];
          walk(schema, '#', (node, at) => {
            const props = node.properties as Json | undefined;
            if (!props) return;
            for (const [name, sub] of Object.entries(props)) {
              const d = (sub as Json).description;
              if (typeof d !== 'string' || d.trim().length < 15) missing.push(`${at}/properties/${name}`);
            }
          });
          assert.deepEqual(missing, []);
        });

        it('pairs every enum with enumDescriptions of the same length', () => {
          const bad: string[] = [];
          walk(schema, '#', (node, at) => {
            if (node.enum === undefined && node.enumDescriptions === undefined) return;
            const values = node.enum;
            const docs = node.enumDescriptions;
            if (!Array.isArray(values) || !Array.isArray(docs) || values.length !== docs.length || docs.some((d) => typeof d !== 'string' || d.trim() === '')) {
              bad.push(at);
            }
          });
          assert.deepEqual(bad, []);
        });

        it('uses only relative-file or local $refs and no oneOf/anyOf', () => {
          const bad: string[] = [];
          walk(schema, '#', (node, at) => {
            if ('oneOf' in node || 'anyOf' in node) bad.push(`${at} uses oneOf/anyOf`);
            const ref = node.$ref;
            if (ref === undefined) return;
            if (typeof ref !== 'string') {
              bad.push(`${at} has a non-string $ref`);
            } else if (ref.startsWith('#')) {
              if (!/^#\/definitions\/[A-Za-z]+$/.test(ref)) bad.push(`${at} -> ${ref}`);
              else if (!(schema.definitions as Json | undefined)?.[ref.slice('#/definitions/'.length)]) bad.push(`${at} -> ${ref} is missing`);
            } else if (!(SCHEMA_FILES as readonly string[]).includes(ref)) {
              bad.push(`${at} -> ${ref}`);
            }
          });
          assert.deepEqual(bad, []);
        });
      });
    }
  });

  describe('contract v1', () => {
    const good = {
      status: 'ready',
      deliverables: [{ type: 'docs', path: 'docs/api-v2.md', description: 'Updated REST endpoints' }],
      validation: { commands: ['npm run docs:verify'] },
      constraints: ['Use Swagger/OpenAPI 3.0 format'],
      context: { background: 'Q3 release', relevantFiles: ['src/routes/api.ts'], outOfScope: ['Auth'] },
      reviewer: 'extra keys are allowed',
    };

    it('accepts a full contract, with extra keys everywhere', () => {
      const data = clone(good) as Json;
      (data.deliverables as Json[])[0].owner = 'x';
      (data.validation as Json).timeoutSeconds = 60;
      (data.context as Json).links = ['https://example.com'];
      assertValid('brainfile-contract-v1.schema.json', data, 'full v1 contract');
    });

    it("accepts the nine statuses of @brainfile/core 0.15.2, blocked and cancelled included", () => {
      for (const status of ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled']) {
        assertValid('brainfile-contract-v1.schema.json', { status }, `status ${status}`);
      }
    });

    it('rejects hyphenated and unknown statuses', () => {
      assertInvalid('brainfile-contract-v1.schema.json', { status: 'in-progress' }, 'in-progress', { path: '/status', keyword: 'enum' });
      assertInvalid('brainfile-contract-v1.schema.json', { status: 'canceled' }, 'canceled', { path: '/status', keyword: 'enum' });
    });

    it('describes every status, and the fields of the current v1 schema (version, outOfScope, feedback, metrics, maxRetries)', () => {
      const schema = schemas.get('brainfile-contract-v1.schema.json') as Json;
      const status = (schema.properties as Json).status as Json;
      assert.equal((status.enumDescriptions as string[]).length, (status.enum as string[]).length);
      assertValid('brainfile-contract-v1.schema.json', { status: 'ready', version: 2, outOfScope: ['refunds'], feedback: 'x', maxRetries: 3, metrics: { reworkCount: 1 } }, 'v1 extras');
      assertInvalid('brainfile-contract-v1.schema.json', { status: 'ready', maxRetries: -1 }, 'negative maxRetries', { path: '/maxRetries', keyword: 'minimum' });
    });

    it('requires status', () => {
      assertInvalid('brainfile-contract-v1.schema.json', { deliverables: [] }, 'no status', { path: '', keyword: 'required' });
    });

    it('requires only path on each deliverable (type is optional, as in the current v1 schema)', () => {
      const errors = assertInvalid('brainfile-contract-v1.schema.json', { status: 'ready', deliverables: [{ description: 'x' }] }, 'bare deliverable');
      const missing = errors.filter((e) => e.keyword === 'required').map((e) => (e.params as { missingProperty: string }).missingProperty).sort();
      assert.deepEqual(missing, ['path']);
      assertValid('brainfile-contract-v1.schema.json', { status: 'ready', deliverables: [{ path: 'src/a.ts' }] }, 'path only');
    });

    it('rejects empty constraints and a string where commands should be a list', () => {
      assertInvalid('brainfile-contract-v1.schema.json', { status: 'ready', constraints: [''] }, 'empty constraint', { path: '/constraints/0', keyword: 'minLength' });
      assertInvalid('brainfile-contract-v1.schema.json', { status: 'ready', validation: { commands: 'npm test' } }, 'commands string', { path: '/validation/commands', keyword: 'type' });
      assertInvalid('brainfile-contract-v1.schema.json', { status: 'ready', validation: { commands: [''] } }, 'empty command', { path: '/validation/commands/0', keyword: 'minLength' });
    });

    it('rejects a contract written as a list, reporting one error', () => {
      const errors = assertInvalid('brainfile-contract-v1.schema.json', [{ status: 'ready' }], 'list', { path: '', keyword: 'type' });
      assert.equal(errors.length, 1);
    });
  });

  describe('contract v2', () => {
    it('accepts status blocked and a deliverable with only a path', () => {
      assertValid('brainfile-contract-v2.schema.json', { status: 'blocked', feedback: 'waiting', deliverables: [{ path: 'src/a.ts' }] }, 'blocked');
    });

    it('accepts a custom deliverable type', () => {
      assertValid('brainfile-contract-v2.schema.json', { status: 'ready', deliverables: [{ type: 'migration', path: 'db/001.sql' }] }, 'custom type');
    });

    it('accepts draft, which the official CLI writes for new v2 contracts, and reworking and cancelled', () => {
      for (const status of ['draft', 'reworking', 'cancelled']) assertValid('brainfile-contract-v2.schema.json', { status }, status);
      assertInvalid('brainfile-contract-v2.schema.json', { status: 'Draft' }, 'Draft', { path: '/status', keyword: 'enum' });
    });

    it('requires a path on each deliverable', () => {
      assertInvalid('brainfile-contract-v2.schema.json', { status: 'ready', deliverables: [{ type: 'file' }] }, 'no path', { path: '/deliverables/0', keyword: 'required' });
    });

    it('checks version and metrics', () => {
      assertInvalid('brainfile-contract-v2.schema.json', { status: 'ready', version: 0 }, 'version 0', { path: '/version', keyword: 'minimum' });
      assertInvalid('brainfile-contract-v2.schema.json', { status: 'ready', version: 1.5 }, 'version 1.5', { path: '/version', keyword: 'type' });
      assertInvalid('brainfile-contract-v2.schema.json', { status: 'ready', metrics: { pickedUpAt: 'monday' } }, 'bad date-time', { path: '/metrics/pickedUpAt', keyword: 'format' });
      assertInvalid('brainfile-contract-v2.schema.json', { status: 'ready', metrics: { duration: -1 } }, 'negative duration', { path: '/metrics/duration', keyword: 'minimum' });
      assertInvalid('brainfile-contract-v2.schema.json', { status: 'ready', metrics: { reworkCount: 1.5 } }, 'fractional rework', { path: '/metrics/reworkCount', keyword: 'type' });
      assertValid('brainfile-contract-v2.schema.json', { status: 'done', metrics: { pickedUpAt: '2026-11-18T09:12:00Z', deliveredAt: '2026-11-18T10:42:00+01:00', validatedAt: '2026-11-18T11:00:00Z', duration: 5400.5, reworkCount: 2 } }, 'metrics');
    });

    it('still accepts context, marked deprecated', () => {
      assertValid('brainfile-contract-v2.schema.json', { status: 'ready', context: { background: 'why' } }, 'context');
      const schema = schemas.get('brainfile-contract-v2.schema.json') as Json;
      const context = (schema.properties as Json).context as Json;
      assert.match(String(context.deprecationMessage), /description/);
      assert.match(String(context.deprecationMessage), /relatedFiles/);
      assert.match(String(context.deprecationMessage), /outOfScope/);
    });
  });

  describe('task v1', () => {
    it('accepts a full task', () => {
      assertValid('brainfile-task-v1.schema.json', {
        id: 'task-12', title: 'Do it', description: '# md', assignee: 'codex', tags: ['api'], priority: 'critical', effort: 'xlarge',
        blockedBy: ['task-3'], dueDate: '2026-12-15', createdAt: '2026-11-18T09:12:00Z', updatedAt: '2026-11-18T09:12:00Z',
        relatedFiles: ['src/a.ts'], subtasks: [{ id: 'sub-1', title: 'step', completed: false }], template: 'bug',
        contract: { status: 'draft' }, parentId: 'epic-1',
      }, 'full task');
    });

    it('requires id and title, and checks the id pattern', () => {
      assertInvalid('brainfile-task-v1.schema.json', { title: 'x' }, 'no id', { path: '', keyword: 'required' });
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-1', title: '' }, 'empty title', { path: '/title', keyword: 'minLength' });
      assertInvalid('brainfile-task-v1.schema.json', { id: 'Task 1', title: 'x' }, 'bad id', { path: '/id', keyword: 'pattern' });
    });

    it('rejects wrong enums, dates and subtasks', () => {
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-1', title: 'x', priority: 'urgent' }, 'priority', { path: '/priority', keyword: 'enum' });
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-1', title: 'x', effort: 'huge' }, 'effort', { path: '/effort', keyword: 'enum' });
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-1', title: 'x', template: 'chore' }, 'template', { path: '/template', keyword: 'enum' });
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-1', title: 'x', dueDate: '15/12/2026' }, 'dueDate', { path: '/dueDate', keyword: 'format' });
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-1', title: 'x', subtasks: [{ id: 's', title: 't' }] }, 'subtask', { path: '/subtasks/0', keyword: 'required' });
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-1', title: 'x', subtasks: [{ id: 's', title: 't', completed: 'yes' }] }, 'completed', { path: '/subtasks/0/completed', keyword: 'type' });
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-1', title: 'x', tags: 'api' }, 'tags', { path: '/tags', keyword: 'type' });
    });

    it('validates its contract against contract v1', () => {
      assertValid('brainfile-task-v1.schema.json', { id: 'task-1', title: 'x', contract: { status: 'blocked' } }, 'v1 blocked');
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-1', title: 'x', contract: { status: 'on-hold' } }, 'v1 on-hold', { path: '/contract/status', keyword: 'enum' });
    });

    it('checks dependsOn and parentId', () => {
      assertValid('brainfile-task-v1.schema.json', { id: 'task-2', title: 'x', dependsOn: ['task-1'], parentId: 'epic-1' }, 'dependsOn, parentId');
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-2', title: 'x', dependsOn: 'task-1' }, 'dependsOn string', { path: '/dependsOn', keyword: 'type' });
      assertInvalid('brainfile-task-v1.schema.json', { id: 'task-2', title: 'x', parentId: '' }, 'empty parentId', { path: '/parentId', keyword: 'minLength' });
    });
  });

  describe('task v2', () => {
    const dir = path.join(examples, 'board-v2/.brainfile/board');

    it('accepts every example task file', () => {
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md'));
      assert.ok(files.length >= 2);
      for (const f of files) assertValid('brainfile-task-v2.schema.json', frontMatter(path.join(dir, f)), f);
    });

    it('checks column, position, completedAt and the v2 contract', () => {
      assertValid('brainfile-task-v2.schema.json', { id: 'epic-3', type: 'epic', title: 'x', column: 'in-progress', position: 0, completedAt: '2026-11-18T09:12:00Z' }, 'v2 task');
      assertInvalid('brainfile-task-v2.schema.json', { id: 'task-1', title: 'x', column: 'In Progress' }, 'column', { path: '/column', keyword: 'pattern' });
      assertInvalid('brainfile-task-v2.schema.json', { id: 'task-1', title: 'x', position: 'first' }, 'position', { path: '/position', keyword: 'type' });
      assertInvalid('brainfile-task-v2.schema.json', { id: 'task-1', title: 'x', completedAt: '2026-11-18' }, 'completedAt', { path: '/completedAt', keyword: 'format' });
      assertValid('brainfile-task-v2.schema.json', { id: 'task-1', title: 'x', contract: { status: 'draft' } }, 'v2 draft');
      assertInvalid('brainfile-task-v2.schema.json', { id: 'task-1', title: 'x', contract: { status: 'todo' } }, 'v2 todo', { path: '/contract/status', keyword: 'enum' });
    });
  });

  describe('board v1', () => {
    const boardFile = path.join(examples, 'board-v1/brainfile.md');

    it('accepts the example board', () => {
      assertValid('brainfile-board-v1.schema.json', frontMatter(boardFile), 'board-v1/brainfile.md');
    });

    it('accepts a task whose contract status is blocked, and rejects an unknown one', () => {
      const board = clone(frontMatter(boardFile)) as { columns: { tasks: { contract?: Json }[] }[] };
      board.columns[0].tasks[0].contract!.status = 'blocked';
      assertValid('brainfile-board-v1.schema.json', board, 'blocked in v1');
      board.columns[0].tasks[0].contract!.status = 'paused';
      assertInvalid('brainfile-board-v1.schema.json', board, 'paused in v1', { path: '/columns/0/tasks/0/contract/status', keyword: 'enum' });
    });

    it('reports the planted faults of the broken example', () => {
      const errors = errorsOf(v('brainfile-board-v1.schema.json'), frontMatter(path.join(examples, 'board-v1-broken/brainfile.md')));
      const at = new Set(errors.map((e) => `${e.instancePath} ${e.keyword}`));
      for (const expected of [
        '/columns/0/tasks/0/contract/status enum',
        '/columns/0/tasks/1/contract/deliverables/0 required',
        '/columns/0/tasks/2/contract/validation/commands type',
        '/columns/0/tasks/3/contract type',
        '/columns/0/tasks/4/contract required',
        '/columns/0/tasks/4/contract/constraints/0 minLength',
      ]) {
        assert.ok(at.has(expected), `missing ${expected} in ${[...at].join(', ')}`);
      }
    });

    it('checks title, columns, column ids, rules and statsConfig', () => {
      const base = { title: 'B', columns: [{ id: 'todo', title: 'To Do' }] };
      assertValid('brainfile-board-v1.schema.json', { ...base, rules: { always: [{ id: 1, rule: 'a' }, { id: 'r2', rule: 'b' }] }, statsConfig: { columns: ['todo'] }, customTool: { x: 1 } }, 'rules and extras');
      assertInvalid('brainfile-board-v1.schema.json', { columns: base.columns }, 'no title', { path: '', keyword: 'required' });
      assertInvalid('brainfile-board-v1.schema.json', { title: 'B' }, 'no columns', { path: '', keyword: 'required' });
      assertInvalid('brainfile-board-v1.schema.json', { title: 'B', columns: [] }, 'empty columns', { path: '/columns', keyword: 'minItems' });
      assertInvalid('brainfile-board-v1.schema.json', { title: 'B', columns: [{ id: 'In_Progress', title: 'x' }] }, 'column id', { path: '/columns/0/id', keyword: 'pattern' });
      assertInvalid('brainfile-board-v1.schema.json', { ...base, columns: [{ id: 'todo', title: 'x', order: -1 }] }, 'order', { path: '/columns/0/order', keyword: 'minimum' });
      assertInvalid('brainfile-board-v1.schema.json', { ...base, protocolVersion: '1.0' }, 'protocolVersion', { path: '/protocolVersion', keyword: 'pattern' });
      assertInvalid('brainfile-board-v1.schema.json', { ...base, statsConfig: { columns: ['todo'], colour: 'red' } }, 'statsConfig extra', { path: '/statsConfig', keyword: 'additionalProperties' });
      const ruleErrors = assertInvalid('brainfile-board-v1.schema.json', { ...base, rules: { never: [{ id: true, rule: 'x' }] } }, 'rule id', { path: '/rules/never/0/id', keyword: 'type' });
      assert.equal(ruleErrors.length, 1, 'one fault, one error');
      assertInvalid('brainfile-board-v1.schema.json', { ...base, rules: { prefer: [{ id: 1, rule: '' }] } }, 'empty rule', { path: '/rules/prefer/0/rule', keyword: 'minLength' });
      assertInvalid('brainfile-board-v1.schema.json', { ...base, archive: [{ id: 'task-9' }] }, 'archive task', { path: '/archive/0', keyword: 'required' });
    });
  });

  describe('board v2', () => {
    it('accepts the example board config', () => {
      assertValid('brainfile-board-v2.schema.json', frontMatter(path.join(examples, 'board-v2/.brainfile/brainfile.md')), 'board-v2 config');
    });

    it('checks completionColumn, strict and types', () => {
      const base = { title: 'B', columns: [{ id: 'done', title: 'Done', completionColumn: true }] };
      assertValid('brainfile-board-v2.schema.json', { ...base, strict: true, types: { epic: { idPrefix: 'epic', completable: false, schema: 'https://brainfile.md/v2/epic.json' } } }, 'types');
      assertInvalid('brainfile-board-v2.schema.json', { ...base, columns: [{ id: 'done', title: 'Done', completionColumn: 'yes' }] }, 'completionColumn', { path: '/columns/0/completionColumn', keyword: 'type' });
      assertInvalid('brainfile-board-v2.schema.json', { ...base, strict: 'true' }, 'strict', { path: '/strict', keyword: 'type' });
      assertInvalid('brainfile-board-v2.schema.json', { ...base, types: { epic: { completable: 'no' } } }, 'completable', { path: '/types/epic/completable', keyword: 'type' });
      assertInvalid('brainfile-board-v2.schema.json', { ...base, types: { epic: 'epic' } }, 'type entry', { path: '/types/epic', keyword: 'type' });
    });

    it('marks column tasks and archive as deprecated', () => {
      const schema = schemas.get('brainfile-board-v2.schema.json') as Json;
      const props = schema.properties as Json;
      assert.match(String((props.archive as Json).deprecationMessage), /logs/);
      const column = (schema.definitions as Json).column as Json;
      assert.match(String(((column.properties as Json).tasks as Json).deprecationMessage), /board\//);
    });
  });

  describe('deployment contract', () => {
    const dir = path.join(examples, 'deployments/.glassops');
    const good = JSON.parse(fs.readFileSync(path.join(dir, 'glassops-contract.json'), 'utf8')) as Json;

    it('accepts glassops-contract.json', () => {
      assertValid('deployment-contract.schema.json', good, 'glassops-contract.json');
    });

    it('rejects deployment-contract.json for its engine and timestamp', () => {
      const bad = JSON.parse(fs.readFileSync(path.join(dir, 'deployment-contract.json'), 'utf8')) as unknown;
      const errors = assertInvalid('deployment-contract.schema.json', bad, 'deployment-contract.json');
      const at = errors.map((e) => `${e.instancePath} ${e.keyword}`).sort();
      assert.deepEqual(at, ['/meta/engine enum', '/meta/timestamp pattern']);
    });

    it('accepts a $schema key, no schemaVersion, empty strings and extra top-level keys, as zod does', () => {
      const data = clone(good);
      data.$schema = '../schemas/deployment-contract.schema.json';
      delete data.schemaVersion;
      (data.audit as Json).orgId = '';
      (data.quality as Json).tests = { total: 4.5, passed: 4.5, failed: 0 };
      data.pipelineRunId = '42';
      assertValid('deployment-contract.schema.json', data, 'variant');
    });

    it('requires meta.trigger, audit.orgId and audit.commit, as glassops\' zod schema does', () => {
      for (const [section, field] of [['meta', 'trigger'], ['audit', 'orgId'], ['audit', 'commit']] as const) {
        const data = clone(good);
        delete (data[section] as Json)[field];
        assertInvalid('deployment-contract.schema.json', data, `no ${section}.${field}`, { path: `/${section}`, keyword: 'required' });
      }
    });

    // glassops' schema is `timestamp: z.string().datetime()` with no options, and its lockfile resolves zod 4.3.6:
    // only Z as the time zone (no offset, no local time), seconds optional, any fraction, real calendar dates.
    const ZOD_DATETIME: Array<[string, boolean]> = [
      ['2024-01-21T18:00:00.000Z', true],
      ['2026-11-20T18:04:11Z', true],
      ['2024-01-21T18:00:00.123456789Z', true],
      ['2024-01-21T18:00Z', true],
      ['2024-02-29T00:00:00Z', true],
      ['2024-01-21T18:00:00+02:00', false],
      ['2024-01-21T18:00:00-05:00', false],
      ['2024-01-21T18:00:00', false],
      ['2024-01-21 18:00:00', false],
      ['2024-01-21 18:00:00Z', false],
      ['2024-01-21t18:00:00z', false],
      ['2024-02-30T18:00:00Z', false],
      ['2023-02-29T00:00:00Z', false],
      ['2024-01-21T24:00:00Z', false],
      ['2024-01-21T18:00:60Z', false],
      ['2024-01-21T18:00:00.Z', false],
      ['2024-01-21', false],
    ];
    for (const [timestamp, accepted] of ZOD_DATETIME) {
      it(`${accepted ? 'accepts' : 'rejects'} meta.timestamp ${timestamp}, as zod's datetime() does`, () => {
        const data = clone(good);
        (data.meta as Json).timestamp = timestamp;
        if (accepted) assertValid('deployment-contract.schema.json', data, timestamp);
        else assertInvalid('deployment-contract.schema.json', data, timestamp, { path: '/meta/timestamp', keyword: 'pattern' });
      });
    }

    it('rejects wrong status, ranges, types and missing sections', () => {
      const mutate = (fn: (d: Json) => void): Json => {
        const d = clone(good);
        fn(d);
        return d;
      };
      const q = (d: Json): Json => d.quality as Json;
      assertInvalid('deployment-contract.schema.json', mutate((d) => { d.status = 'succeeded'; }), 'status case', { path: '/status', keyword: 'enum' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { d.schemaVersion = 2; }), 'schemaVersion', { path: '/schemaVersion', keyword: 'type' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { (q(d).coverage as Json).actual = 101; }), 'coverage > 100', { path: '/quality/coverage/actual', keyword: 'maximum' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { (q(d).coverage as Json).required = -5; }), 'coverage < 0', { path: '/quality/coverage/required', keyword: 'minimum' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { (q(d).coverage as Json).met = 'true'; }), 'met string', { path: '/quality/coverage/met', keyword: 'type' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { (q(d).tests as Json).failed = -1; }), 'failed < 0', { path: '/quality/tests/failed', keyword: 'minimum' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { (q(d).tests as Json).total = '4'; }), 'total string', { path: '/quality/tests/total', keyword: 'type' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { delete d.audit; }), 'no audit', { path: '', keyword: 'required' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { delete (d.meta as Json).engine; }), 'no engine', { path: '/meta', keyword: 'required' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { delete (d.audit as Json).repository; }), 'no repository', { path: '/audit', keyword: 'required' });
      assertInvalid('deployment-contract.schema.json', mutate((d) => { delete (q(d).tests as Json).passed; }), 'no passed', { path: '/quality/tests', keyword: 'required' });
    });
  });
});
