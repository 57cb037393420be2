import * as vscode from 'vscode';
import type { TaskStore } from './taskStore';

/**
 * `$(checklist) 2 in progress · 1 delivered`: the work under way and waiting
 * for review, one click from the Tasks view. Hidden when there is no board.
 */
export class TaskStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('contracts.tasks', vscode.StatusBarAlignment.Left, 50);
  private readonly listener: vscode.Disposable;
  /** A stopped server hides the tasks; the item stays only if there were some. */
  private hadTasks = false;

  constructor(private readonly store: TaskStore) {
    this.item.name = 'Contract Tasks';
    this.item.command = { command: 'contracts.tasks.focus', title: 'Show the Tasks view' };
    this.listener = store.onDidChange(() => this.update());
    this.update();
  }

  /** The text shown now, for tests. */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const tasks = this.store.tasks();
    if (this.store.serverState === 'stopped' && this.hadTasks) {
      this.item.text = '$(checklist) $(warning)';
      this.item.tooltip = 'The Contracts language server is not running.';
      this.item.accessibilityInformation = { label: 'Contract tasks: the language server is not running' };
      this.item.show();
      return;
    }
    this.hadTasks = tasks.length > 0;
    if (!tasks.length) {
      this.item.hide();
      return;
    }
    const count = (status: string) => tasks.filter((task) => task.status === status).length;
    const inProgress = count('in_progress');
    const delivered = count('delivered');
    this.item.text = `$(checklist) ${inProgress} in progress · ${delivered} delivered`;
    const lines = [
      `${inProgress} contract${inProgress === 1 ? '' : 's'} in progress`,
      `${delivered} delivered, waiting for review`,
      `${count('ready')} ready to claim`,
      `${count('failed')} failed`,
      '',
      'Click to show the Tasks view.',
    ];
    this.item.tooltip = lines.join('\n');
    this.item.accessibilityInformation = { label: `Contract tasks: ${inProgress} in progress, ${delivered} delivered. Show the Tasks view.` };
    this.item.show();
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}
