import { strict as assert } from 'node:assert';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { generateBoard, generateColumnBoard, generateDeployment, generateV2Board } from '../../bench/boards';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { toPlain } from '../../server/src/engine/dataNode';
import { normalizeDiagnostics } from '../../server/src/engine/diagnostics';
import { allSchemas, SchemaIds, validateWithSchema, withRefsInlined, type SchemaId } from '../../server/src/engine/schemaStore';
import { checkAgainstSchema } from '../../server/src/engine/validateSchema';
import { loadCorpus } from '../fuzz/corpus';
import { mutate } from '../fuzz/mutate';
import { Random } from '../fuzz/random';
import { repoRoot } from './helpers';

/**
 * The engine validates against copies of the schemas with every `$ref`
 * inlined, so that ajv's cost stays linear in the number of findings. These
 * tests prove the errors are exactly those of the schemas as written.
 */

/** ajv over the schemas as written, refs and all: the reference. */
const reference = (() => {
  const ajv = new Ajv({ allErrors: true, strict: false, schemas: allSchemas() as object[] });
  addFormats(ajv);
  ajv.addKeyword('enumDescriptions');
  ajv.addKeyword('deprecationMessage');
  return ajv;
})();

function referenceErrors(schemaId: SchemaId, value: unknown): ErrorObject[] {
  const validate = reference.getSchema(schemaId)!;
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** What the engine reads of an error, in a stable order. */
function comparable(errors: ErrorObject[]): string[] {
  return errors.map((e) => JSON.stringify([e.instancePath, e.keyword, e.params, e.message])).sort();
}

/** Every region of the document, validated both ways (v1 boards whole, tasks included). */
function assertSameErrors(path: string, text: string): number {
  let errors = 0;
  for (const { root, schemaId } of analyzeDocument(path, text).regions) {
    if (!root) continue;
    const plain = toPlain(root);
    const expected = comparable(referenceErrors(schemaId, plain));
    assert.deepEqual(comparable(validateWithSchema(schemaId, plain)), expected, `${path}: ${schemaId}`);
    errors += expected.length;
  }
  return errors;
}

describe('schema validation with inlined refs', function () {
  this.timeout(120_000);

  it('no $ref is left in any schema the engine validates with', () => {
    for (const schema of allSchemas()) assert.doesNotMatch(JSON.stringify(withRefsInlined(schema)), /"\$ref"/, schema.$id);
  });

  it('gives the same errors as the schemas as written: corpus, fixtures and 15 mutations of each', () => {
    const random = new Random(14);
    let errors = 0;
    for (const seed of loadCorpus(repoRoot)) {
      const path = `/ws/${seed.relativePath}`;
      errors += assertSameErrors(path, seed.text);
      for (let i = 0; i < 15; i++) errors += assertSameErrors(path, mutate(seed.text, random).text);
    }
    assert.ok(errors > 500, `only ${errors} errors compared`);
  });

  it('gives the same errors on generated boards: faulty tasks, many columns, v2 task files, a deployment', () => {
    assert.ok(assertSameErrors('/ws/brainfile.md', generateBoard({ tasks: 300, errorEvery: 3, variety: true, archive: 20 })) > 50);
    assert.equal(assertSameErrors('/ws/brainfile.md', generateColumnBoard(2000, { invalid: true })), 2000);
    assert.equal(assertSameErrors('/ws/brainfile.md', generateColumnBoard(2000)), 0);
    for (const [file, text] of Object.entries(generateV2Board(20))) assertSameErrors(`/ws/${file}`, text);
    assertSameErrors('/ws/.glassops/deployment-contract.json', generateDeployment());
  });
});

describe('schema check of a long top-level list, item by item', function () {
  this.timeout(60_000);

  it('gives the findings of one check of the whole value: 600 columns with faults of every kind', () => {
    let text = generateColumnBoard(600, { invalid: true });
    text = text.replace('    title: Stage 7 of the release pipeline\n', '').replace('    order: 9\n', '    ordr: 9\n').replace('    order: 11\n', '    order: -1\n');
    text = text.replace('  - id: stage_13\n', '  - id: stage_13\n    tilte: x\n').replace('    tasks: []\n', '    tasks: 3\n').replace('  - id: stage_300\n', '  - 12\n  - id: stage_300\n');
    const analysis = analyzeDocument('/ws/brainfile.md', text);
    const root = analysis.regions[0].root!;
    const context = { text, rootAnchor: analysis.regions[0].region.open, version: 1 as const };
    const whole = normalizeDiagnostics(checkAgainstSchema(root, SchemaIds.boardV1, { ...context, splitMinItems: Infinity }));
    const split = normalizeDiagnostics(checkAgainstSchema(root, SchemaIds.boardV1, context));
    assert.deepEqual(split, whole);
    assert.deepEqual([...new Set(whole.map((d) => d.code))].sort(), ['invalid-format', 'invalid-type', 'missing-field', 'out-of-range', 'unknown-field']);
    assert.ok(whole.length > 600);
  });
});
