// Starts and stops one code-server instance with fresh user-data and extensions
// dirs, so every suite starts from the same clean workbench.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer } from './ensureCodeServer.mjs';

const STARTUP_TIMEOUT_MS = 60_000;

/** Settings that keep welcome pages, tips, update checks and trust prompts out of the way. */
function defaultSettings(trust) {
  return {
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    // code-server saves after a second by default; tests of unsaved buffers need VS Code's desktop default.
    'files.autoSave': 'off',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.enabled': false,
    // With trust disabled every folder is trusted; untrusted runs need it on, but without prompts.
    'security.workspace.trust.enabled': !trust,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'security.workspace.trust.untrustedFiles': 'open',
    'chat.commandCenter.enabled': false,
    'window.commandCenter': false,
  };
}

/** Writes the quiet default settings into `<userDataDir>/User/settings.json`. */
export function writeDefaultSettings(userDataDir, trust) {
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(defaultSettings(trust), null, 2));
}

/** Resolves to `preferred` when it is free on 127.0.0.1, else to any free port. */
export function findFreePort(preferred = 0) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err) => {
      if (preferred !== 0) resolve(findFreePort(0));
      else reject(err);
    });
    server.listen(preferred, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.setTimeout(2000, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

// Every server this process started, so an exit or Ctrl+C never leaves one behind.
const running = new Set();
let exitHooksInstalled = false;

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const server of running) server.killNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      console.log(`\n[code-server] ${signal}: stopping ${running.size} server(s)…`);
      await Promise.all([...running].map((server) => server.stop()));
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * Installs packaged extensions into `extensionsDir` with code-server's own CLI.
 * Runs before the server starts, since the server reads the dir at startup.
 */
export async function installExtensions({ vsixFiles, extensionsDir, userDataDir }) {
  const executable = await ensureCodeServer();
  for (const vsix of vsixFiles) {
    const result = spawnSync(
      executable,
      ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix],
      { encoding: 'utf8', env: cleanEnv({}), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (result.status !== 0) {
      throw new Error(`code-server --install-extension ${vsix} failed:\n${result.stdout}${result.stderr}`);
    }
  }
}

function cleanEnv(extra) {
  const env = { ...process.env, ...extra };
  // Inside a VS Code / code-server terminal these make code-server hand the
  // folder to the outer instance instead of starting a new one.
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.VSCODE_PROXY_URI;
  return env;
}

/**
 * Starts code-server on a loopback port and resolves once it answers HTTP.
 * @param {object} options
 * @param {string} options.workspace folder to open
 * @param {Record<string,string>} [options.env] extra environment (reaches the extension host)
 * @param {boolean} options.trust true: `--disable-workspace-trust`; false: the folder opens untrusted
 * @param {string} [options.extensionsDir] default: a fresh temp dir
 * @param {string} [options.userDataDir] default: a fresh temp dir
 * @param {string[]} [options.vsixFiles] packaged extensions to install first
 * @param {number} [options.port] preferred port; another free one is used when it is taken
 * @param {string} [options.logFile] where code-server's output goes (default: inside the temp dir)
 * @returns {Promise<{url: string, port: number, pid: number, userDataDir: string, extensionsDir: string,
 *   logFile: string, stop(): Promise<void>, exited: Promise<void>}>} `exited` settles when the server ends, stopped or not
 */
export async function startCodeServer({
  workspace,
  env = {},
  trust,
  extensionsDir,
  userDataDir,
  vsixFiles = [],
  port: preferredPort = 0,
  logFile,
}) {
  if (typeof trust !== 'boolean') throw new Error('startCodeServer: pass trust: true or false');
  const executable = await ensureCodeServer();
  installExitHooks();

  const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'contracts-code-server-'));
  userDataDir ??= path.join(tempRoot, 'user-data');
  extensionsDir ??= path.join(tempRoot, 'extensions');
  logFile ??= path.join(tempRoot, 'code-server.log');
  writeDefaultSettings(userDataDir, trust);
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(path.dirname(logFile), { recursive: true });
  // An empty config keeps ~/.config/code-server/config.yaml (maybe with a password) out of it.
  const configFile = path.join(tempRoot, 'config.yaml');
  writeFileSync(configFile, '');

  if (vsixFiles.length) {
    await installExtensions({ vsixFiles, extensionsDir, userDataDir }).catch((err) => {
      rmSync(tempRoot, { recursive: true, force: true });
      throw err;
    });
  }

  const port = await findFreePort(preferredPort);
  const args = [
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? ['--disable-workspace-trust'] : []),
    workspace,
  ];
  // Detached: the server gets its own process group, so stop() reaches its children too.
  const child = spawn(executable, args, {
    detached: true,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  const recent = [];
  const remember = (chunk) => {
    log.write(chunk);
    recent.push(...chunk.toString().split('\n').filter(Boolean));
    recent.splice(0, Math.max(0, recent.length - 30));
  };
  child.stdout.on('data', remember);
  child.stderr.on('data', remember);

  let exited = false;
  const exitedPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = true;
    resolve({ code, signal });
  }));

  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const handle = {
    killNow: () => killGroup('SIGKILL'),
    stop: () => stop(),
  };
  running.add(handle);

  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      if (!exited) killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(timer);
      // The process group may outlive the leader for a moment (extension host, pty host).
      killGroup('SIGKILL');
      running.delete(handle);
      log.end();
      rmSync(tempRoot, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopped;
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(url, exitedPromise, () => exited);
  } catch (err) {
    const output = recent.join('\n');
    await stop();
    throw new Error(`${err.message}\n--- code-server output (last lines) ---\n${output}`);
  }
  const exitedPublic = exitedPromise.then(() => undefined);
  return { url, port, pid: child.pid, userDataDir, extensionsDir, logFile, stop, exited: exitedPublic };
}

async function waitForServer(url, exitedPromise, hasExited) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`code-server did not answer at ${url} within ${STARTUP_TIMEOUT_MS / 1000} s`)),
      STARTUP_TIMEOUT_MS,
    );
  });
  const died = exitedPromise.then(({ code, signal }) => {
    throw new Error(`code-server exited during startup (code ${code}, signal ${signal})`);
  });
  died.catch(() => {}); // Only an error while we wait; a later stop() is expected.
  // Polling /healthz is the only readiness signal code-server gives; each try is short.
  const poll = (async () => {
    while (!hasExited() && Date.now() < deadline) {
      if (await httpOk(`${url}/healthz`)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    await Promise.race([poll, timeout, died]);
  } finally {
    clearTimeout(timer);
  }
  if (hasExited()) await died;
}
