import * as vscode from 'vscode';
import { AddTaskRequest, BoardRequest, MoveCardRequest, type BoardCard, type BoardResult } from '../../../shared/board';
import { findTransition } from '../../../shared/lifecycle';
import { CoalescedRun } from '../coalescedRun';
import type { Ctx } from '../context';
import { applyServerEdit, applyTransition, type TransitionOutcome } from '../lifecycle/applyTransition';
import { showRefusal } from '../lifecycle/report';
import { TaskStore } from '../taskStore';
import { ValidationResults } from '../validation/resultsStore';
import { boardHtml, webviewRoots } from './html';
import type { BoardState, CardAction, CardValidation, FromWebview, ToWebview } from './messages';
import { planMove } from './planMove';

/** The pickup brief of the agent tools, shared by the Tasks view and the board. */
const COPY_BRIEF_COMMAND = 'contracts.copyPickupBrief';

/** How long typing settles before the board asks the server again (the board follows within 0.5 s). */
const REFRESH_DELAY_MS = 30;

/**
 * One open board: asks the language server for its kanban, sends it to the
 * webview, and turns the webview's drops, new tasks and card actions into
 * the same guarded edits and commands the Tasks view uses.
 */
export class BoardController implements vscode.Disposable {
  private state: BoardState | undefined;
  /** The last board read without a syntax error: shown greyed while the text is broken. */
  private lastGood: BoardResult | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly fetches = new CoalescedRun(() => this.fetchOnce());
  private readonly disposables: vscode.Disposable[] = [];
  private readonly messages = new vscode.EventEmitter<FromWebview>();
  /** Every message from the webview (tests wait on `rendered` and `state`). */
  readonly onMessage = this.messages.event;
  private readonly results = new vscode.EventEmitter<{ ok: boolean; message: string }>();
  /** After each move or new task asked from the webview, with what it told the user. */
  readonly onResult = this.results.event;
  private readonly updated = new vscode.EventEmitter<BoardState>();
  /** After each board sent to the webview. */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
    /** The board file (the config for v2). */
    readonly boardUri: vscode.Uri,
  ) {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: webviewRoots(ctx.extension.extensionUri) };
    webview.html = boardHtml(webview, ctx.extension.extensionUri, panel.title);
    this.disposables.push(
      this.messages,
      this.results,
      this.updated,
      webview.onDidReceiveMessage((message: FromWebview) => {
        this.messages.fire(message);
        void this.handle(message).catch((error: unknown) => ctx.log.error(`Board: ${String(error)}`));
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length && this.concerns(event.document.uri)) this.scheduleRefresh();
      }),
      TaskStore.of(ctx).onDidChange(() => this.scheduleRefresh()),
      ValidationResults.of(ctx).onDidChange(() => this.scheduleRefresh()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('contracts.columnForStatus')) this.scheduleRefresh();
      }),
    );
  }

  get current(): BoardState | undefined {
    return this.state;
  }

  post(message: ToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  /** The board file, or a task file of a v2 board. */
  private concerns(uri: vscode.Uri): boolean {
    const text = uri.toString();
    if (text === this.boardUri.toString()) return true;
    if (this.state?.board.version !== 2) return false;
    const folder = this.boardUri.toString().replace(/[^/]+$/, '');
    return text.startsWith(`${folder}board/`);
  }

  scheduleRefresh(delay = REFRESH_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  /** Asks the server for the board and sends it; calls during a fetch coalesce into one more. */
  refresh(): Promise<void> {
    return this.fetches.run();
  }

  private async fetchOnce(): Promise<void> {
    const client = this.ctx.client;
    if (!client) return;
    let board: BoardResult;
    try {
      board = await client.sendRequest(BoardRequest, { uri: this.boardUri.toString() });
    } catch (error) {
      this.ctx.log.warn(`Reading the board failed: ${String(error)}`);
      return;
    }
    const syntaxError = board.syntaxError ? `Line ${board.syntaxError.line}: ${board.syntaxError.message}` : undefined;
    if (board.found && !board.syntaxError) this.lastGood = board;
    const shown = syntaxError && this.lastGood ? this.lastGood : board;
    this.state = {
      board: shown,
      stale: !!syntaxError && shown !== board,
      syntaxError,
      validation: this.validationOf(shown),
      columnForStatus: this.ctx.config.columnForStatus,
      canCopyBrief: (await vscode.commands.getCommands(true)).includes(COPY_BRIEF_COMMAND),
    };
    if (board.found) this.panel.title = board.title;
    await this.post({ type: 'board', state: this.state });
    this.updated.fire(this.state);
  }

  private validationOf(board: BoardResult): Record<string, CardValidation> {
    const results = ValidationResults.of(this.ctx);
    const validation: Record<string, CardValidation> = {};
    for (const card of allCards(board)) {
      const entry = results.get(card.uri, card.id);
      if (!entry) continue;
      const passed = entry.checks.filter((c) => c.state === 'pass').length;
      const state = entry.running ? 'running' : (entry.outcome ?? 'running');
      validation[card.id] = { state, detail: `${passed}/${entry.checks.length} checks passed${entry.dryRun ? ' (dry run)' : ''}` };
    }
    return validation;
  }

  // ---- messages from the webview --------------------------------------------

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.refresh();
      case 'move':
        return this.report(await this.move(message.taskId, message.toColumn, message.beforeTaskId));
      case 'add':
        return this.report(await this.addTask(message.column, message.title, message.withContract));
      case 'action':
        return this.action(message.action, message.taskId);
      case 'rendered':
        this.ctx.log.info(`Board ${this.panel.title}: ${message.cards} cards rendered in ${message.ms.toFixed(1)} ms (${message.domCards} in the DOM).`);
        return;
      default:
        return;
    }
  }

  private async report(outcome: { ok: boolean; message: string }): Promise<void> {
    await this.post({ type: 'result', ...outcome });
    this.results.fire(outcome);
    this.scheduleRefresh(0);
  }

  private card(taskId: string): BoardCard | undefined {
    return this.state ? allCards(this.state.board).find((c) => c.id === taskId) : undefined;
  }

  private titleOf(columnId: string): string {
    return this.state?.board.lanes.find((l) => l.id === columnId)?.title ?? columnId;
  }

  /** A card dropped on a column, before a card or at the end: a lifecycle move or a placement. */
  async move(taskId: string, toColumn: string, beforeTaskId?: string): Promise<{ ok: boolean; message: string }> {
    const state = this.state;
    const card = this.card(taskId);
    if (!state || !card) return { ok: false, message: `${taskId} is no longer on the board.` };
    if (state.stale) return this.refused(`The board's YAML has a syntax error (${state.syntaxError}); fix it before moving cards.`);
    const plan = planMove(card, state.board.version, toColumn, state.columnForStatus, (id) => this.titleOf(id));
    if (plan.kind === 'refused') return this.refused(plan.reason);
    let outcome: TransitionOutcome;
    if (plan.kind === 'transition') {
      const feedback = plan.transition.name === 'reject' ? await askFeedback(taskId) : undefined;
      if (feedback === null) return { ok: false, message: 'Cancelled.' };
      outcome = await applyTransition(this.ctx, { uri: card.uri, taskId, transition: plan.transition.name, expectedStatus: card.status, feedback, toColumn, beforeTaskId });
    } else {
      const v1 = state.board.version === 1;
      outcome = await applyServerEdit(this.ctx, { uri: vscode.Uri.parse(v1 ? state.board.uri : card.uri), label: taskId, action: 'move' }, (client, version) =>
        client.sendRequest(MoveCardRequest, {
          boardUri: state.board.uri,
          taskId,
          toColumn,
          beforeTaskId,
          expectedColumn: card.column,
          version: v1 ? version : undefined,
        }),
      );
    }
    if (!outcome.applied) return { ok: false, message: outcome.reason ?? `${taskId} was not moved.` };
    const what = plan.kind === 'transition' ? `${plan.transition.title}: ${taskId} is ${plan.transition.to}, in ${this.titleOf(toColumn)}` : `${taskId} moved to ${this.titleOf(toColumn)}`;
    return { ok: true, message: `${what}.` };
  }

  async addTask(column: string, title: string, withContract: boolean): Promise<{ ok: boolean; message: string }> {
    const state = this.state;
    if (!state) return { ok: false, message: 'The board is not loaded yet.' };
    return addTaskToBoard(this.ctx, state.board, column, title, withContract);
  }

  private refused(reason: string): { ok: boolean; message: string } {
    showRefusal(this.ctx, reason);
    return { ok: false, message: reason };
  }

  private async action(action: CardAction, taskId: string): Promise<void> {
    const card = this.card(taskId);
    if (!card) return;
    const target = { uri: card.uri, taskId: card.id, status: card.status };
    if (action === 'open') {
      await vscode.commands.executeCommand('contracts.openTask', target);
      return;
    }
    if (action === 'runValidation') {
      await vscode.commands.executeCommand('contracts.runValidation', target);
      return;
    }
    if (action === 'copyBrief') {
      await vscode.commands.executeCommand(COPY_BRIEF_COMMAND, target);
      return;
    }
    const command = action === 'addContract' ? 'contracts.addContract' : findTransition(action)?.command;
    if (!command) return;
    const outcome = (await vscode.commands.executeCommand(command, target)) as TransitionOutcome | undefined;
    if (outcome) await this.post({ type: 'result', ok: outcome.applied, message: outcome.applied ? `${taskId}: ${action} done.` : (outcome.reason ?? `${taskId}: ${action} not done.`) });
    this.scheduleRefresh(0);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Adds a task to `board` through the server's minimal edit; the message says what happened. */
export async function addTaskToBoard(ctx: Ctx, board: BoardResult, column: string, title: string, withContract: boolean): Promise<{ ok: boolean; message: string }> {
  let added: string | undefined;
  const outcome = await applyServerEdit(ctx, { uri: vscode.Uri.parse(board.uri), label: 'the new task', action: 'addTask' }, async (client, version) => {
    const result = await client.sendRequest(AddTaskRequest, { boardUri: board.uri, column, title, withContract, version: board.version === 1 ? version : undefined });
    added = result.id;
    return result;
  });
  if (!outcome.applied) return { ok: false, message: outcome.reason ?? 'The task was not added.' };
  const lane = board.lanes.find((l) => l.id === column)?.title ?? column;
  return { ok: true, message: `${added} added to ${lane}.` };
}

export function allCards(board: BoardResult): BoardCard[] {
  return [...board.lanes.flatMap((l) => l.cards), ...board.unplaced];
}

/** Reject needs to say what must change; null when the user cancels. */
async function askFeedback(taskId: string): Promise<string | null> {
  const text = await vscode.window.showInputBox({
    title: `Reject ${taskId}`,
    prompt: "What must change before this can be approved? Stored as the contract's feedback.",
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Say what must change.'),
  });
  return text === undefined ? null : text.trim();
}
