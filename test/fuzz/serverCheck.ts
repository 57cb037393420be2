import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Range } from 'vscode-languageserver';
import { LineIndex } from '../../server/src/engine/text';
import { fileUri, LspTestClient } from '../protocol/lspClient';
import { lspRangeProblem, type Failure } from './checks';
import type { SeedDocument } from './corpus';

/** The longest a request or a diagnostics notification may take. */
export const ANSWER_BUDGET_MS = 2000;

class TimeoutError extends Error {}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} not answered within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One long-lived `dist/server.js` over stdio, on a temporary workspace that
 * holds the seed documents. Each case replaces a document's text (didOpen the
 * first time, then a full didChange) and asks for diagnostics, completion,
 * hover and symbols. A server that dies is restarted for the next case.
 */
export class ServerDriver {
  private client?: LspTestClient;
  private readonly workspace: string;
  private readonly versions = new Map<string, number>();
  private logCount = 0;

  constructor(seeds: SeedDocument[]) {
    this.workspace = mkdtempSync(path.join(tmpdir(), 'contracts-fuzz-'));
    for (const seed of seeds) {
      const file = path.join(this.workspace, seed.relativePath);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, seed.text);
    }
  }

  uriOf(relativePath: string): string {
    return fileUri(path.join(this.workspace, relativePath));
  }

  private async ensureStarted(): Promise<LspTestClient> {
    if (this.client && this.client.exited === undefined && !this.killed.has(this.client)) return this.client;
    if (this.client) this.kill(this.client);
    this.client = new LspTestClient();
    this.versions.clear();
    this.logCount = 0;
    await within(this.client.initialize(this.workspace, { diagnosticsDelayMs: 0 }), 10_000, 'initialize');
    return this.client;
  }

  async check(relativePath: string, text: string, probes: number[]): Promise<Failure | undefined> {
    const client = await this.ensureStarted();
    const uri = this.uriOf(relativePath);
    const lines = new LineIndex(text);
    try {
      const version = this.versions.has(uri) ? this.versions.get(uri)! + 1 : 1;
      this.versions.set(uri, version);
      const published = version === 1 ? client.open(uri, text) : client.change(uri, [{ text }]);
      const { diagnostics } = await within(published, ANSWER_BUDGET_MS, `diagnostics for version ${version}`);
      for (const d of diagnostics) {
        const bad = lspRangeProblem(d.range as Range, lines, `diagnostic ${String(d.code)}`);
        if (bad) return { kind: 'bad-range', where: 'server diagnostics', message: bad };
      }
      const textDocument = { uri };
      const requests: Array<[string, unknown]> = [['textDocument/documentSymbol', { textDocument }]];
      for (const offset of probes) {
        const position = lines.positionAt(offset);
        requests.push(['textDocument/completion', { textDocument, position }], ['textDocument/hover', { textDocument, position }]);
      }
      await Promise.all(requests.map(([method, params]) => within(client.request(method, params), ANSWER_BUDGET_MS, method)));
    } catch (error) {
      if (client.exited !== undefined) return this.exited(client);
      if (error instanceof TimeoutError) {
        // A busy server would fail the next cases too: start afresh.
        this.kill(client);
        return { kind: 'timeout', where: 'server', message: error.message };
      }
      return { kind: 'exception', where: 'server', message: error instanceof Error ? error.message : String(error) };
    }
    if (client.exited !== undefined) return this.exited(client);
    return this.loggedError(client);
  }

  private readonly killed = new WeakSet<LspTestClient>();

  /** Ends a server we started, by its pid, without waiting for a polite shutdown it may never answer. */
  private kill(client: LspTestClient): void {
    this.killed.add(client);
    client.connection.dispose();
    if (client.exited === undefined && client.pid !== undefined) {
      try {
        process.kill(client.pid);
      } catch {
        // already gone
      }
    }
  }

  private exited(client: LspTestClient): Failure {
    return { kind: 'server-exit', where: 'server', message: `the server exited with code ${client.exited}: ${client.stderr.join('').slice(-500)}` };
  }

  /** A handler that threw is answered with a default by `runSafe`, but it is still a bug: it logs "… failed:". */
  private loggedError(client: LspTestClient): Failure | undefined {
    const logs = client.notificationsOf('window/logMessage') as Array<{ type: number; message: string }>;
    const fresh = logs.slice(this.logCount);
    this.logCount = logs.length;
    const error = fresh.find((log) => log.type === 1);
    return error ? { kind: 'server-error', where: 'server', message: error.message.split('\n').slice(0, 2).join(' ') } : undefined;
  }

  async stop(): Promise<void> {
    if (this.client && !this.killed.has(this.client)) await this.client.stop();
    rmSync(this.workspace, { recursive: true, force: true });
  }
}
