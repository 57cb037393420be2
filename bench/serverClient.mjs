// The benchmark's LSP client for our server, started as VS Code starts it
// (client/src/languageClient.ts): `fork` of dist/server.js with the client's
// execArgv, over the Node IPC channel, so the memory figures are those of a
// real session.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { createProtocolConnection, IPCMessageReader, IPCMessageWriter } = require('vscode-languageserver-protocol/node');

/** The flags the extension gives the server's Node process: `SERVER_EXEC_ARGV` in client/src/languageClient.ts. */
export function serverExecArgv() {
  const source = readFileSync(path.join(root, 'client', 'src', 'languageClient.ts'), 'utf8');
  const match = /export const SERVER_EXEC_ARGV[^=]*=\s*(\[[^\]]*\])/.exec(source);
  if (!match) throw new Error('SERVER_EXEC_ARGV not found in client/src/languageClient.ts: the bench could not start the server as the client does');
  return JSON.parse(match[1].replace(/'/g, '"').replace(/,\s*\]/, ']'));
}

export const fileUri = (file) => pathToFileURL(file).href;

export class ServerClient {
  constructor(execArgv = serverExecArgv()) {
    this.execArgv = execArgv;
    this.process = fork(path.join(root, 'dist', 'server.js'), ['--node-ipc', `--clientProcessId=${process.pid}`], { execArgv, silent: true, cwd: root });
    this.process.stdout.resume();
    this.process.stderr.resume();
    this.pid = this.process.pid;
    this.connection = createProtocolConnection(new IPCMessageReader(this.process), new IPCMessageWriter(this.process));
    this.waiters = [];
    this.latest = new Map();
    this.versions = new Map();
    this.connection.onNotification('textDocument/publishDiagnostics', (params) => {
      this.latest.set(params.uri, params);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const waiter = this.waiters[i];
        if (waiter.uri === params.uri && waiter.version === params.version) {
          this.waiters.splice(i, 1);
          waiter.resolve(params);
        }
      }
    });
    for (const method of ['contracts/didChangeTasks', 'window/logMessage', 'window/showMessage']) this.connection.onNotification(method, () => undefined);
    this.connection.onRequest('workspace/configuration', () => [{}]);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  async initialize(folder) {
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
        workspace: { workspaceFolders: true, configuration: true },
      },
      initializationOptions: { settings: {} },
    });
    await this.connection.sendNotification('initialized', {});
  }

  waitForDiagnostics(uri, version, timeoutMs = 120000) {
    const known = this.latest.get(uri);
    if (known?.version === version) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  open(uri, text) {
    this.versions.set(uri, 1);
    const waiting = this.waitForDiagnostics(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
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
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.process.kill();
  }
}
