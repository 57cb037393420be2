import type * as vscode from 'vscode';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { TaskStatusBar } from '../statusBar';
import { TaskStore } from '../taskStore';
import { DeploymentsView } from './deploymentsView';
import type { ValidationRowSource } from './taskNodes';
import { TasksView } from './tasksView';

/** The Contracts views and what they are built on. */
export interface Views {
  store: TaskStore;
  tasks: TasksView;
  deployments: DeploymentsView;
  statusBar: TaskStatusBar;
}

const registered = new WeakMap<Ctx, Views>();

/** Creates the Tasks and Deployments views and the status bar item; once per activation. */
export function registerViews(ctx: Ctx): Views {
  const existing = registered.get(ctx);
  if (existing) return existing;
  const store = TaskStore.of(ctx);
  const views: Views = {
    store,
    tasks: new TasksView(ctx, store),
    deployments: new DeploymentsView(store),
    statusBar: new TaskStatusBar(store),
  };
  ctx.pushExtCleanup(views.tasks, views.deployments, views.statusBar);
  registered.set(ctx, views);
  return views;
}

/** The views, once `registerViews` ran. */
export function viewsOf(ctx: Ctx): Views | undefined {
  return registered.get(ctx);
}

/** The task selected in the Tasks view, for commands run from the palette or a keybinding. */
export function selectedTask(ctx: Ctx): TaskSummary | undefined {
  return registered.get(ctx)?.tasks.selectedTask();
}

/** Lets the validation runner add rows under tasks and mark them as validating. */
export function setValidationRows(ctx: Ctx, source: ValidationRowSource): vscode.Disposable | undefined {
  return registered.get(ctx)?.tasks.provider.setValidationRows(source);
}

export type { CheckNode, TaskNode, TaskTreeNode, ValidationCheckRow, ValidationRowSource } from './taskNodes';
