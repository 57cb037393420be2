import type { DocumentAnalysis } from './analyze';
import type { BoardCardSource, BoardViewSource } from './boardView';
import { relocateItem } from './taskItems';
import { applyEdits, plain, sortEdits, YamlEditor, type OffsetEdit, type YamlValue } from './yamlEdit';

/**
 * A card dragged on the board: the task goes to another column, or to
 * another place in its own, as minimal text edits. v1 moves the task's list
 * item; v2 writes the task file's `column` and the lane's `position`s.
 * A lifecycle move (a column that stands for a contract status) is not made
 * here: it is `contracts/transition`'s, as everywhere else.
 */

export interface CardMoveInput {
  taskId: string;
  toColumn: string;
  /** The card to land before, in `toColumn`; none: the end of the lane. */
  beforeTaskId?: string;
  /** The column the caller saw the task in: refused when it has moved since. */
  expectedColumn?: string;
}

export interface FileEdits {
  analysis: DocumentAnalysis;
  edits: OffsetEdit[];
}

export type CardMoveOutcome = { files: FileEdits[]; notes: string[] } | { refused: string };

const BROKEN_CODES = new Set(['yaml-syntax', 'frontmatter-unclosed', 'duplicate-key', 'nesting-too-deep', 'alias-limit']);

export function computeCardMove(view: BoardViewSource, input: CardMoveInput): CardMoveOutcome {
  const drop = findDrop(view, input.taskId, input.toColumn, input.beforeTaskId);
  if ('refused' in drop) return drop;
  const { card, lane, before } = drop;
  if (input.expectedColumn !== undefined && card.task.columnId !== input.expectedColumn) {
    return { refused: `${input.taskId} was moved by another change; it is now in ${card.task.columnId ?? 'no column'}, not ${input.expectedColumn}.` };
  }
  if (before === card) return { files: [], notes: [`${input.taskId} is already there.`] };
  const broken = brokenReason(view, card);
  if (broken) return { refused: broken };
  return view.version === 1 ? moveV1(card, input, before) : moveV2(lane.cards, card, input, before);
}

export interface Drop {
  card: BoardCardSource;
  lane: BoardViewSource['lanes'][number];
  /** The card to land before; none: the end of the lane. */
  before?: BoardCardSource;
}

/** The card, the lane and the card to land before of a drop on the board, or why it cannot be. */
export function findDrop(view: BoardViewSource, taskId: string, toColumn: string, beforeTaskId: string | undefined): Drop | { refused: string } {
  const all = [...view.lanes.flatMap((l) => l.cards), ...view.unplaced];
  const matches = all.filter((c) => c.task.id === taskId);
  if (!matches.length) return { refused: `No task "${taskId}" on this board.` };
  if (matches.length > 1) return { refused: `${taskId} appears ${matches.length} times on this board. Give each task its own id first.` };
  const lane = view.lanes.find((l) => l.id === toColumn);
  if (!lane) return { refused: `The board has no column "${toColumn}".` };
  const before = beforeTaskId === undefined ? undefined : lane.cards.find((c) => c.task.id === beforeTaskId);
  if (beforeTaskId !== undefined && !before) return { refused: `No task "${beforeTaskId}" in column "${toColumn}" to place ${taskId} before.` };
  return { card: matches[0], lane, before };
}

function brokenReason(view: BoardViewSource, card: BoardCardSource): string | undefined {
  const fault = view.syntaxError ?? card.analysis.diagnostics.find((d) => BROKEN_CODES.has(d.code));
  if (!fault) return undefined;
  const line = card.analysis.lines.positionAt(fault.range.start).line + 1;
  return `The YAML has errors (line ${line}: ${fault.message}) Fix them first; nothing was changed.`;
}

function moveV1(card: BoardCardSource, input: CardMoveInput, before: BoardCardSource | undefined): CardMoveOutcome {
  const editor = new YamlEditor(card.analysis.text, card.analysis.lines);
  const placed = relocateItem(card.analysis, card.task, editor, input.toColumn, before?.task);
  if ('problem' in placed) return { refused: `Cannot move ${input.taskId}: ${placed.problem}.` };
  // A drop where the card already is changes nothing, and says so.
  if (applyEdits(card.analysis.text, placed.edits) === card.analysis.text) return { files: [], notes: [`${input.taskId} is already there.`] };
  return { files: [{ analysis: card.analysis, edits: placed.edits }], notes: [] };
}

/** The moved task's file gets its new `column`, and its `position` where {@link placeInLane} says. */
function moveV2(laneCards: BoardCardSource[], card: BoardCardSource, input: CardMoveInput, before: BoardCardSource | undefined): CardMoveOutcome {
  return placeInLane(laneCards, card, before, (position) => {
    const entries: Array<[string, YamlValue]> = [];
    if (card.task.columnId !== input.toColumn) entries.push(['column', plain(input.toColumn)]);
    if (position !== undefined) entries.push(['position', plain(position)]);
    const editor = new YamlEditor(card.analysis.text, card.analysis.lines);
    const problem = editor.setProperties(card.task.node, entries, ['column', 'title', 'id']);
    if (problem) return { refused: `Cannot move ${input.taskId}: ${problem} in ${card.task.id}.` };
    return { edits: sortEdits(editor.edits) };
  });
}

/**
 * A v2 card placed in a lane, before `before` or at its end. Positions are
 * written only where order must be said: on a drop before a card, or in a
 * lane that already orders by `position`; then every card of the lane whose
 * position differs from its place gets it, and no other file is touched.
 * `editMoved` makes the moved card's own edits (its column, or a whole
 * lifecycle move), given the position to write there (none: leave it).
 */
export function placeInLane(
  laneCards: BoardCardSource[],
  card: BoardCardSource,
  before: BoardCardSource | undefined,
  editMoved: (position: number | undefined) => { edits: OffsetEdit[] } | { refused: string },
): CardMoveOutcome {
  const order = laneCards.filter((c) => c !== card);
  const at = before ? order.indexOf(before) : order.length;
  order.splice(at, 0, card);
  const ordered = before !== undefined || laneCards.some((c) => c.position !== undefined);
  const files: FileEdits[] = [];
  for (const [index, each] of order.entries()) {
    const position = ordered && each.position !== index ? index : undefined;
    if (each === card) {
      const moved = editMoved(position);
      if ('refused' in moved) return moved;
      if (moved.edits.length) files.push({ analysis: card.analysis, edits: moved.edits });
      continue;
    }
    if (position === undefined) continue;
    if (brokenReason({ lanes: [], unplaced: [], version: 2 }, each)) {
      return { refused: `Cannot reorder the lane: the YAML of ${each.task.id} has errors. Fix them first; nothing was changed.` };
    }
    const editor = new YamlEditor(each.analysis.text, each.analysis.lines);
    const problem = editor.setProperties(each.task.node, [['position', plain(position)]], ['column', 'title', 'id']);
    if (problem) return { refused: `Cannot move ${card.task.id}: ${problem} in ${each.task.id}.` };
    files.push({ analysis: each.analysis, edits: sortEdits(editor.edits) });
  }
  if (!files.length) return { files, notes: [`${card.task.id} is already there.`] };
  return { files, notes: [] };
}
