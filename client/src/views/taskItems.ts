import * as vscode from 'vscode';
import type { TaskSummary } from '../../../shared/protocol';
import { groupKeyOf, STATUS_LABELS, statusIcon } from './statuses';
import type { BoardGroupNode, StatusGroupNode, TaskNode } from './taskNodes';
import { plural } from '../../../shared/text';

/** Turns Tasks tree nodes into TreeItems; no state, no I/O. */

export interface TaskRowOptions {
  /** Under a board group the board name in the description is noise. */
  showBoard: boolean;
  validating: boolean;
  hasChecks: boolean;
}

export function boardGroupItem(node: BoardGroupNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.description = String(node.count);
  item.iconPath = new vscode.ThemeIcon('project');
  item.contextValue = 'boardGroup;';
  item.tooltip = `${node.title}\n${vscode.Uri.parse(node.boardUri).fsPath}\n${plural(node.count, 'task')}`;
  item.accessibilityInformation = { label: `Board ${node.title}, ${plural(node.count, 'task')}` };
  return item;
}

export function statusGroupItem(node: StatusGroupNode): vscode.TreeItem {
  const label = STATUS_LABELS[node.status];
  const state = node.count === 0 ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(label, state);
  item.id = node.id;
  item.description = String(node.count);
  item.iconPath = statusIcon(node.status);
  item.contextValue = `statusGroup;status=${node.status};`;
  item.tooltip = groupTooltip(node);
  item.accessibilityInformation = { label: `${label}, ${plural(node.count, 'task')}` };
  return item;
}

export function taskItem(node: TaskNode, options: TaskRowOptions): vscode.TreeItem {
  const { task } = node;
  const group = groupKeyOf(task);
  const state = options.hasChecks ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(`${task.id} ${task.title}`.trim(), state);
  item.id = node.id;
  const parts = [task.assignee, task.priority, options.showBoard ? task.boardTitle : undefined].filter((p): p is string => !!p);
  if (group === 'invalid') parts.unshift(task.invalidStatus ? `status "${task.invalidStatus}"` : 'no status');
  item.description = parts.join(' · ');
  item.iconPath = options.validating ? new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.yellow')) : statusIcon(group);
  item.tooltip = taskTooltip(task);
  // Menus match on this; `invalid` has no lifecycle commands (fix the status first).
  const status = group === 'none' ? 'none' : group;
  item.contextValue = `task;status=${status};v=${task.version};${options.validating ? 'validating;' : ''}`;
  const who = task.assignee ? `, assigned to ${task.assignee}` : '';
  const priority = task.priority ? `, ${task.priority} priority` : '';
  item.accessibilityInformation = { label: `${task.id} ${task.title}, status ${statusWords(task)}${who}${priority}, board ${task.boardTitle}` };
  item.command = { command: 'contracts.openTask', title: 'Open Task', arguments: [node] };
  return item;
}

function statusWords(task: TaskSummary): string {
  const group = groupKeyOf(task);
  if (group === 'invalid') return task.invalidStatus ? `invalid (${task.invalidStatus})` : 'missing';
  return STATUS_LABELS[group];
}

function groupTooltip(node: StatusGroupNode): string {
  const label = STATUS_LABELS[node.status];
  if (node.status === 'invalid') return `${plural(node.count, 'contract')} whose status is missing or not a lifecycle status`;
  if (node.status === 'none') return `${plural(node.count, 'task')} without a contract`;
  return `${label}: ${plural(node.count, 'contract')}`;
}

/** Deliverables, validation commands, constraints and feedback, for the row's hover. */
export function taskTooltip(task: TaskSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escape(task.id)}** ${escape(task.title)}\n\n`);
  const facts = [
    `Status: ${escape(statusWords(task))}`,
    task.assignee ? `Assignee: ${escape(task.assignee)}` : undefined,
    task.priority ? `Priority: ${escape(task.priority)}` : undefined,
    `Board: ${escape(task.boardTitle)}${task.column ? ` / ${escape(task.column)}` : ''}`,
  ].filter((f): f is string => !!f);
  md.appendMarkdown(`${facts.join(' · ')}\n\n`);
  if (!task.hasContract) {
    md.appendMarkdown('_No contract yet._');
    return md;
  }
  section(
    md,
    'Deliverables',
    task.deliverables.map((d) => [d.type ? `\`${code(d.type)}\`` : '', d.path ? escape(d.path) : '_(no path)_', d.description ? `— ${escape(d.description)}` : ''].filter(Boolean).join(' ')),
  );
  section(md, 'Validation commands', task.commands.map((c) => `\`${code(c)}\``));
  section(md, 'Constraints', task.constraints.map(escape));
  if (task.feedback) md.appendMarkdown(`**Feedback**\n\n> ${escape(task.feedback).replace(/\n/g, '\n> ')}\n\n`);
  return md;
}

function section(md: vscode.MarkdownString, title: string, lines: string[]): void {
  md.appendMarkdown(`**${title}**\n\n`);
  md.appendMarkdown(lines.length ? `${lines.map((l) => `- ${l}`).join('\n')}\n\n` : '_none_\n\n');
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/** Inside a code span only backticks matter. */
function code(text: string): string {
  return text.replace(/`/g, 'ˋ');
}
