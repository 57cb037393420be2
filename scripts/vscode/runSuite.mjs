// Runs the suites that need a real VS Code: code-server 4.100.3 (VS Code 1.100)
// driven by headless Debian Chromium.
//   vscode: mocha inside the real extension host (test/vscode), via the `payload` URL
//   ui:     mocha + Playwright against the workbench page (test/ui), extension installed from a VSIX
// Expects `dist/` built and the tests compiled to out/ (scripts/test.mjs does both).
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, newWorkbenchPage } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { packageExtension } from './packageExtension.mjs';
import {
  assertExtensionBuilt,
  ensureResultsDirs,
  extensionHostVariants,
  extensionPath,
  extensionTestsEntry,
  findTestFiles,
  prepareWorkspace,
  repoRoot,
  resultsDir,
  screenshotsDir,
} from './workspace.mjs';

const REPORT_TIMEOUT_MS = Number(process.env.CONTRACTS_VSCODE_TIMEOUT_MS ?? 600_000);
const WORKBENCH_TIMEOUT_MS = 90_000;
const UI_TEST_TIMEOUT_MS = 30_000;

/**
 * @param {'vscode' | 'ui'} name
 * @returns {Promise<{passed: number, failed: number}>} never rejects: a broken run counts as one failure
 */
export async function runSuite(name) {
  ensureResultsDirs();
  try {
    if (name === 'vscode') return await runExtensionHostSuites();
    if (name === 'ui') return await runUiSuite();
    throw new Error(`unknown suite "${name}" (expected vscode or ui)`);
  } catch (err) {
    console.log(`  ✗ ${name} suite could not run: ${err.message}`);
    return { passed: 0, failed: 1 };
  } finally {
    console.log(`  screenshots: ${screenshotsDir}`);
  }
}

