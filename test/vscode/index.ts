// Entry for the extension-host tests, called as `run()` by VS Code (code-server
// via the `payload` URL, or @vscode/test-electron). It runs the *.test.js files
// of one folder (CONTRACTS_TEST_DIR, default this one) and writes a JSON report
// to CONTRACTS_TEST_REPORT, because the web workbench has no other way to tell
// the driver that the run ended or how it went.
import * as fs from 'node:fs';
import * as path from 'node:path';

// mocha 12 is an ES module; its CommonJS build is required directly so this also
// loads in Electron extension hosts whose Node cannot require() ES modules.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: typeof import('mocha') = require('mocha/lib/mocha.cjs');

export interface TestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface TestReport {
  testsDir: string;
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
  /** Set when the run itself broke (a test file failed to load). */
  error?: string;
}

function writeReport(report: TestReport): void {
  const file = process.env.CONTRACTS_TEST_REPORT;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Rename, so the driver never reads a half-written file.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(report, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

function errorInfo(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  return { message: String(err) };
}

export async function run(): Promise<void> {
  const testsDir = process.env.CONTRACTS_TEST_DIR ?? __dirname;
  const report: TestReport = { testsDir, passed: 0, failed: 0, pending: 0, tests: [] };
  try {
    const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: 'spec' });
    if (process.env.CONTRACTS_TEST_GREP) mocha.grep(process.env.CONTRACTS_TEST_GREP);
    const files = fs
      .readdirSync(testsDir)
      .filter((name) => name.endsWith('.test.js'))
      .sort();
    for (const name of files) mocha.addFile(path.join(testsDir, name));

    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => {
        report.passed++;
        report.tests.push({ title: test.title, fullTitle: test.fullTitle(), state: 'passed', durationMs: test.duration });
      });
      // Also fires for failing hooks, which then count as failures.
      runner.on('fail', (test, err) => {
        report.failed++;
        report.tests.push({
          title: test.title,
          fullTitle: test.fullTitle(),
          state: 'failed',
          durationMs: test.duration,
          error: errorInfo(err),
        });
      });
      runner.on('pending', (test) => {
        report.pending++;
        report.tests.push({ title: test.title, fullTitle: test.fullTitle(), state: 'pending' });
      });
    });
  } catch (err) {
    report.error = errorInfo(err).stack ?? errorInfo(err).message;
    report.failed++;
  }
  writeReport(report);
  // test-electron reads the outcome from a rejected run().
  if (report.failed > 0) throw new Error(`${report.failed} extension-host test(s) failed`);
}
