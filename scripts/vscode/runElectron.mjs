// `npm run test:electron`: the extension-host suites in desktop VS Code via
// @vscode/test-electron, for machines that can download VS Code (not this
// offline one, which uses code-server: scripts/vscode/runSuite.mjs).
// Needs the tests compiled (tsc -p tsconfig.test.json) and dist/ built; on a
// headless Linux box run it under xvfb-run.
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDefaultSettings } from './codeServer.mjs';
import { printReport } from './runSuite.mjs';
import {
  assertExtensionBuilt,
  ensureResultsDirs,
  extensionHostVariants,
  extensionPath,
  extensionTestsEntry,
  findTestFiles,
  prepareWorkspace,
  resultsDir,
} from './workspace.mjs';

// The VS Code that code-server 4.100.3 embeds, so both runners test the same API.
const VSCODE_VERSION = process.env.CONTRACTS_VSCODE_VERSION ?? '1.100.3';

const extPath = extensionPath();
assertExtensionBuilt(extPath);
ensureResultsDirs();
const totals = { passed: 0, failed: 0 };

for (const { label, trust, testsDir } of extensionHostVariants) {
  if (findTestFiles(testsDir, { recursive: false }).length === 0) continue;
  console.log(`\n  extension host, desktop VS Code ${VSCODE_VERSION} (${label} workspace)`);
  const workspace = prepareWorkspace(`electron-${label}`);
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'contracts-electron-user-'));
  writeDefaultSettings(userDataDir, trust);
  const reportFile = path.join(resultsDir, `electron-${label}.json`);
  rmSync(reportFile, { force: true });
  try {
    await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: extPath,
      extensionTestsPath: extensionTestsEntry,
      extensionTestsEnv: { CONTRACTS_TEST_REPORT: reportFile, CONTRACTS_TEST_DIR: testsDir },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--user-data-dir', userDataDir,
        ...(trust ? ['--disable-workspace-trust'] : []),
        // Electron refuses to run as root with its sandbox on (CI containers).
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    });
  } catch (err) {
    // A failing test also lands here; the report says which.
    if (!existsSync(reportFile)) console.log(`  ✗ ${label}: VS Code did not run the tests: ${err.message}`);
  } finally {
    rmSync(path.dirname(workspace), { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
  }
  if (existsSync(reportFile)) {
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    printReport(report);
    totals.passed += report.passed;
    totals.failed += report.failed;
  } else {
    totals.failed += 1;
  }
}

console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
