/**
 * The contract lifecycle: statuses in order and the transitions between them.
 * Shared by the engine (which decides every transition) and the client (menus,
 * drag and drop, quick picks), so the table exists once.
 */

export const CONTRACT_STATUSES = ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'blocked'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** How a person reads each status: the Tasks view, the board's chips and every message use these. */
export const STATUS_LABELS: Record<ContractStatus, string> = {
  draft: 'Draft',
  ready: 'Ready',
  in_progress: 'In Progress',
  delivered: 'Delivered',
  done: 'Done',
  failed: 'Failed',
  blocked: 'Blocked',
};

export type TransitionName = 'publish' | 'claim' | 'deliver' | 'approve' | 'reject' | 'rework' | 'block' | 'unblock' | 'addContract';

/** One command that changes a task's contract through `contracts/transition`. */
export interface Transition {
  name: TransitionName;
  /** The status the task must have; undefined for `addContract`: the task must have no contract yet. */
  from?: ContractStatus;
  /** The status written; `addContract` writes the first status of the board's version instead. */
  to: ContractStatus;
  /** The VS Code command that performs it. */
  command: string;
  /** A short label for code lenses and menus. */
  title: string;
  /** Only Brainfile v1 has `draft`; only v2 has `blocked`. */
  versions: ReadonlyArray<1 | 2>;
}

/** A pseudo-transition that gives a task without a contract a skeleton one. */
export const ADD_CONTRACT: Transition = { name: 'addContract', to: 'draft', command: 'contracts.addContract', title: 'Add Contract', versions: [1, 2] };

/** The transitions between statuses, in lifecycle order. */
export const STATUS_TRANSITIONS: readonly Transition[] = [
  { name: 'publish', from: 'draft', to: 'ready', command: 'contracts.publish', title: 'Publish', versions: [1] },
  { name: 'claim', from: 'ready', to: 'in_progress', command: 'contracts.claim', title: 'Claim', versions: [1, 2] },
  { name: 'deliver', from: 'in_progress', to: 'delivered', command: 'contracts.deliver', title: 'Deliver', versions: [1, 2] },
  { name: 'approve', from: 'delivered', to: 'done', command: 'contracts.approve', title: 'Approve', versions: [1, 2] },
  { name: 'reject', from: 'delivered', to: 'failed', command: 'contracts.reject', title: 'Reject', versions: [1, 2] },
  { name: 'rework', from: 'failed', to: 'in_progress', command: 'contracts.rework', title: 'Rework', versions: [1, 2] },
  { name: 'block', from: 'in_progress', to: 'blocked', command: 'contracts.block', title: 'Block', versions: [2] },
  { name: 'unblock', from: 'blocked', to: 'in_progress', command: 'contracts.unblock', title: 'Unblock', versions: [2] },
];

/** Every transition a command can ask for: the status transitions and `addContract`. */
export const TRANSITIONS: readonly Transition[] = [...STATUS_TRANSITIONS, ADD_CONTRACT];

/** The status a new contract starts in: v1 has `draft`, v2 starts at `ready`. */
export function initialStatus(version: 1 | 2): ContractStatus {
  return version === 1 ? 'draft' : 'ready';
}

export function statusesFor(version: 1 | 2): ContractStatus[] {
  return version === 1 ? CONTRACT_STATUSES.filter((s) => s !== 'blocked') : CONTRACT_STATUSES.filter((s) => s !== 'draft');
}

export function isContractStatus(value: unknown): value is ContractStatus {
  return typeof value === 'string' && (CONTRACT_STATUSES as readonly string[]).includes(value);
}

/** The status transitions allowed out of a status on a board of the given version. */
export function transitionsFrom(status: string | undefined, version: 1 | 2): Transition[] {
  return STATUS_TRANSITIONS.filter((t) => t.from === status && t.versions.includes(version));
}

export function findTransition(name: string): Transition | undefined {
  return TRANSITIONS.find((t) => t.name === name);
}
