/**
 * The contract lifecycle: statuses in order and the moves between them.
 * Shared by the engine (which decides every move) and the client (menus, drag
 * and drop, quick picks), so the table exists once.
 */

export const CONTRACT_STATUSES = ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'blocked'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export type TransitionName = 'publish' | 'claim' | 'deliver' | 'approve' | 'reject' | 'rework' | 'block' | 'unblock';

export interface Transition {
  name: TransitionName;
  from: ContractStatus;
  to: ContractStatus;
  /** The VS Code command that performs it. */
  command: string;
  /** A short label for code lenses and menus. */
  title: string;
  /** Only Brainfile v1 has `draft`; only v2 has `blocked`. */
  versions: ReadonlyArray<1 | 2>;
}

export const TRANSITIONS: readonly Transition[] = [
  { name: 'publish', from: 'draft', to: 'ready', command: 'contracts.publish', title: 'Publish', versions: [1] },
  { name: 'claim', from: 'ready', to: 'in_progress', command: 'contracts.claim', title: 'Claim', versions: [1, 2] },
  { name: 'deliver', from: 'in_progress', to: 'delivered', command: 'contracts.deliver', title: 'Deliver', versions: [1, 2] },
  { name: 'approve', from: 'delivered', to: 'done', command: 'contracts.approve', title: 'Approve', versions: [1, 2] },
  { name: 'reject', from: 'delivered', to: 'failed', command: 'contracts.reject', title: 'Reject', versions: [1, 2] },
  { name: 'rework', from: 'failed', to: 'in_progress', command: 'contracts.rework', title: 'Rework', versions: [1, 2] },
  { name: 'block', from: 'in_progress', to: 'blocked', command: 'contracts.block', title: 'Block', versions: [2] },
  { name: 'unblock', from: 'blocked', to: 'in_progress', command: 'contracts.unblock', title: 'Unblock', versions: [2] },
];

export function statusesFor(version: 1 | 2): ContractStatus[] {
  return version === 1 ? CONTRACT_STATUSES.filter((s) => s !== 'blocked') : CONTRACT_STATUSES.filter((s) => s !== 'draft');
}

export function isContractStatus(value: unknown): value is ContractStatus {
  return typeof value === 'string' && (CONTRACT_STATUSES as readonly string[]).includes(value);
}

/** The moves allowed out of a status on a board of the given version. */
export function transitionsFrom(status: string | undefined, version: 1 | 2): Transition[] {
  return TRANSITIONS.filter((t) => t.from === status && t.versions.includes(version));
}

export function findTransition(name: string): Transition | undefined {
  return TRANSITIONS.find((t) => t.name === name);
}
