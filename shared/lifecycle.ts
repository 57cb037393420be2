/**
 * The contract lifecycle: statuses in order and the moves between them.
 * Shared by the engine (which decides every move) and the client (menus, drag
 * and drop, quick picks), so the table exists once.
 *
 * The nine statuses are those of `@brainfile/core` 0.15.2, which the official
 * CLI and extension use in Brainfile v1 and v2 alike. (The published schemas
 * list fewer; the engine notes that, see engine/statuses.ts.)
 */

export const CONTRACT_STATUSES = ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** Statuses no move leads out of. */
export const TERMINAL_STATUSES: readonly ContractStatus[] = ['done', 'cancelled'];

export type TransitionName = 'publish' | 'claim' | 'deliver' | 'approve' | 'reject' | 'rework' | 'block' | 'unblock' | 'cancel';

export interface Transition {
  name: TransitionName;
  /** The statuses the move starts from. */
  from: readonly ContractStatus[];
  to: ContractStatus;
  /** The VS Code command that performs it. */
  command: string;
  /** A short label for code lenses and menus. */
  title: string;
  /** The Brainfile versions whose boards offer the move (all nine statuses exist in both). */
  versions: ReadonlyArray<1 | 2>;
}

const OPEN_STATUSES = CONTRACT_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));

export const TRANSITIONS: readonly Transition[] = [
  { name: 'publish', from: ['draft'], to: 'ready', command: 'contracts.publish', title: 'Publish', versions: [1, 2] },
  { name: 'claim', from: ['ready'], to: 'in_progress', command: 'contracts.claim', title: 'Claim', versions: [1, 2] },
  { name: 'deliver', from: ['in_progress', 'reworking'], to: 'delivered', command: 'contracts.deliver', title: 'Deliver', versions: [1, 2] },
  { name: 'approve', from: ['delivered'], to: 'done', command: 'contracts.approve', title: 'Approve', versions: [1, 2] },
  { name: 'reject', from: ['delivered'], to: 'failed', command: 'contracts.reject', title: 'Reject', versions: [1, 2] },
  { name: 'rework', from: ['failed'], to: 'reworking', command: 'contracts.rework', title: 'Rework', versions: [1, 2] },
  { name: 'block', from: ['in_progress', 'reworking'], to: 'blocked', command: 'contracts.block', title: 'Block', versions: [1, 2] },
  { name: 'unblock', from: ['blocked'], to: 'in_progress', command: 'contracts.unblock', title: 'Unblock', versions: [1, 2] },
  { name: 'cancel', from: OPEN_STATUSES, to: 'cancelled', command: 'contracts.cancel', title: 'Cancel', versions: [1, 2] },
];

/** The statuses a board of this version may hold: all nine, in either version. */
export function statusesFor(_version: 1 | 2): ContractStatus[] {
  return [...CONTRACT_STATUSES];
}

export function isContractStatus(value: unknown): value is ContractStatus {
  return typeof value === 'string' && (CONTRACT_STATUSES as readonly string[]).includes(value);
}

/** The moves allowed out of a status on a board of the given version. */
export function transitionsFrom(status: string | undefined, version: 1 | 2): Transition[] {
  return TRANSITIONS.filter((t) => (t.from as readonly string[]).includes(status ?? '') && t.versions.includes(version));
}

export function findTransition(name: string): Transition | undefined {
  return TRANSITIONS.find((t) => t.name === name);
}
