// Paths and per-run workspaces shared by the suite drivers and `npm start`.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './ensureCodeServer.mjs';

export { repoRoot };
export const resultsDir = path.join(repoRoot, 'test-results');
export const screenshotsDir = path.join(resultsDir, 'screenshots');
export const demoWorkspace = path.join(repoRoot, 'examples');

/**
 * Extension-host suites. All use the same entry (out/test/vscode/index.js),
 * which runs the *.test.js files in CONTRACTS_TEST_DIR. Tests that need an
 * untrusted folder go in test/vscode/untrusted/; a variant without compiled
 * tests is skipped.
 */
export const extensionHostVariants = [
  { label: 'trusted', trust: true, testsDir: path.join(repoRoot, 'out', 'test', 'vscode') },
  { label: 'untrusted', trust: false, testsDir: path.join(repoRoot, 'out', 'test', 'vscode', 'untrusted') },
];
export const extensionTestsEntry = path.join(repoRoot, 'out', 'test', 'vscode', 'index');

/** The extension under test; CONTRACTS_EXTENSION_PATH swaps in another (e.g. a throwaway one). */
export function extensionPath() {
  return path.resolve(process.env.CONTRACTS_EXTENSION_PATH ?? repoRoot);
}

/** Throws a clear error when the extension's bundle is missing. */
export function assertExtensionBuilt(extPath = extensionPath()) {
  const manifest = JSON.parse(readFileSync(path.join(extPath, 'package.json'), 'utf8'));
  const main = path.join(extPath, manifest.main ?? 'dist/client.js');
  const required = extPath === repoRoot ? [main, path.join(repoRoot, 'dist', 'server.js')] : [main];
  const missing = required.filter((file) => !existsSync(file));
  if (missing.length) {
    throw new Error(`extension not built (missing ${missing.join(', ')}); run \`node esbuild.mjs\` first`);
  }
  return manifest;
}

/**
 * A fresh copy of the demo workspace, so tests may edit files freely.
 * CONTRACTS_WORKSPACE picks another source folder.
 */
export function prepareWorkspace(label) {
  const source = path.resolve(process.env.CONTRACTS_WORKSPACE ?? demoWorkspace);
  if (!existsSync(source)) throw new Error(`demo workspace not found: ${source}`);
  const parent = mkdtempSync(path.join(os.tmpdir(), `contracts-ws-${label}-`));
  // Keep the folder's name: the workbench shows it, and tests may match on it.
  const target = path.join(parent, path.basename(source));
  cpSync(source, target, { recursive: true });
  return target;
}

export function findTestFiles(dir, { recursive = true } = {}) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return recursive ? findTestFiles(full) : [];
      return entry.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}

export function ensureResultsDirs() {
  mkdirSync(screenshotsDir, { recursive: true });
}
