/**
 * Messages between the board webview and the extension, typed once here.
 * The webview bundle imports this file (types only), so it must not import `vscode`.
 */
import type { BoardResult } from '../../../shared/board';

/** The last validation of a task, as the card shows it. */
export interface CardValidation {
  state: 'running' | 'passed' | 'failed' | 'cancelled' | 'nothing-checked';
  /** "2/3 passed · 4 s ago"-style detail for the tooltip. */
  detail: string;
}

export interface BoardState {
  board: BoardResult;
  /** True while the board file has a syntax error: `board` is the last good one, greyed. */
  stale: boolean;
  /** The syntax error, named, when `stale` (or when there is no good board yet). */
  syntaxError?: string;
  /** Keyed by task id. */
  validation: Record<string, CardValidation>;
  /** The column each contract status belongs in (`contracts.columnForStatus`). */
  columnForStatus: Record<string, string>;
  /** Whether "Copy Brief" is offered: it is `contracts.copyPickupBrief`, when that command exists. */
  canCopyBrief: boolean;
}

export type CardAction = 'open' | 'publish' | 'claim' | 'deliver' | 'approve' | 'reject' | 'rework' | 'block' | 'unblock' | 'addContract' | 'runValidation' | 'copyBrief';

/** Extension → webview. */
export type ToWebview =
  | { type: 'board'; state: BoardState }
  | { type: 'result'; ok: boolean; message: string }
  | { type: 'focus'; taskId: string }
  /** Test hooks: drive the webview's own handlers and report its state back. */
  | { type: 'test'; op: 'key'; taskId: string; key: string; altKey?: boolean; shiftKey?: boolean }
  | { type: 'test'; op: 'drag'; taskId: string; toColumn: string; beforeTaskId?: string }
  | { type: 'test'; op: 'state' };

/** What the webview shows, for tests. */
export interface WebviewSnapshot {
  lanes: Array<{ id: string; count: number; rendered: string[] }>;
  focused?: string;
  status: string;
  stale: boolean;
  banner: string;
}

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'move'; taskId: string; fromColumn?: string; toColumn: string; beforeTaskId?: string }
  | { type: 'add'; column: string; title: string; withContract: boolean }
  | { type: 'action'; action: CardAction; taskId: string }
  | { type: 'rendered'; ms: number; cards: number; domCards: number }
  | { type: 'state'; snapshot: WebviewSnapshot };
