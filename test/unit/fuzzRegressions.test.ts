import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCorpus } from '../fuzz/corpus';
import { checkEngine, EngineWorkspace, everyOffset } from '../fuzz/engineCheck';
import { engineDocument, type FuzzCaseFile } from '../fuzz/harness';
import { fixturesDir, repoRoot } from './helpers';

/**
 * Every case the fuzzer saved (shrunk, as JSON under test/fixtures/fuzz),
 * replayed through the engine and every feature at every offset of short
 * texts (evenly spread offsets of long ones). A case with `knownIssue` names a fault outside the files the fuzz
 * work may change; it stays pending until that fix lands.
 */
type SavedCase = FuzzCaseFile & { knownIssue?: string };

const folder = path.join(fixturesDir, 'fuzz');
const files = existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.json')).sort() : [];

describe('fuzz regressions: saved cases replayed through the engine', () => {
  let workspace: EngineWorkspace;

  before(() => {
    const corpus = loadCorpus(repoRoot);
    workspace = new EngineWorkspace(Object.fromEntries(corpus.map((seed) => [engineDocument(seed, '').path, seed.text])));
  });

  it('has saved cases, each with a note of what failed', () => {
    assert.ok(files.length > 0, 'no saved fuzz cases');
    for (const name of files) {
      const saved = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as SavedCase;
      assert.ok(saved.relativePath && typeof saved.text === 'string', name);
      assert.ok(saved.failure?.kind && saved.failure.message, `${name} lacks a note of what failed`);
    }
  });

  for (const name of files) {
    const saved = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as SavedCase;
    it(`${name}: was ${saved.failure.kind} in ${saved.failure.where}${saved.knownIssue ? ' (known issue)' : ''}`, function () {
      if (saved.knownIssue) this.skip();
      const failure = checkEngine(engineDocument(saved, saved.text), everyOffset(saved.text, saved.text.length > 2000 ? 50 : 200), workspace);
      assert.equal(failure, undefined, failure && `${failure.kind} in ${failure.where}: ${failure.message}`);
    });
  }
});
