import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { readConfig, serverSettings, type ContractsConfig } from './config';
import { createLanguageClient, RestartPolicy } from './languageClient';

/**
 * Everything the extension's parts share: the log, the settings, the language
 * client and its lifetime. Built once in `activate`.
 */
export class Ctx {
  readonly log: vscode.LogOutputChannel;
  config: ContractsConfig;
  private languageClient: LanguageClient | undefined;
  private readonly restartPolicy: RestartPolicy;
  /** Disposed when the client stops or restarts. */
  private clientDisposables: vscode.Disposable[] = [];
  private readonly clientStartedEmitter = new vscode.EventEmitter<LanguageClient>();
  readonly onClientStarted = this.clientStartedEmitter.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Contracts', { log: true });
    this.config = readConfig();
    this.restartPolicy = new RestartPolicy(
      this.log,
      (delayMs) => this.restartAfter(delayMs),
      () => void vscode.window.showErrorMessage('Contract Workbench: the language server keeps stopping, so it was not restarted. See the "Contracts" output.'),
    );
    this.pushExtCleanup(this.log, this.clientStartedEmitter);
    this.pushExtCleanup(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('contracts')) return;
        this.config = readConfig();
        void this.languageClient?.setTrace(traceValue(this.config.traceServer));
      }),
    );
  }

  /** The client whether or not it runs right now (it may be restarting). */
  get clientInstance(): LanguageClient | undefined {
    return this.languageClient;
  }

  get client(): LanguageClient | undefined {
    return this.languageClient?.isRunning() ? this.languageClient : undefined;
  }

  pushExtCleanup(...disposables: vscode.Disposable[]): void {
    this.extension.subscriptions.push(...disposables);
  }

  pushClientCleanup(...disposables: vscode.Disposable[]): void {
    this.clientDisposables.push(...disposables);
  }

  async start(): Promise<LanguageClient> {
    if (this.languageClient) return this.languageClient;
    const started = Date.now();
    const client = createLanguageClient(this.extension, this.config, this.log, this.restartPolicy);
    this.languageClient = client;
    await client.start();
    await client.setTrace(traceValue(this.config.traceServer));
    this.log.info(`Language server started in ${Date.now() - started} ms.`);
    this.clientStartedEmitter.fire(client);
    return client;
  }

  /** Starts the stopped client again after a crash, once the back-off has passed. */
  private restartAfter(delayMs: number): void {
    const timer = setTimeout(() => {
      const client = this.languageClient;
      if (!client || client.isRunning()) return;
      client.start().then(
        () => {
          this.log.info('Language server restarted.');
          // Listeners are added again by onClientStarted subscribers; drop the old ones.
          this.clientDisposables.forEach((d) => d.dispose());
          this.clientDisposables = [];
          this.clientStartedEmitter.fire(client);
        },
        (error: unknown) => this.log.error(`Restarting the language server failed: ${String(error)}`),
      );
    }, delayMs);
    this.pushExtCleanup({ dispose: () => clearTimeout(timer) });
  }

  async stop(): Promise<void> {
    const client = this.languageClient;
    this.languageClient = undefined;
    this.clientDisposables.forEach((d) => d.dispose());
    this.clientDisposables = [];
    if (client) await client.stop().catch((error: unknown) => this.log.warn(`Stopping the language server: ${String(error)}`));
  }

  async restart(): Promise<void> {
    this.restartPolicy.reset();
    await this.stop();
    await this.start();
  }

  serverSettings(): Record<string, unknown> {
    return serverSettings(this.config);
  }
}

function traceValue(trace: ContractsConfig['traceServer']): 0 | 1 | 2 {
  return trace === 'verbose' ? 2 : trace === 'messages' ? 1 : 0;
}
