import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixturesDir, repoRoot } from './helpers';

/**
 * The real-world corpus: public boards, task files, ledgers and deployment
 * contracts that nobody here wrote (test/fixtures/real, with PROVENANCE.json),
 * each held to its verdict in verdicts.json. The CLI runs once over every file,
 * named on the command line, as CI would run it.
 *   valid  → no error and no warning (notes are allowed)
 *   silent → no diagnostic at all (a file that is not a contract)
 *   [{code, line}] → each of these as an error or warning, and no other error or warning
 */
const corpus = path.join(fixturesDir, 'real');

interface Expectation {
  code: string;
  line: number;
}
interface Verdict {
  expect: 'valid' | 'silent' | Expectation[];
  why?: string;
}
interface JsonDiagnostic {
  file: string;
  line: number;
  severity: string;
  code: string;
  message: string;
}

const verdicts = JSON.parse(readFileSync(path.join(corpus, 'verdicts.json'), 'utf8')) as Record<string, Verdict>;
const provenance = JSON.parse(readFileSync(path.join(corpus, 'PROVENANCE.json'), 'utf8')) as Record<string, { repo: string; path: string; commit: string }>;

/** False errors and misses of one CLI run against the verdicts: what the issue's figures count. */
export function scoreCorpus(diagnostics: JsonDiagnostic[]): { falseFindings: string[]; misses: string[]; noisySilent: string[] } {
  const falseFindings: string[] = [];
  const misses: string[] = [];
  const noisySilent: string[] = [];
  for (const [file, verdict] of Object.entries(verdicts)) {
    const all = diagnostics.filter((d) => d.file === file);
    const serious = all.filter((d) => d.severity === 'error' || d.severity === 'warning');
    const expected = Array.isArray(verdict.expect) ? verdict.expect : [];
    for (const d of serious) {
      if (!expected.some((e) => e.code === d.code && e.line === d.line)) falseFindings.push(`${file}:${d.line} ${d.severity} ${d.code}: ${d.message}`);
    }
    for (const e of expected) {
      if (!serious.some((d) => d.code === e.code && d.line === e.line)) misses.push(`${file}:${e.line} ${e.code} (${(verdict as { why?: string }).why ?? ''})`);
    }
    if (verdict.expect === 'silent' && all.length) noisySilent.push(`${file}: ${all.map((d) => `${d.line} ${d.code}`).join(', ')}`);
  }
  return { falseFindings, misses, noisySilent };
}

describe('real-world corpus (test/fixtures/real)', function () {
  this.timeout(60_000);
  const files = Object.keys(verdicts).sort();
  const silent = files.filter((file) => verdicts[file].expect === 'silent');
  let diagnostics: JsonDiagnostic[] = [];
  const contracts = (args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'check', ...args], { cwd: corpus, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 50_000 });

  before(() => {
    // Every contract file named on the command line, as a CI job lists them; the files that are no contract are found by a walk.
    const named = contracts([...files.filter((file) => !silent.includes(file)), '--format', 'json']);
    assert.ok(named.status === 0 || named.status === 1, `the CLI ended with ${named.status}: ${named.stderr}`);
    const walked = contracts(['.', '--format', 'json']);
    assert.ok(walked.status === 0 || walked.status === 1, `the CLI ended with ${walked.status}: ${walked.stderr}`);
    diagnostics = [...(JSON.parse(named.stdout) as JsonDiagnostic[]), ...(JSON.parse(walked.stdout) as JsonDiagnostic[]).filter((d) => silent.includes(d.file))];
  });

  it('holds at least 60 real files, each with its provenance and a verdict', () => {
    assert.ok(files.length >= 60, `only ${files.length} files`);
    assert.deepEqual(Object.keys(provenance).sort(), files, 'PROVENANCE.json and verdicts.json list the same files');
    for (const file of files) {
      const source = provenance[file];
      assert.match(source.commit, /^[0-9a-f]{40}$/, `${file}: commit`);
      assert.match(source.repo, /^[\w.-]+\/[\w.-]+$/, `${file}: repo`);
      assert.ok(readFileSync(path.join(corpus, file)).length > 0, `${file} is empty`);
    }
  });

  it('reports no error or warning on a file its authors treat as valid', () => {
    assert.deepEqual(scoreCorpus(diagnostics).falseFindings, []);
  });

  it('reports the right code on the right line of every broken file', () => {
    assert.deepEqual(scoreCorpus(diagnostics).misses, []);
  });

  it('says nothing at all about files that are not contracts, and refuses them by name (exit 2)', () => {
    assert.deepEqual(scoreCorpus(diagnostics).noisySilent, []);
    const run = contracts([silent[0]]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /is neither a Brainfile board, task file or ledger nor a deployment contract/);
  });
});
