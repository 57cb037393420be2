import { statusesFor, transitionsFrom, type Transition } from '../../../shared/lifecycle';
import type { BoardCard } from '../../../shared/board';

/**
 * What a drop of a card on a column means. A column that
 * `contracts.columnForStatus` maps a contract status to stands for that
 * status: a contract entering it makes the lifecycle move there, and a move
 * the lifecycle forbids is refused, naming the allowed ones. Any other drop
 * (a reorder, a column no status maps to, a task without a contract) only
 * places the card.
 */
export type MovePlan = { kind: 'place' } | { kind: 'transition'; transition: Transition } | { kind: 'refused'; reason: string };

export function planMove(
  card: BoardCard,
  version: 1 | 2,
  toColumn: string,
  columnForStatus: Record<string, string>,
  titleOf: (columnId: string) => string,
): MovePlan {
  const place: MovePlan = { kind: 'place' };
  if (card.column === toColumn || !card.status) return place;
  const statuses = statusesFor(version).filter((s) => columnForStatus[s] === toColumn);
  if (!statuses.length || statuses.includes(card.status)) return place;
  const allowed = transitionsFrom(card.status, version);
  const move = allowed.find((t) => statuses.includes(t.to));
  if (move) return { kind: 'transition', transition: move };
  const where = (t: Transition) => (columnForStatus[t.to] ? ` (to ${titleOf(columnForStatus[t.to])})` : '');
  const options = allowed.length ? `the allowed moves are ${allowed.map((t) => `${t.name}${where(t)}`).join(', ')}` : `no move is allowed (${card.status} is final)`;
  return {
    kind: 'refused',
    reason: `Cannot move ${card.id} to ${titleOf(toColumn)}: it is ${card.status}, ${titleOf(toColumn)} holds ${statuses.join(' or ')} contracts, and from ${card.status} ${options}.`,
  };
}
