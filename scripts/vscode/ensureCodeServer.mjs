// Installs code-server (the real VS Code 1.100 server + web workbench) into a
// gitignored cache on first use. See /work/shared/vscode-in-ci.md for why each
// step is needed on an offline machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM_PATH = '/usr/bin/chromium';

const installDir = path.join(repoRoot, '.vscode-test', 'code-server');
const marker = path.join(installDir, `.installed-${CODE_SERVER_VERSION}`);
const executable = path.join(installDir, 'node_modules', '.bin', 'code-server');

// @vscode/ripgrep inside code-server looks for this archive before downloading.
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function log(message) {
  console.log(`[code-server] ${message}`);
}

function which(cmd) {
  const result = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Throws with the apt command to run when a system tool the harness needs is missing. */
export function checkSystemTools() {
  const missing = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push(['chromium', CHROMIUM_PATH]);
  if (!which('rg')) missing.push(['ripgrep', 'rg']);
  if (missing.length) {
    const pkgs = missing.map(([pkg]) => pkg).join(' ');
    throw new Error(
      `missing ${missing.map(([, what]) => what).join(', ')}; install with: ` +
        `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${pkgs}`,
    );
  }
}

/** The kerberos header is needed only to build code-server's native modules. */
function checkBuildTools() {
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/gssapi.h')) {
    throw new Error('missing gssapi.h (needed to build code-server); install with: apt-get install -y libkrb5-dev');
  }
}

function seedRipgrepCache() {
  const cacheDir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  const archive = path.join(cacheDir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const rgDir = path.dirname(which('rg'));
  const result = spawnSync('tar', ['-czf', archive, '-C', rgDir, 'rg'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`could not create ${archive}`);
  log(`seeded ripgrep cache from ${rgDir}/rg`);
}

/** Returns the code-server executable, installing it first if needed. */
export async function ensureCodeServer() {
  checkSystemTools();
  if (existsSync(marker) && existsSync(executable)) return executable;

  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node 20 (this is Node ${process.versions.node})`);
  }
  checkBuildTools();
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
