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
  let diagnostics: JsonDiagnostic[] = [];

  before(() => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'check', ...files, '--format', 'json'], { cwd: corpus, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 50_000 });
    assert.ok(run.status === 0 || run.status === 1, `the CLI ended with ${run.status}: ${run.stderr}`);
    diagnostics = JSON.parse(run.stdout) as JsonDiagnostic[];
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

  it('says nothing at all about files that are not contracts', () => {
    assert.deepEqual(scoreCorpus(diagnostics).noisySilent, []);
  });
});
