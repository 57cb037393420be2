// Runs every test suite (or the ones named on the command line) and prints
// one summary line, `tests: N passed, N failed`, which CI reads.
//   node scripts/test.mjs [unit] [protocol] [vscode] [ui]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { buildBundle, checkSystem, compileTests, ensureDependencies, root } from './setup.mjs';

const allSuites = ['unit', 'protocol', 'vscode', 'ui'];
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = requested.length ? requested : allSuites;
const unknown = suites.filter((suite) => !allSuites.includes(suite));
if (unknown.length) {
  console.error(`unknown suite: ${unknown.join(', ')} (expected one of ${allSuites.join(', ')})`);
  process.exit(2);
}
const needsWorkbench = suites.includes('vscode') || suites.includes('ui');

// Set-up first, so a fresh clone needs no other command.
checkSystem('npm test', { codeServer: needsWorkbench, browser: needsWorkbench });
ensureDependencies();
// Build once: type-check and emit the tests to out/, bundle to dist/.
if (!compileTests() || !buildBundle()) {
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}
// The whole suite also runs ESLint (`npm run lint`: the layers, no unused code); tsc has just type-checked.
if (!requested.length && spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], { cwd: root, stdio: 'inherit' }).status !== 0) {
  console.log('lint: ESLint found problems (npm run lint)\ntests: 0 passed, 1 failed');
  process.exit(1);
}
if (needsWorkbench) {
  const { ensureCodeServer } = await import('./vscode/ensureCodeServer.mjs');
  try {
    await ensureCodeServer();
  } catch (err) {
    console.error(`[code-server] ${err.message}`);
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
}

const totals = { passed: 0, failed: 0 };
const perSuite = [];

function findTestFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTestFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

async function runMochaSuite(name) {
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ timeout: 20000, reporter: 'spec' });
  const dir = path.join(root, 'out', 'test', name);
  const files = existsSync(dir) ? findTestFiles(dir).sort() : [];
  files.forEach((f) => mocha.addFile(f));
  await mocha.loadFilesAsync();
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
}

for (const suite of suites) {
  let result;
  if (suite === 'unit' || suite === 'protocol') {
    result = await runMochaSuite(suite);
  } else {
    const driver = path.join(root, 'scripts', 'vscode', 'runSuite.mjs');
    const { runSuite } = await import(driver);
    result = await runSuite(suite);
  }
  perSuite.push(`${suite} ${result.passed}/${result.passed + result.failed}`);
  totals.passed += result.passed;
  totals.failed += result.failed;
}

console.log(`\nsuites: ${perSuite.join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
