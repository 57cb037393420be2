/**
 * The contract lifecycle: statuses in order and the transitions between them.
 * Shared by the engine (which decides every transition) and the client (menus,
 * drag and drop, quick picks), so the table exists once.
 *
 * The nine statuses are those of `@brainfile/core` 0.15.2, which the official
 * CLI and extension use in Brainfile v1 and v2 alike. (The published schemas
 * list fewer; the engine notes that, see engine/statuses.ts.)
 */

export const CONTRACT_STATUSES = ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** How a person reads each status: the Tasks view, the board's chips and every message use these. */
export const STATUS_LABELS: Record<ContractStatus, string> = {
  draft: 'Draft',
  ready: 'Ready',
  in_progress: 'In Progress',
  delivered: 'Delivered',
  done: 'Done',
  failed: 'Failed',
  reworking: 'Reworking',
  blocked: 'Blocked',
  cancelled: 'Cancelled',
};

/** Work under way, not yet delivered: validation runs as a dry run (the status stays). */
export const WORKING_STATUSES: readonly ContractStatus[] = ['in_progress', 'reworking'];

/** The statuses validation runs for: delivered work gets a verdict, work under way a dry run. */
export const VALIDATABLE_STATUSES: readonly ContractStatus[] = ['delivered', ...WORKING_STATUSES];

/** Whether validation of a contract with this status is a dry run. */
export function validatesAsDryRun(status: string | undefined): boolean {
  return (WORKING_STATUSES as readonly string[]).includes(status ?? '');
}

/** Statuses no transition leads out of. */
export const TERMINAL_STATUSES: readonly ContractStatus[] = ['done', 'cancelled'];

export type TransitionName = 'publish' | 'claim' | 'deliver' | 'approve' | 'reject' | 'rework' | 'block' | 'unblock' | 'cancel' | 'addContract';

/** One command that changes a task's contract through `contracts/transition`. */
export interface Transition {
  name: TransitionName;
  /** The statuses the task may have; undefined for `addContract`: the task must have no contract yet. */
  from?: readonly ContractStatus[];
  /** The status written; `addContract` writes the first status of the board's version instead. */
  to: ContractStatus;
  /** The VS Code command that performs it. */
  command: string;
  /** A short label for code lenses and menus. */
  title: string;
}

/** A pseudo-transition that gives a task without a contract a skeleton one. */
export const ADD_CONTRACT: Transition = { name: 'addContract', to: 'draft', command: 'contracts.addContract', title: 'Add Contract' };

const OPEN_STATUSES = CONTRACT_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));

/** The transitions between statuses, in lifecycle order. */
export const STATUS_TRANSITIONS: readonly Transition[] = [
  { name: 'publish', from: ['draft'], to: 'ready', command: 'contracts.publish', title: 'Publish' },
  { name: 'claim', from: ['ready'], to: 'in_progress', command: 'contracts.claim', title: 'Claim' },
  // `reworking` is a failed contract being worked again: it is delivered like an in-progress one.
  { name: 'deliver', from: ['in_progress', 'reworking'], to: 'delivered', command: 'contracts.deliver', title: 'Deliver' },
  { name: 'approve', from: ['delivered'], to: 'done', command: 'contracts.approve', title: 'Approve' },
  { name: 'reject', from: ['delivered'], to: 'failed', command: 'contracts.reject', title: 'Reject' },
  { name: 'rework', from: ['failed'], to: 'reworking', command: 'contracts.rework', title: 'Rework' },
  { name: 'block', from: ['in_progress', 'reworking'], to: 'blocked', command: 'contracts.block', title: 'Block' },
  { name: 'unblock', from: ['blocked'], to: 'in_progress', command: 'contracts.unblock', title: 'Unblock' },
  // `cancelled` is terminal and reachable from every status that is not.
  { name: 'cancel', from: OPEN_STATUSES, to: 'cancelled', command: 'contracts.cancel', title: 'Cancel' },
];

/** Every transition a command can ask for: the status transitions and `addContract`. */
export const TRANSITIONS: readonly Transition[] = [...STATUS_TRANSITIONS, ADD_CONTRACT];

/** The status a new contract starts in: `draft` on both versions, as the official Brainfile CLI now writes it. */
export function initialStatus(_version: 1 | 2): ContractStatus {
  return 'draft';
}

/** The statuses a board of this version may hold: all nine, in either version. */
export function statusesFor(_version: 1 | 2): ContractStatus[] {
  return [...CONTRACT_STATUSES];
}

export function isContractStatus(value: unknown): value is ContractStatus {
  return typeof value === 'string' && (CONTRACT_STATUSES as readonly string[]).includes(value);
}

/** Whether a transition starts from this status (never true for `addContract`). */
export function startsFrom(transition: Transition, status: string | undefined): boolean {
  return status !== undefined && (transition.from as readonly string[] | undefined)?.includes(status) === true;
}

/** The status transitions allowed out of a status on a board of the given version (every move exists in both). */
export function transitionsFrom(status: string | undefined, _version: 1 | 2): Transition[] {
  return STATUS_TRANSITIONS.filter((t) => startsFrom(t, status));
}

/** "in_progress or reworking", "draft, ready, … or blocked": the statuses a transition starts from, for messages. */
export function fromText(transition: Transition): string {
  const from = transition.from ?? [];
  return from.length > 1 ? `${from.slice(0, -1).join(', ')} or ${from[from.length - 1]}` : from.join('');
}

export function findTransition(name: string): Transition | undefined {
  return TRANSITIONS.find((t) => t.name === name);
}
