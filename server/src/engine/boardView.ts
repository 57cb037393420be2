import type { DocumentAnalysis } from './analyze';
import { getValue } from './dataNode';
import type { EngineDiagnostic } from './diagnostics';
import type { TaskInfo } from './model';

/**
 * A board as its kanban shows it: the columns in order, each with its tasks
 * in board order (v1: the order of the list; v2: `position`, then file name).
 * Built from analyses only, so the board view never parses anything itself.
 */

export interface BoardCardSource {
  task: TaskInfo;
  /** The document the task lives in: the board (v1) or its task file (v2). */
  analysis: DocumentAnalysis;
  /** v2: the task's `position`, when it is an integer. */
  position?: number;
  tags: string[];
  /** The first error inside the task, for the card's "invalid" marker. */
  problem?: EngineDiagnostic;
}

export interface BoardLaneSource {
  id: string;
  title: string;
  cards: BoardCardSource[];
}

export interface BoardViewSource {
  version: 1 | 2;
  title?: string;
  lanes: BoardLaneSource[];
  /** Tasks whose column the board does not declare (v2 `column` typos, mostly). */
  unplaced: BoardCardSource[];
  /** The first syntax error of the board file, when its front matter cannot be read as written. */
  syntaxError?: EngineDiagnostic;
}

/** Codes that mean the board's columns may not be what the text says. */
const SYNTAX_CODES = new Set(['yaml-syntax', 'frontmatter-unclosed', 'duplicate-key', 'nesting-too-deep', 'alias-limit']);

/**
 * The board of `config` (a v1 board, or a v2 board config); `taskFiles` are
 * the v2 board's task files (those in `board/`: the kanban shows no logs).
 */
export function buildBoardView(config: DocumentAnalysis, taskFiles: readonly DocumentAnalysis[] = []): BoardViewSource {
  const board = config.board;
  const version = config.version ?? board?.version ?? 1;
  const view: BoardViewSource = { version, title: board?.title, lanes: [], unplaced: [] };
  view.syntaxError = config.diagnostics.find((d) => SYNTAX_CODES.has(d.code));
  const lanes = new Map<string, BoardLaneSource>();
  for (const column of board?.columns ?? []) {
    if (column.id === undefined || lanes.has(column.id)) continue;
    const lane = { id: column.id, title: column.title ?? column.id, cards: [] };
    lanes.set(column.id, lane);
    view.lanes.push(lane);
  }
  const place = (card: BoardCardSource) => {
    const lane = card.task.columnId !== undefined ? lanes.get(card.task.columnId) : undefined;
    (lane ? lane.cards : view.unplaced).push(card);
  };
  if (version === 1) {
    for (const task of board?.tasks ?? []) if (task.location === 'column') place(cardOf(config, task));
  } else {
    const files = taskFiles.filter((a) => a.task && isBoardTaskFile(a.path)).sort((a, b) => compareNatural(a.path, b.path));
    for (const file of files) place(cardOf(file, file.task!));
    for (const lane of view.lanes) lane.cards.sort(byPosition);
    view.unplaced.sort(byPosition);
  }
  return view;
}

/** v2 task files in `board/` are on the board; those in `logs/` are done and gone. */
export function isBoardTaskFile(path: string): boolean {
  return /\/board\/[^/]+\.md$/.test(path);
}

function cardOf(analysis: DocumentAnalysis, task: TaskInfo): BoardCardSource {
  const card: BoardCardSource = { task, analysis, tags: stringItems(getValue(task.node, 'tags')) };
  const position = getValue(task.node, 'position');
  if (position?.type === 'number' && Number.isInteger(position.value)) card.position = position.value as number;
  const { start, end } = task.node.range;
  card.problem = analysis.diagnostics.find((d) => d.severity === 'error' && d.range.start >= start && d.range.start <= end);
  return card;
}

function stringItems(node: ReturnType<typeof getValue>): string[] {
  if (node?.type !== 'array') return [];
  return node.items.flatMap((item) => (item.type === 'string' || item.type === 'number' ? [String(item.value)] : []));
}

/** Positioned cards first, by position; the others keep their (file name) order. Array.sort is stable. */
function byPosition(a: BoardCardSource, b: BoardCardSource): number {
  return (a.position ?? Number.POSITIVE_INFINITY) - (b.position ?? Number.POSITIVE_INFINITY) || 0;
}

/** `task-9.md` before `task-10.md`. */
export function compareNatural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
