import * as vscode from 'vscode';
import { BoardRequest, type BoardResult } from '../../../shared/board';
import type { Ctx } from '../context';
import { TaskStore } from '../taskStore';
import { addTaskToBoard, BoardController } from './boardController';

export const BOARD_EDITOR_VIEW_TYPE = 'contracts.board';
const BOARD_PANEL_VIEW_TYPE = 'contracts.boardPanel';

const registries = new WeakMap<Ctx, BoardPanels>();

/**
 * The open boards, one per board file: a webview panel beside the text
 * ("Contracts: Open Board") or a custom editor ("Open With…" on brainfile.md).
 * Get it with `BoardPanels.of(ctx)`.
 */
export class BoardPanels implements vscode.CustomTextEditorProvider, vscode.Disposable {
  private readonly controllers = new Set<BoardController>();
  private readonly opened = new vscode.EventEmitter<BoardController>();
  /** Fires when a board opens (tests wait on it). */
  readonly onDidOpen = this.opened.event;

  static of(ctx: Ctx): BoardPanels {
    let panels = registries.get(ctx);
    if (!panels) {
      panels = new BoardPanels(ctx);
      registries.set(ctx, panels);
      ctx.pushExtCleanup(panels, vscode.window.registerCustomEditorProvider(BOARD_EDITOR_VIEW_TYPE, panels, { webviewOptions: { retainContextWhenHidden: true } }));
    }
    return panels;
  }

  private constructor(private readonly ctx: Ctx) {}

  /** Every open board (a board may be open as a panel and as an editor). */
  all(): BoardController[] {
    return [...this.controllers];
  }

  find(boardUri: vscode.Uri | string): BoardController | undefined {
    const key = boardUri.toString();
    return this.all().find((c) => c.boardUri.toString() === key);
  }

  /** Opens (or reveals) the board that `uri` belongs to, beside the active editor. */
  async open(uri: vscode.Uri): Promise<BoardController | undefined> {
    // Opened (not shown), so the server has the file even before its first workspace scan ends.
    await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined);
    const board = await this.askBoard(uri);
    if (!board) return undefined;
    const boardUri = vscode.Uri.parse(board.uri);
    const existing = this.all().find((c) => c.boardUri.toString() === boardUri.toString() && c.panel.viewType === BOARD_PANEL_VIEW_TYPE);
    if (existing) {
      existing.panel.reveal(undefined, false);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(BOARD_PANEL_VIEW_TYPE, board.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { retainContextWhenHidden: true, enableFindWidget: true });
    panel.iconPath = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'images', 'contracts.svg');
    return this.attach(panel, boardUri);
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    this.attach(panel, document.uri);
  }

  private attach(panel: vscode.WebviewPanel, boardUri: vscode.Uri): BoardController {
    const controller = new BoardController(this.ctx, panel, boardUri);
    this.controllers.add(controller);
    panel.onDidDispose(() => {
      this.controllers.delete(controller);
      controller.dispose();
    });
    this.opened.fire(controller);
    return controller;
  }

  /** The board `uri` belongs to, from the server; says why not when there is none. */
  async askBoard(uri: vscode.Uri): Promise<BoardResult | undefined> {
    const client = this.ctx.client;
    if (!client) {
      void vscode.window.showWarningMessage('The Contracts language server is not running; try again once it has started.');
      return undefined;
    }
    const board = await client.sendRequest(BoardRequest, { uri: uri.toString() });
    if (!board.found) {
      void vscode.window.showWarningMessage(board.reason ?? `${vscode.workspace.asRelativePath(uri)} is not a Brainfile board.`);
      return undefined;
    }
    return board;
  }

  dispose(): void {
    this.controllers.forEach((c) => c.dispose());
    this.controllers.clear();
    this.opened.dispose();
  }
}

/**
 * The board a command is about: the uri it was given (editor title), the
 * active editor's file when it belongs to a board, else the only board or
 * one the user picks.
 */
async function boardTarget(ctx: Ctx, arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  const boards = new Map<string, string>();
  for (const task of TaskStore.of(ctx).tasks()) boards.set(task.boardUri, task.boardTitle);
  if (active && [...TaskStore.of(ctx).tasks()].some((t) => t.uri === active.toString() || t.boardUri === active.toString())) return active;
  if (boards.size === 0) {
    if (active) return active;
    void vscode.window.showInformationMessage('No Brainfile board in this workspace yet. Create one with "Contracts: Create Board".');
    return undefined;
  }
  if (boards.size === 1) return vscode.Uri.parse([...boards.keys()][0]);
  const picked = await vscode.window.showQuickPick(
    [...boards].map(([uri, label]) => ({ label, description: vscode.workspace.asRelativePath(vscode.Uri.parse(uri)), uri })),
    { title, placeHolder: 'Which board?' },
  );
  return picked && vscode.Uri.parse(picked.uri);
}

/** `contracts.openBoard`: the board beside the text editor. */
export function openBoard(ctx: Ctx) {
  return async (arg?: unknown): Promise<BoardController | undefined> => {
    const uri = await boardTarget(ctx, arg, 'Open Board');
    return uri && BoardPanels.of(ctx).open(uri);
  };
}

/** `contracts.addTask`: a column, a title and "with a contract?", then the same edit as the board's "+". */
export function addTask(ctx: Ctx) {
  return async (arg?: unknown): Promise<{ ok: boolean; message: string } | undefined> => {
    const uri = await boardTarget(ctx, arg, 'Add Task');
    const board = uri && (await BoardPanels.of(ctx).askBoard(uri));
    if (!board) return undefined;
    const lane = await vscode.window.showQuickPick(
      board.lanes.map((l) => ({ label: l.title, description: `${l.cards.length} task${l.cards.length === 1 ? '' : 's'}`, id: l.id })),
      { title: `Add Task to ${board.title}`, placeHolder: 'Which column?' },
    );
    if (!lane) return undefined;
    const title = await vscode.window.showInputBox({ title: `Add Task to ${lane.label}`, prompt: 'The new task\'s title', validateInput: (v) => (v.trim() ? undefined : 'A task needs a title.') });
    if (!title) return undefined;
    const contract = await vscode.window.showQuickPick(
      [
        { label: 'With a contract', description: 'a skeleton contract to fill in', withContract: true },
        { label: 'Without a contract', withContract: false },
      ],
      { title: `Add Task: ${title}` },
    );
    if (!contract) return undefined;
    const result = await addTaskToBoard(ctx, board, lane.id, title, contract.withContract);
    if (result.ok) void vscode.window.showInformationMessage(result.message);
    return result;
  };
}
