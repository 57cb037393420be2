import * as vscode from 'vscode';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import type { TaskStore } from '../taskStore';
import { TaskDragAndDrop } from './taskDragAndDrop';
import { describeFilter, type TaskFilter } from './taskFilter';
import { plural } from '../../../shared/text';
import type { TaskTreeNode } from './taskNodes';
import { TaskTreeProvider, type GroupBy } from './taskTree';

/** Remembers the toolbar's grouping per workspace without writing the user's settings file. */
const GROUP_BY_STATE_KEY = 'contracts.tasks.groupBy';

/**
 * The `contracts.tasks` view around the tree: its message, badge, context keys,
 * grouping and filter state, and following the cursor in board files.
 */
export class TasksView implements vscode.Disposable {
  readonly provider: TaskTreeProvider;
  readonly treeView: vscode.TreeView<TaskTreeNode>;
  readonly dragAndDrop: TaskDragAndDrop;
  private lastRevealedKey: string | undefined;
  private revealing: Promise<unknown> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly store: TaskStore,
  ) {
    this.provider = new TaskTreeProvider(store, { groupBy: this.savedGroupBy(), showEmptyGroups: ctx.config.tasksShowEmptyGroups });
    this.dragAndDrop = new TaskDragAndDrop(store, this.provider);
    this.treeView = vscode.window.createTreeView('contracts.tasks', {
      treeDataProvider: this.provider,
      showCollapseAll: true,
      canSelectMany: true,
      dragAndDropController: this.dragAndDrop,
    });
    this.disposables.push(
      this.provider,
      this.treeView,
      this.provider.onDidChangeLayout(() => this.updateChrome()),
      store.onDidChange(() => this.updateChrome()),
      vscode.workspace.onDidChangeConfiguration((event) => this.configurationChanged(event)),
      vscode.window.onDidChangeTextEditorSelection((event) => this.followCursor(event.textEditor, event.selections[0]?.active)),
      this.treeView.onDidChangeVisibility(({ visible }) => {
        const editor = vscode.window.activeTextEditor;
        if (visible && editor) this.followCursor(editor, editor.selection.active);
      }),
    );
    void vscode.commands.executeCommand('setContext', 'contracts.groupBy', this.provider.groupBy);
    void vscode.commands.executeCommand('setContext', 'contracts.tasksFiltered', false);
    this.updateChrome();
  }

  /** The first task among the selected rows. */
  selectedTask(): TaskSummary | undefined {
    for (const node of this.treeView.selection) {
      if (node.kind === 'task') return node.task;
      if (node.kind === 'check') return node.parent.task;
    }
    return undefined;
  }

  async setGroupBy(mode: GroupBy): Promise<void> {
    await this.ctx.extension.workspaceState.update(GROUP_BY_STATE_KEY, mode);
    await vscode.commands.executeCommand('setContext', 'contracts.groupBy', mode);
    this.provider.setGroupBy(mode);
  }

  async setFilter(filter: TaskFilter | undefined): Promise<void> {
    this.provider.setFilter(filter);
    await vscode.commands.executeCommand('setContext', 'contracts.tasksFiltered', filter !== undefined);
    this.updateChrome();
  }

  private savedGroupBy(): GroupBy {
    return this.ctx.extension.workspaceState.get<GroupBy>(GROUP_BY_STATE_KEY) ?? this.ctx.config.tasksGroupBy;
  }

  private configurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (event.affectsConfiguration('contracts.tasks.showEmptyGroups')) this.provider.setShowEmptyGroups(this.ctx.config.tasksShowEmptyGroups);
    // Editing the setting is an explicit choice: it replaces the toolbar's remembered one.
    if (event.affectsConfiguration('contracts.tasks.groupBy')) {
      void this.ctx.extension.workspaceState.update(GROUP_BY_STATE_KEY, undefined);
      void vscode.commands.executeCommand('setContext', 'contracts.groupBy', this.ctx.config.tasksGroupBy);
      this.provider.setGroupBy(this.ctx.config.tasksGroupBy);
    }
  }

  /** The message above the tree, and the badge of contracts waiting for review. */
  private updateChrome(): void {
    const message = this.message();
    if ((this.treeView.message ?? '') !== message) this.treeView.message = message;
    const delivered = this.store.tasks().filter((task) => task.status === 'delivered').length;
    this.treeView.badge = delivered ? { value: delivered, tooltip: `${plural(delivered, 'contract')} delivered, waiting for review` } : undefined;
  }

  private message(): string {
    const state = this.store.serverState;
    if (state === 'stopped') return 'The Contracts language server is not running, so tasks are not shown. Run "Contracts: Restart Language Server" if it does not come back.';
    if (state === 'starting') return 'Loading tasks…';
    const parts: string[] = [];
    const filter = this.provider.filter;
    if (filter) parts.push(describeFilter(filter) + (this.provider.visibleCount === 0 ? ' (no task matches)' : ''));
    if (!this.store.indexed) parts.push('Scanning the workspace…');
    return parts.join(' · ');
  }

  /** Selects the task under the cursor, without taking focus from the editor. */
  private followCursor(editor: vscode.TextEditor, position: vscode.Position | undefined): void {
    if (!this.treeView.visible || !position) return;
    const task = this.store.taskAt(editor.document.uri, position);
    const key = task && this.store.keyOf(task);
    const row = key ? this.provider.nodeFor(key) : undefined;
    if (!row || (key === this.lastRevealedKey && this.treeView.selection.includes(row))) return;
    this.lastRevealedKey = key;
    // One reveal at a time, and only the latest: a slow one must not win over a newer cursor move.
    this.revealing = this.revealing
      .then(() => (this.lastRevealedKey === key ? this.treeView.reveal(row, { select: true, focus: false }) : undefined))
      .then(undefined, (error: unknown) => this.ctx.log.debug(`Revealing ${key}: ${String(error)}`));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
