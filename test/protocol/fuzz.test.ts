import { strict as assert } from 'node:assert';
import { runFuzz } from '../fuzz/harness';
import { repoRoot } from './lspClient';

/**
 * A short seeded fuzz run (the long one is `npm run fuzz`): mutated boards,
 * task files and deployment contracts through the engine and a live server.
 */
describe('fuzz: a short seeded run through the engine and a live server', function () {
  this.timeout(180_000);

  it('500 cases (seed 1): no exception, no request unanswered for 2 s, no range outside the document, no exit', async () => {
    const report = await runFuzz({ iterations: 500, seed: 1, repoRoot });
    const found = report.failures.map((f) => `${f.signature}\n  case ${f.caseIndex} of ${f.relativePath} (${f.mutations.join(' + ')}), shrunk to ${JSON.stringify(f.text.slice(0, 300))}`);
    assert.deepEqual(found, [], report.summary);
    assert.equal(report.summary, 'fuzz: 500 cases, 0 failures (seed 1)');
  });
});
