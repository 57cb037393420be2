// The set-up `npm start` and `npm test` do themselves, so a fresh clone needs
// nothing but Node 20 and npm: system packages first (nothing else happens
// when one is missing), then the npm dependencies, then the build.
// Node builtins only: this runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerSystemPackages } from './vscode/ensureCodeServer.mjs';
import { requireSystemPackages } from './vscode/systemPackages.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = path.join(root, 'package-lock.json');
const nodeModules = path.join(root, 'node_modules');
// Holds the hash of the package-lock.json that node_modules was installed from.
const stamp = path.join(nodeModules, '.contracts-installed');

function log(message) {
  console.log(`[setup] ${message}`);
}

/**
 * Checks the system packages `command` needs (exits 2 with the command to run
 * when one is missing and cannot be installed here).
 * @param {{codeServer?: boolean, browser?: boolean}} needs
 */
export function checkSystem(command, { codeServer = false, browser = false }) {
  const names = [...(codeServer ? codeServerSystemPackages() : []), ...(browser ? ['chromium'] : [])];
  requireSystemPackages(names, command);
}

function lockHash() {
  return createHash('sha256').update(readFileSync(lockFile)).digest('hex');
}

/**
 * Runs `npm ci` when node_modules is missing or older than package-lock.json.
 * The stamp records the lock it was installed from, so later runs skip the check;
 * a node_modules that npm installed after the lock was last written is adopted as is.
 */
export function ensureDependencies() {
  const wanted = lockHash();
  const installed = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
  if (existsSync(nodeModules) && installed === wanted) return;
  const npmsOwnLock = path.join(nodeModules, '.package-lock.json');
  if (installed === undefined && existsSync(npmsOwnLock) && statSync(npmsOwnLock).mtimeMs >= statSync(lockFile).mtimeMs) {
    writeFileSync(stamp, wanted + '\n');
    return;
  }
  log(existsSync(nodeModules) ? 'package-lock.json changed: npm ci' : 'installing the npm dependencies: npm ci');
  const started = Date.now();
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[setup] npm ci failed (exit ${result.status})`);
    process.exit(result.status || 1);
  }
  writeFileSync(stamp, wanted + '\n');
  log(`dependencies installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Runs a build step with a local binary; returns true when it succeeded. */
function step(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

/** Bundles the extension, server and CLI into dist/ (esbuild, about a second). */
export function buildBundle() {
  return step(['esbuild.mjs']);
}

/** Type-checks and compiles the tests to out/ with the repo's TypeScript (never `npx tsc`). */
export function compileTests() {
  // The schema validators (ajv standalone code) are a source file generated from schemas/*.json: fresh before tsc compiles them.
  return step([path.join(root, 'scripts', 'validators.mjs')]) && step([path.join(nodeModules, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json']);
}