/** Starts code-server and Chromium, hands them to `body`, and always stops both. */
async function withWorkbench({ label, trust, env, vsixFiles }, body) {
  const workspace = prepareWorkspace(label);
  let server;
  let browser;
  try {
    server = await startCodeServer({
      workspace,
      trust,
      env,
      vsixFiles,
      logFile: path.join(resultsDir, `code-server-${label}.log`),
    });
    browser = await launchBrowser();
    const page = await newWorkbenchPage(browser);
    // The extension host's console ends up in the page's console; keep it for debugging.
    const consoleLog = path.join(resultsDir, `browser-console-${label}.log`);
    writeFileSync(consoleLog, '');
    page.on('console', (msg) => {
      appendFileSync(consoleLog, `[${msg.type()}] ${msg.text()}\n`);
      // Figures the tests measure (activation time, edit-to-diagnostic) are printed with the results.
      const figure = /\[perf\][^"\n]*/.exec(msg.text());
      if (figure) console.log(`  ${figure[0]}`);
    });
    page.on('pageerror', (err) => appendFileSync(consoleLog, `[pageerror] ${err.stack ?? err.message}\n`));
    return await body({ server, page, workspace, consoleLog });
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}

async function runExtensionHostSuites() {
  const extPath = extensionPath();
  assertExtensionBuilt(extPath);
  if (!existsSync(`${extensionTestsEntry}.js`)) {
    throw new Error(`${extensionTestsEntry}.js not found; compile the tests first (npm run compile-tests)`);
  }
  const totals = { passed: 0, failed: 0 };
  // CONTRACTS_TEST_VARIANT=trusted runs one variant (e.g. to rerun one test many times).
  const only = process.env.CONTRACTS_TEST_VARIANT;
  for (const variant of extensionHostVariants) {
    if (only && variant.label !== only) continue;
    if (findTestFiles(variant.testsDir, { recursive: false }).length === 0) continue;
    console.log(`\n  extension host (${variant.label} workspace)`);
    const started = Date.now();
    const result = await runExtensionHostVariant(variant, extPath).catch((err) => {
      console.log(`  ✗ ${variant.label}: ${err.message}`);
      return { passed: 0, failed: 1 };
    });
    console.log(`  ${result.passed} passed, ${result.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    totals.passed += result.passed;
    totals.failed += result.failed;
  }
  return totals;
}

async function runExtensionHostVariant({ label, trust, testsDir }, extPath) {
  // A private report path, so two runs on one machine never read each other's report.
  const reportDir = mkdtempSync(path.join(os.tmpdir(), 'contracts-report-'));
  const reportFile = path.join(reportDir, 'report.json');
  try {
    const report = await runInExtensionHost({ label, trust, testsDir, reportFile }, extPath);
    // A copy for inspection after the run.
    copyFileSync(reportFile, path.join(resultsDir, `vscode-${label}.json`));
    printReport(report);
    return { passed: report.passed, failed: report.failed };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

async function runInExtensionHost({ label, trust, testsDir, reportFile }, extPath) {
  const env = { CONTRACTS_TEST_REPORT: reportFile, CONTRACTS_TEST_DIR: testsDir };
  return withWorkbench({ label: `vscode-${label}`, trust, env }, async ({ server, page, workspace, consoleLog }) => {
    const remote = (file) => `vscode-remote://127.0.0.1:${server.port}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extPath)],
      ['extensionTestsPath', remote(extensionTestsEntry)],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    // Watch before navigating, so an early report is not missed.
    const reportArrived = waitForFile(reportFile, REPORT_TIMEOUT_MS);
    let report;
    try {
      await page.goto(url);
      report = JSON.parse(readFileSync(await reportArrived.promise, 'utf8'));
    } catch (err) {
      reportArrived.cancel();
      const shot = await screenshot(page, `vscode-${label}-timeout`);
      throw new Error(
        `${err.message}\n    screenshot: ${shot}\n    code-server log: ${server.logFile}\n    browser console: ${consoleLog}`,
      );
    }
    return report;
  });
}

/** Prints one ✓/✗ line per test of a report written by test/vscode/index.ts. */
export function printReport(report) {
  for (const test of report.tests) {
    if (test.state === 'passed') console.log(`  ✓ ${test.fullTitle}`);
    else if (test.state === 'pending') console.log(`  - ${test.fullTitle} (pending)`);
    else {
      console.log(`  ✗ ${test.fullTitle}`);
      console.log(indent(test.error?.stack ?? test.error?.message ?? 'no error message', 6));
    }
  }
  if (report.error) console.log(`  ✗ the test run broke:\n${indent(report.error, 6)}`);
}

function indent(text, spaces) {
  return text
    .split('\n')
    .slice(0, 12)
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');
}

/** `promise` resolves with `file` once it exists and rejects after `timeoutMs`; `cancel()` stops waiting. */
function waitForFile(file, timeoutMs) {
  let cancel;
  const promise = new Promise((resolve, reject) => {
    const finish = (err) => {
      clearTimeout(timer);
      watcher.close();
      if (err) reject(err);
      else resolve(file);
    };
    const watcher = watch(path.dirname(file), (_event, name) => {
      if (name === path.basename(file) && existsSync(file)) finish();
    });
    const timer = setTimeout(
      () => finish(new Error(`no test report from the extension host within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    cancel = () => finish(new Error('cancelled'));
    if (existsSync(file)) finish();
  });
  promise.catch(() => {}); // Only the awaiting code reports a failure.
  return { promise, cancel };
}

async function screenshot(page, name) {
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, timeout: 10_000 }).catch(() => {});
  return file;
}

async function runUiSuite() {
  const files = findTestFiles(path.join(repoRoot, 'out', 'test', 'ui'));
  if (files.length === 0) return { passed: 0, failed: 0 };
  const extPath = extensionPath();
  assertExtensionBuilt(extPath);

  const vsixDir = mkdtempSync(path.join(os.tmpdir(), 'contracts-vsix-'));
  try {
    const vsix = packageExtension(extPath, path.join(vsixDir, 'contract-workbench.vsix'));
    return await withWorkbench({ label: 'ui', trust: true, env: {}, vsixFiles: [vsix] }, async ({ server, page, workspace }) => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      try {
        await waitForWorkbench(page);
      } catch (err) {
        const shot = await screenshot(page, 'ui-workbench-timeout');
        throw new Error(`the workbench did not load within ${WORKBENCH_TIMEOUT_MS / 1000} s (${err.message})\n    screenshot: ${shot}`);
      }
      // The compiled tests require this same module file, so they share the page.
      const require = createRequire(import.meta.url);
      const workbench = require(path.join(repoRoot, 'out', 'test', 'ui', 'workbench.js'));
      workbench.setWorkbench({ page, workspaceDir: workspace, screenshotsDir });
      return runMocha(files, workbench);
    });
  } finally {
    rmSync(vsixDir, { recursive: true, force: true });
  }
}

async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  // The explorer appears once the remote file system answers (it may list no rows: an empty folder).
  await page.locator('.explorer-folders-view').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
}

async function runMocha(files, workbench) {
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'bdd', timeout: UI_TEST_TIMEOUT_MS, reporter: 'spec' });
  if (process.env.CONTRACTS_TEST_GREP) mocha.grep(process.env.CONTRACTS_TEST_GREP);
  mocha.rootHooks({
    async afterEach() {
      if (this.currentTest?.state === 'failed') {
        const name = `ui-failed-${this.currentTest.fullTitle().replace(/[^\w-]+/g, '-').slice(0, 80)}`;
        await workbench.screenshot(name).catch(() => {});
      }
    },
  });
  files.forEach((file) => mocha.addFile(file));
  await mocha.loadFilesAsync();
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
}
