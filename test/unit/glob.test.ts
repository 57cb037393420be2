import { strict as assert } from 'node:assert';
import picomatch from 'picomatch';
import { classifyDocument } from '../../server/src/engine/classify';
import { compileGlobs, expandBraces, MAX_ALTERNATIVES } from '../../server/src/engine/glob';
import { Random } from '../fuzz/random';

describe('linear-time glob matching (issue 13 #7)', function () {
  this.timeout(20_000);

  it('#7 a setting can freeze the server: **/*a*a*a*a*a*a*a*a*a*a*a*a*a*b against a name of 34 a-s answers at once', () => {
    const glob = '**/*a*a*a*a*a*a*a*a*a*a*a*a*a*b';
    const file = `/ws/${'a'.repeat(34)}.json`;
    const started = Date.now();
    assert.equal(classifyDocument(file, '{}', { deploymentGlobs: [glob] }), 'none');
    assert.equal(classifyDocument(`/ws/${'a'.repeat(5000)}b`.replace(/b$/, 'b.json'), '{}', { deploymentGlobs: ['**/*a*a*a*a*a*a*a*a*a*a*a*a*a*b.json'] }), 'deployment');
    // Before: over a minute in picomatch's backtracking regex. Linear time is milliseconds.
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });

  it('matches what picomatch (dot: true) matches, on ordinary patterns and random paths', () => {
    const patterns = [
      '**/.glassops/*.json', '**/*deployment-contract*.json', '**/*.deployment.json', 'ci/**/contract-*.json', '*.json', 'a/*/b.json', 'a/**', '**',
      '**/x', 'src/**/*.ts', 'file?.json', '[abc]*.json', '[^a]*.json', '[a-c]x.json', '{ci,build}/*.json', '**/{a,b{c,d}}/*.json', 'a\\*b.json', '**/deploy/**/*.json',
    ];
    const segments = ['a', 'b', 'c', 'ci', 'build', 'x', '.glassops', 'deploy', 'src', 'file1.json', 'contract-1.json', 'd.deployment.json', 'my-deployment-contract.json', 'a*b.json', 'ax.json', 'cx.json', 'zz.json', 'b.json', 'x.ts'];
    const rng = new Random(7);
    for (let i = 0; i < 1000; i++) {
      const count = rng.between(1, 5);
      const path = Array.from({ length: count }, () => rng.pick(segments)).join('/');
      for (const pattern of patterns) {
        const expected = picomatch(pattern, { dot: true })(path);
        assert.equal(compileGlobs([pattern])(path), expected, `${pattern} on ${JSON.stringify(path)}`);
      }
    }
  });

  it('refuses brace bombs and overlong patterns, and says why', () => {
    assert.equal(expandBraces('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}'), undefined);
    assert.deepEqual(expandBraces('{a,b}.json'), ['a.json', 'b.json']);
    const matcher = compileGlobs(['{a,b}'.repeat(9), 'x'.repeat(2000), '*.json']);
    assert.equal(matcher.problems.length, 2);
    assert.match(matcher.problems[0].reason, new RegExp(`more than ${MAX_ALTERNATIVES}`));
    assert.ok(matcher('d.json'));
  });
});
