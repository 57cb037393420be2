import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { isObject, pickTask, storedTask, taskArgument } from '../taskTarget';
import { TaskStore } from '../taskStore';
import { starterBoard } from '../views/starterBoard';
import { STATUS_LABELS, groupKeyOf } from '../views/statuses';
import type { TaskFilter, TaskFilterKind } from '../views/taskFilter';
import { viewsOf } from '../views';
import { toVscodeRange } from '../ranges';

/** Commands of the Tasks and Deployments views. */

function requireViews(ctx: Ctx) {
  const views = viewsOf(ctx);
  if (!views) throw new Error('the Contracts views are not ready yet');
  return views;
}

/** `contracts.filterTasks`: pick a kind, then a value. Takes a `{ kind, value }` argument too (tests, keybindings). */
export function filterTasks(ctx: Ctx) {
  return async (arg?: unknown): Promise<TaskFilter | undefined> => {
    const views = requireViews(ctx);
    const filter = isFilter(arg) ? arg : await askFilter(views.store, views.tasks.provider.filter);
    if (!filter) return undefined;
    await views.tasks.setFilter(filter);
    return filter;
  };
}

export function clearTaskFilter(ctx: Ctx) {
  return () => requireViews(ctx).tasks.setFilter(undefined);
}

export function groupByBoard(ctx: Ctx) {
  return () => requireViews(ctx).tasks.setGroupBy('board');
}

export function groupByStatus(ctx: Ctx) {
  return () => requireViews(ctx).tasks.setGroupBy('status');
}

export function refreshTasks(ctx: Ctx) {
  return async () => {
    if (!ctx.client) {
      void vscode.window.showWarningMessage('The Contracts language server is not running. Run "Contracts: Restart Language Server".');
      return;
    }
    await TaskStore.of(ctx).refresh();
    viewsOf(ctx)?.tasks.provider.refreshAll();
  };
}

/**
 * `contracts.openTask`: opens the task's file with its id selected. Takes a tree
 * row `{ task }`, a lens argument `{ uri, taskId }`, or nothing (the selected
 * row, else a quick pick).
 */
export function openTask(ctx: Ctx) {
  return async (arg?: unknown): Promise<vscode.TextEditor | undefined> => {
    const argument = taskArgument(arg);
    // A row may be a refresh behind: the store's copy first.
    const task =
      (argument && (storedTask(TaskStore.of(ctx), argument) ?? argument.row)) ??
      viewsOf(ctx)?.tasks.selectedTask() ??
      (await pickTask(ctx, { title: 'Open Task', accept: () => true, none: 'No tasks found in this workspace', detail: (t) => [STATUS_LABELS[groupKeyOf(t)], t.assignee, t.boardTitle].filter(Boolean).join(' · ') }));
    if (!task) return undefined;
    const selection = toVscodeRange(task.idRange);
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(task.uri), { selection });
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
  };
}

/** `contracts.openDeployment`: a Deployments row `{ deployment }` or a uri. */
export function openDeployment() {
  return async (arg?: unknown): Promise<vscode.TextEditor | undefined> => {
    const uri = deploymentUri(arg);
    if (!uri) return undefined;
    return vscode.window.showTextDocument(uri);
  };
}

const BOARD_NAMES = ['brainfile.md', '.brainfile.md', '.brainfile/brainfile.md'];

/**
 * `contracts.createBoard`: writes a starter `brainfile.md` at the root of a
 * workspace folder (or the folder uri passed in) and opens it. Never
 * overwrites: a folder that has a board gets it opened instead.
 */
export function createBoard(ctx: Ctx) {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const folder = arg instanceof vscode.Uri ? arg : await pickFolder();
    if (!folder) return undefined;
    for (const name of BOARD_NAMES) {
      const existing = vscode.Uri.joinPath(folder, name);
      if (await exists(existing)) {
        void vscode.window.showWarningMessage(`${path.posix.basename(folder.path)} already has a board (${name}); it was not overwritten.`, 'Open It').then((choice) => {
          if (choice) void vscode.window.showTextDocument(existing);
        });
        return undefined;
      }
    }
    const target = vscode.Uri.joinPath(folder, 'brainfile.md');
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(starterBoard(path.posix.basename(folder.path))));
    ctx.log.info(`Created ${target.fsPath}.`);
    await vscode.window.showTextDocument(target);
    return target;
  };
}

// ---- helpers ----------------------------------------------------------------

function isFilter(value: unknown): value is TaskFilter {
  return isObject(value) && ['assignee', 'priority', 'text'].includes(value.kind as string) && typeof value.value === 'string';
}

async function askFilter(store: TaskStore, current: TaskFilter | undefined): Promise<TaskFilter | undefined> {
  const kinds: Array<vscode.QuickPickItem & { filterKind: TaskFilterKind }> = [
    { label: 'By assignee…', filterKind: 'assignee' },
    { label: 'By priority…', filterKind: 'priority' },
    { label: 'By text…', filterKind: 'text', description: 'id, title, deliverables, commands, constraints' },
  ];
  const picked = await vscode.window.showQuickPick(kinds, { title: 'Filter Tasks', placeHolder: current ? `Now: ${current.kind} = ${current.value}` : 'Filter the Tasks view' });
  if (!picked) return undefined;
  if (picked.filterKind === 'text') {
    const value = await vscode.window.showInputBox({
      title: 'Filter Tasks by Text',
      prompt: 'Tasks whose id, title, assignee, deliverables, commands or constraints contain this text',
      value: current?.kind === 'text' ? current.value : '',
    });
    return value?.trim() ? { kind: 'text', value: value.trim() } : undefined;
  }
  const field = picked.filterKind;
  const counts = new Map<string, number>();
  for (const task of store.tasks()) counts.set(task[field] ?? '', (counts.get(task[field] ?? '') ?? 0) + 1);
  const order = field === 'priority' ? ['critical', 'high', 'medium', 'low'] : [];
  const values = [...counts.keys()].sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
  const choice = await vscode.window.showQuickPick(
    values.map((value) => ({ label: value || `(no ${field})`, description: `${counts.get(value)} task${counts.get(value) === 1 ? '' : 's'}`, value })),
    { title: `Filter Tasks by ${field === 'assignee' ? 'Assignee' : 'Priority'}`, placeHolder: `Pick ${field === 'assignee' ? 'an assignee' : 'a priority'}` },
  );
  return choice ? { kind: field, value: choice.value } : undefined;
}

/** Known values first in their order, the rest (and "not set") after. */
function rank(order: string[], value: string): number {
  const index = order.indexOf(value);
  return index === -1 ? order.length + (value ? 0 : 1) : index;
}

function deploymentUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  if (isObject(arg) && isObject(arg.deployment) && typeof arg.deployment.uri === 'string') return vscode.Uri.parse(arg.deployment.uri);
  return undefined;
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) {
    void vscode.window.showWarningMessage('Open a folder first: the board is created at the root of a workspace folder.');
    return undefined;
  }
  if (folders.length === 1) return folders[0].uri;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Where should the board go?' }))?.uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
