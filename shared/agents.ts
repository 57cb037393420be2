/**
 * Messages for the agent-facing features (language model tools, Copy Pickup
 * Brief, the completion of an approved v2 task). Typed like `protocol.ts`.
 */
import { RequestType, type WorkspaceEdit } from 'vscode-languageserver-protocol';

export interface BriefParams {
  uri: string;
  taskId: string;
}
export interface BriefResult {
  markdown?: string;
  /** Why there is no brief, in words for a person. */
  refused?: string;
}
/** client → server: a task's pickup brief in Markdown, as `contracts show` prints it. */
export const BriefRequest = new RequestType<BriefParams, BriefResult, void>('contracts/brief');

export interface CompleteParams {
  uri: string;
  taskId: string;
  /** The document version the client saw. */
  version?: number;
  /** The completion time (ISO date-time). */
  now: string;
}
export interface CompleteResult {
  /** False when the task is not a v2 task in `board/` (nothing to do). */
  applies: boolean;
  /** An LSP WorkspaceEdit (versioned) that writes `completedAt`. */
  edit?: WorkspaceEdit;
  /** Where the task file goes, and the ledger that gets the line. */
  targetUri?: string;
  ledgerUri?: string;
  ledgerLine?: string;
  refused?: string;
}
/**
 * client → server: after an approve, what completing a v2 task in `board/`
 * takes (as `@brainfile/core` does): the `completedAt` edit, the file's place
 * in `logs/`, and the line to append to `logs/ledger.jsonl`.
 */
export const CompleteRequest = new RequestType<CompleteParams, CompleteResult, void>('contracts/complete');
