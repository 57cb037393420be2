import * as vscode from 'vscode';
import { CONTRACT_STATUSES, STATUS_LABELS as CONTRACT_STATUS_LABELS, transitionsFrom, type ContractStatus, type Transition } from '../../../shared/lifecycle';
import type { TaskSummary } from '../../../shared/protocol';

/**
 * What the views know about contract statuses: order, labels, icons, and the
 * lifecycle moves (from shared/lifecycle.ts); the server still decides every move.
 */

export const STATUS_ORDER: readonly ContractStatus[] = CONTRACT_STATUSES;

/** A lifecycle status, or one of the two groups for tasks outside the lifecycle. */
export type StatusGroupKey = ContractStatus | 'invalid' | 'none';

export const GROUP_ORDER: readonly StatusGroupKey[] = [...STATUS_ORDER, 'invalid', 'none'];

export const STATUS_LABELS: Record<StatusGroupKey, string> = {
  ...CONTRACT_STATUS_LABELS,
  invalid: 'Invalid status',
  none: 'No contract',
};

const STATUS_ICONS: Record<StatusGroupKey, [icon: string, color: string]> = {
  draft: ['circle-outline', 'disabledForeground'],
  ready: ['circle-large-outline', 'charts.purple'],
  in_progress: ['play-circle', 'charts.yellow'],
  delivered: ['package', 'charts.blue'],
  done: ['pass-filled', 'charts.green'],
  failed: ['error', 'charts.red'],
  reworking: ['sync', 'charts.yellow'],
  blocked: ['circle-slash', 'charts.orange'],
  cancelled: ['close', 'disabledForeground'],
  invalid: ['warning', 'list.warningForeground'],
  none: ['circle-small', 'disabledForeground'],
};

export function statusIcon(key: StatusGroupKey): vscode.ThemeIcon {
  const [icon, color] = STATUS_ICONS[key];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

/**
 * The group a task belongs to. A contract whose status is missing or unknown
 * goes to "Invalid status" (it needs fixing, unlike a task that simply has no
 * contract yet), so the two are never mixed up.
 */
export function groupKeyOf(task: TaskSummary): StatusGroupKey {
  if (task.status) return task.status;
  return task.hasContract ? 'invalid' : 'none';
}

export function transitionBetween(from: ContractStatus | undefined, to: ContractStatus, version: 1 | 2): Transition | undefined {
  return transitionsFrom(from, version).find((transition) => transition.to === to);
}

/** "Claim (In Progress)" or "Approve (Done) or Reject (Failed)". */
export function describeTransitions(transitions: readonly Transition[]): string {
  return transitions.map((transition) => `${transition.title} (${STATUS_LABELS[transition.to]})`).join(' or ');
}
