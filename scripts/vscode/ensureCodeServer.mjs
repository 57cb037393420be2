// Installs code-server (the real VS Code 1.100 server + web workbench) into a
// gitignored cache on first use, on a machine that reaches only the npm registry:
// code-server's install would download a ripgrep binary from GitHub, so we seed
// the download cache with the system's `rg`; its native modules build against
// the system's kerberos headers; node-pty's postinstall runs `npx node-gyp`,
// which needs npm's "yes". CONTRIBUTING.md has the whole recipe.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireSystemPackages, ripgrepPath } from './systemPackages.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';

const installDir = path.join(repoRoot, '.vscode-test', 'code-server');
const marker = path.join(installDir, `.installed-${CODE_SERVER_VERSION}`);
const executable = path.join(installDir, 'node_modules', '.bin', 'code-server');

// @vscode/ripgrep inside code-server looks for this archive before downloading.
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function log(message) {
  console.log(`[code-server] ${message}`);
}

/** True when code-server is installed, so no install (and no build tools) is needed. */
export function isCodeServerInstalled() {
  return existsSync(marker) && existsSync(executable);
}

/** The Debian packages code-server needs now: ripgrep always, the kerberos headers only to install it. */
export function codeServerSystemPackages() {
  return isCodeServerInstalled() ? ['ripgrep'] : ['ripgrep', 'libkrb5-dev'];
}

function seedRipgrepCache() {
  const cacheDir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  const archive = path.join(cacheDir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const rgDir = path.dirname(ripgrepPath());
  const result = spawnSync('tar', ['-czf', archive, '-C', rgDir, 'rg'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`could not create ${archive}`);
  log(`seeded ripgrep cache from ${rgDir}/rg`);
}

/** Returns the code-server executable, installing it first if needed. */
export async function ensureCodeServer() {
  requireSystemPackages(codeServerSystemPackages(), 'code-server');
  if (isCodeServerInstalled()) return executable;

  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node 20 (this is Node ${process.versions.node})`);
  }
  seedRipgrepCache();

  log(`installing code-server@${CODE_SERVER_VERSION} into ${installDir} (about a minute)…`);
  mkdirSync(installDir, { recursive: true });
  // A package.json of its own keeps npm from walking up into the repo's.
  writeFileSync(
    path.join(installDir, 'package.json'),
    JSON.stringify({ name: 'code-server-cache', private: true }, null, 2) + '\n',
  );
  const started = Date.now();
  const result = spawnSync(
    'npm',
    ['install', `code-server@${CODE_SERVER_VERSION}`, '--unsafe-perm', '--no-audit', '--no-fund', '--no-save'],
    {
      cwd: installDir,
      stdio: 'inherit',
      // npm_config_yes lets node-pty's postinstall run `npx node-gyp` without a prompt.
      env: { ...process.env, npm_config_yes: 'true' },
    },
  );
  // The postinstall installs VS Code's own modules; without ripgrep, search and quick open break.
  const rgBinary = path.join(installDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  if (result.status !== 0 || !existsSync(executable) || !existsSync(rgBinary)) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${result.status}); see the output above`);
  }
  writeFileSync(marker, new Date().toISOString() + '\n');
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return executable;
}

// Allows `node scripts/vscode/ensureCodeServer.mjs` on its own (e.g. to warm a CI cache).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureCodeServer().then(
    (exe) => log(`ready: ${exe}`),
    (err) => {
      console.error(`[code-server] ${err.message}`);
      process.exit(1);
    },
  );
}
