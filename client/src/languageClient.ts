import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { serverSettings, type ContractsConfig } from './config';
import { DELETED_FOLDERS_GLOB, documentSelector, WATCHED_FILES_GLOB } from './documentSelector';

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;
const FIRST_BACKOFF_MS = 500;

/**
 * Restarts a crashed server with a back-off (0.5 s, 1 s, 2 s, …), at most 5
 * times in 3 minutes; logs why each time and tells the user once per window
 * instead of a pop-up per crash.
 */
export class RestartPolicy implements ErrorHandler {
  private readonly restarts: number[] = [];
  private toldUser = false;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly scheduleRestart: (delayMs: number) => void,
    private readonly onGiveUp: () => void,
  ) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.log.error(`Language server connection error (${count ?? 0}): ${error.message}`);
    return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    while (this.restarts.length && now - this.restarts[0] > RESTART_WINDOW_MS) this.restarts.shift();
    if (this.restarts.length >= MAX_RESTARTS) {
      this.log.error(`The language server stopped ${MAX_RESTARTS} times in 3 minutes; not restarting it. Run "Contracts: Restart Language Server" to try again.`);
      this.onGiveUp();
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const delay = FIRST_BACKOFF_MS * 2 ** this.restarts.length;
    this.restarts.push(now);
    this.log.warn(`The language server stopped unexpectedly; restarting it in ${delay} ms (${this.restarts.length} of ${MAX_RESTARTS} in 3 minutes).`);
    if (!this.toldUser) {
      this.toldUser = true;
      void vscode.window.showWarningMessage('Contract Workbench: the language server stopped unexpectedly and is being restarted. Details are in the "Contracts" output.');
    }
    // The client restarts at once when asked to; we wait first, so a crash loop cannot spin.
    this.scheduleRestart(delay);
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  /** A manual restart starts a fresh budget. */
  reset(): void {
    this.restarts.length = 0;
  }
}

/**
 * V8 flags of the server's Node process. `--optimize-for-size` makes V8 collect
 * garbage before the heap grows far past what is live: every edit of a big
 * board leaves its previous multi-MB text behind. With the 5,000-task board
 * open (3.8 MB) the server peaks at about 130 MB instead of 230 MB, for about
 * 10 ms more per edit (README, Performance). The benchmark reads this list to
 * start the server as the extension does.
 */
export const SERVER_EXEC_ARGV = ['--optimize-for-size'];

export function createLanguageClient(context: vscode.ExtensionContext, config: ContractsConfig, log: vscode.LogOutputChannel, policy: RestartPolicy): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6010'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(WATCHED_FILES_GLOB);
  // Deletions only: cheap, and the one event a removed board folder sends.
  const deletions = vscode.workspace.createFileSystemWatcher(DELETED_FOLDERS_GLOB, true, true, false);
  context.subscriptions.push(watcher, deletions);
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    synchronize: { configurationSection: 'contracts', fileEvents: [watcher, deletions] },
    initializationOptions: { settings: serverSettings(config) },
    outputChannel: log,
    traceOutputChannel: log,
    errorHandler: policy,
    // Our diagnostics are shown as they come; do not reveal the output on every log line.
    revealOutputChannelOn: 4 /* RevealOutputChannelOn.Never */,
  };
  return new LanguageClient('contracts', 'Contract Workbench', serverOptions, clientOptions);
}
