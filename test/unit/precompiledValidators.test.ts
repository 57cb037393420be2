import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { generateBoard, generateColumnBoard, generateDeployment, generateV2Board } from '../../bench/boards';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { toPlain } from '../../server/src/engine/dataNode';
import { normalizeDiagnostics } from '../../server/src/engine/diagnostics';
import { precompiledValidators } from '../../server/src/engine/precompiledValidators';
import { checkAgainstSchema } from '../../server/src/engine/validateSchema';
import { AJV_OPTIONS, ANNOTATION_KEYWORDS, itemsValidatorKey, SchemaIds, validatorSchemas, type SchemaId } from '../../server/src/engine/schemaStore';
import { loadCorpus } from '../fuzz/corpus';
import { mutate } from '../fuzz/mutate';
import { Random } from '../fuzz/random';
import { repoRoot } from './helpers';

/**
 * The engine validates with ajv standalone code generated at build time
 * (`scripts/validators.mjs`); these tests prove it is what ajv compiling the
 * same schemas at run time gives: the same errors, in the same order, on the
 * example files, on mutated (mostly invalid) copies of them and on generated
 * boards, for every validator, whole schemas and list items alike.
 */

/** ajv compiling at run time, as the engine did before, from the schemas with their annotations. */
const runtime = (() => {
  const ajv = new Ajv({ ...AJV_OPTIONS });
  addFormats(ajv);
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword(keyword);
  return new Map<string, ValidateFunction>(validatorSchemas().map(({ key, schema }) => [key, ajv.compile(schema)]));
})();

function errorsOf(validate: ValidateFunction, value: unknown): ErrorObject[] {
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** Both validators of `key` on `value`: equal errors; returns how many. */
function assertSame(key: string, value: unknown, where: string): number {
  const expected = errorsOf(runtime.get(key)!, value);
  assert.deepEqual(errorsOf(precompiledValidators[key], value), expected, `${where}: ${key}`);
  return expected.length;
}

/** A value checked by its schema's validator, each item of its lists by the items' validator, and a contract by the contract's. */
function assertSameEverywhere(schemaId: SchemaId, plain: unknown, where: string): number {
  let errors = assertSame(schemaId, plain, where);
  if (!plain || typeof plain !== 'object' || Array.isArray(plain)) return errors;
  for (const [key, value] of Object.entries(plain)) {
    const itemsKey = itemsValidatorKey(schemaId, key);
    if (Array.isArray(value) && runtime.has(itemsKey)) for (const item of value) errors += assertSame(itemsKey, item, where);
  }
  const contract = (plain as { contract?: unknown }).contract;
  if (contract !== undefined && (schemaId === SchemaIds.taskV1 || schemaId === SchemaIds.taskV2)) {
    errors += assertSameEverywhere(schemaId === SchemaIds.taskV1 ? SchemaIds.contractV1 : SchemaIds.contractV2, contract, where);
  }
  return errors;
}

/** Every region of a document, and (v1 boards) each task in it as a task of its own. */
function assertSameOnDocument(file: string, text: string): number {
  let errors = 0;
  for (const { root, schemaId } of analyzeDocument(file, text).regions) {
    if (!root) continue;
    const plain = toPlain(root);
    errors += assertSameEverywhere(schemaId, plain, file);
    if (schemaId === SchemaIds.boardV1) {
      const columns = (plain as { columns?: unknown }).columns;
      for (const column of Array.isArray(columns) ? columns : []) {
        const tasks = (column as { tasks?: unknown } | null)?.tasks;
        for (const task of Array.isArray(tasks) ? tasks : []) errors += assertSameEverywhere(SchemaIds.taskV1, task, file);
      }
    }
  }
  return errors;
}

describe('precompiled schema validators', function () {
  this.timeout(120_000);

  it('cover every validator the engine uses, and only those', () => {
    assert.deepEqual(Object.keys(precompiledValidators).sort(), [...runtime.keys()].sort());
  });

  it('are the code scripts/validators.mjs generates from the schemas as they are now', async () => {
    const generator = path.join(repoRoot, 'scripts', 'validators.mjs');
    const { validatorsSource, validatorsFile } = (await import(pathToFileURL(generator).href)) as { validatorsSource(): Promise<string>; validatorsFile: string };
    assert.ok(readFileSync(validatorsFile, 'utf8') === (await validatorsSource()), 'precompiledValidators.ts is stale: run node scripts/validators.mjs');
  });

  it('give the errors of runtime-compiled ones: example files and 15 mutations of each', () => {
    const random = new Random(31);
    let errors = 0;
    let valid = 0;
    for (const seed of loadCorpus(repoRoot)) {
      const file = `/ws/${seed.relativePath}`;
      if (assertSameOnDocument(file, seed.text) === 0) valid++;
      for (let i = 0; i < 15; i++) errors += assertSameOnDocument(file, mutate(seed.text, random).text);
    }
    assert.ok(valid > 5, `only ${valid} example files without errors`);
    assert.ok(errors > 500, `only ${errors} errors compared`);
  });

  it('give the errors of runtime-compiled ones on generated boards: faulty tasks, many columns, v2 task files, a ledger, a deployment', () => {
    assert.ok(assertSameOnDocument('/ws/brainfile.md', generateBoard({ tasks: 300, errorEvery: 3, variety: true, archive: 20 })) > 50);
    assert.ok(assertSameOnDocument('/ws/brainfile.md', generateColumnBoard(600, { invalid: true })) >= 1200);
    assert.equal(assertSameOnDocument('/ws/brainfile.md', generateColumnBoard(600)), 0);
    for (const [file, text] of Object.entries(generateV2Board(40))) assertSameOnDocument(`/ws/${file}`, text);
    assertSameOnDocument('/ws/.glassops/deployment-contract.json', generateDeployment());
  });

  it('check a v1 board with 300 archived tasks item by item with the findings of one check (the archive is a list of whole task schemas)', () => {
    const text = generateBoard({ tasks: 20, errorEvery: 3, variety: true, archive: 300 });
    const analysis = analyzeDocument('/ws/brainfile.md', text);
    const { region, root } = analysis.regions[0];
    const context = { text, rootAnchor: region.open, version: 1 as const };
    const whole = normalizeDiagnostics(checkAgainstSchema(root!, SchemaIds.boardV1, { ...context, splitMinItems: Infinity }));
    assert.deepEqual(normalizeDiagnostics(checkAgainstSchema(root!, SchemaIds.boardV1, context)), whole);
    assert.ok(assertSameOnDocument('/ws/brainfile.md', text) > 0);
  });
});
