// The benchmark's LSP clients: one base for the bookkeeping both servers share
// (diagnostics waiters, document versions, shutdown), and one subclass each for
// how a server is started. Ours is started as VS Code starts it
// (client/src/languageClient.ts): `fork` of dist/server.js with the client's
// execArgv over the Node IPC channel, so the memory figures are those of a real
// session. The peer, yaml-language-server, runs over stdio with our board schema.
import { fork, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { createProtocolConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');

/** The flags the extension gives the server's Node process: `SERVER_EXEC_ARGV` in client/src/languageClient.ts. */
export function serverExecArgv() {
  const source = readFileSync(path.join(root, 'client', 'src', 'languageClient.ts'), 'utf8');
  const match = /export const SERVER_EXEC_ARGV[^=]*=\s*(\[[^\]]*\])/.exec(source);
  if (!match) throw new Error('SERVER_EXEC_ARGV not found in client/src/languageClient.ts: the bench could not start the server as the client does');
  return JSON.parse(match[1].replace(/'/g, '"').replace(/,\s*\]/, ']'));
}

export const fileUri = (file) => pathToFileURL(file).href;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class BenchClient {
  /** @param {string} languageId the language of the documents it opens */
  constructor(process, connection, languageId) {
    this.process = process;
    this.pid = process.pid;
    this.connection = connection;
    this.languageId = languageId;
    this.waiters = [];
    this.latest = new Map();
    this.versions = new Map();
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      this.latest.set(params.uri, params);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const waiter = this.waiters[i];
        // yaml-language-server 1.x sends no version: take the first report after the change.
        if (waiter.uri === params.uri && (params.version === undefined || params.version === waiter.version)) {
          this.waiters.splice(i, 1);
          waiter.resolve(params);
        }
      }
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    for (const method of ['contracts/didChangeTasks', 'window/logMessage', 'window/showMessage']) connection.onNotification(method, () => undefined);
  }

  async initialize(folder, extra = {}) {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: fileUri(folder),
      workspaceFolders: [{ uri: fileUri(folder), name: path.basename(folder) }],
      capabilities: {
        textDocument: {
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] } },
        },
        workspace: { workspaceFolders: true, configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      },
      ...extra,
    });
    await this.connection.sendNotification('initialized', {});
  }

  waitForDiagnostics(uri, version, timeoutMs = 120000) {
    const known = this.latest.get(uri);
    if (known && known.version !== undefined && known.version === version) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.languageId} server: no diagnostics for ${uri} v${version}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  open(uri, text) {
    this.versions.set(uri, 1);
    const waiting = this.waitForDiagnostics(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: this.languageId, version: 1, text } });
    return waiting;
  }

  change(uri, changes) {
    const version = this.versions.get(uri) + 1;
    this.versions.set(uri, version);
    const waiting = this.waitForDiagnostics(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return waiting;
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  async stop() {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), sleep(2000)]);
      const exited = this.process.exitCode !== null ? Promise.resolve() : new Promise((resolve) => this.process.once('exit', resolve));
      await this.connection.sendNotification('exit');
      // Let it exit on its own first: a `--cpu-prof` profile is written at exit.
      await Promise.race([exited, sleep(5000)]);
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.process.kill();
  }
}

/** Our server, forked as the extension forks it. */
export class ServerClient extends BenchClient {
  /** `serverFile`: another build of the server (before/after comparisons). */
  constructor(execArgv = serverExecArgv(), serverFile = path.join(root, 'dist', 'server.js')) {
    const child = fork(serverFile, ['--node-ipc', `--clientProcessId=${process.pid}`], { execArgv, silent: true, cwd: root });
    // BENCH_SERVER_STDOUT: a file for what the server prints (`--trace-gc`).
    if (process.env.BENCH_SERVER_STDOUT) child.stdout.pipe(createWriteStream(process.env.BENCH_SERVER_STDOUT, { flags: 'a' }));
    else child.stdout.resume();
    child.stderr.resume();
    super(child, createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child)), 'markdown');
    this.execArgv = execArgv;
    this.connection.onRequest('workspace/configuration', () => [{}]);
    this.connection.listen();
  }

  /** `settings`: the `contracts.*` settings the client would send. */
  initialize(folder, settings = {}) {
    return super.initialize(folder, { initializationOptions: { settings } });
  }
}

/** The peer: yaml-language-server over stdio, told to check `*.yaml` against our board schema. */
export class PeerClient extends BenchClient {
  constructor() {
    const server = path.join(root, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    super(child, createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin)), 'yaml');
    const schemaUri = pathToFileURL(path.join(root, 'schemas', 'brainfile-board-v1.schema.json')).href;
    this.settings = { schemas: { [schemaUri]: '*.yaml' }, validate: true, completion: true, hover: true };
    this.connection.onRequest('workspace/configuration', (params) => params.items.map((item) => (item.section === 'yaml' ? this.settings : null)));
    this.connection.listen();
  }

  async initialize(folder) {
    await super.initialize(folder);
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: this.settings } });
  }
}
