import { existsSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { completedAtEdits, completesOnApprove, ledgerRecord, type LedgerRecord } from '../engine/completion';
import { findTransition, transitionsFrom } from '../../../shared/lifecycle';
import { scanFrontMatter } from '../engine/regions';
import { computeTransition, isRefusal } from '../engine/transition';
import { applyEdits } from '../engine/yamlEdit';
import { analyzeRead, findTask, type BoardTask } from './boardTasks';
import { appendLine, createExclusive, encodeLike, isCleanUtf8, stillHolds, writeIfUnchanged, type ReadFile } from './files';
import { isoSeconds } from '../../../shared/text';

/**
 * One lifecycle move from a terminal or an agent: the engine's minimal edit,
 * written atomically only over the bytes that were read. Approving a v2 task
 * in `board/` also completes it (file to `logs/`, ledger record) unless asked not to.
 */

export interface MoveRequest {
  taskId: string;
  transition: string;
  board?: string;
  expectStatus?: string;
  assignee?: string;
  feedback?: string;
  /** Complete an approved v2 task (default true). */
  complete?: boolean;
  /** The time of the move; now when absent. */
  now?: string;
  /** Tests: runs between the read and the write, to rewrite the file underneath. */
  afterRead?: () => void;
}

export interface MoveDone {
  ok: true;
  taskId: string;
  file: string;
  from?: string;
  to: string;
  notes: string[];
  /** Set when an approved v2 task was completed. */
  completed?: { file: string; ledger: string; record: LedgerRecord };
}

export interface MoveRefused {
  ok: false;
  /** 1: refused (the move, the task or the file is not right); 3: the file changed since it was read. */
  exitCode: 1 | 3;
  message: string;
  currentStatus?: string;
  allowed?: string[];
}

export type MoveOutcome = MoveDone | MoveRefused;

export const CHANGED_SINCE_READ = 'changed since read';

export function moveTask(request: MoveRequest, cwd: string): MoveOutcome {
  const lookup = findTask(request.taskId, request.board, cwd);
  if ('refused' in lookup) return { ok: false, exitCode: 1, message: lookup.refused };
  return moveFound(lookup.found, request);
}

/** The move on a task already found (validation's verdict re-reads and comes here). */
export function moveFound(found: BoardTask, request: MoveRequest): MoveOutcome {
  const { read, analysis } = found;
  if (!isCleanUtf8(read)) return { ok: false, exitCode: 1, message: `${found.file} is not valid UTF-8, so it is not edited.` };
  const now = request.now ?? isoSeconds();
  request.afterRead?.();
  const outcome = computeTransition(analysis, {
    taskId: request.taskId,
    transition: request.transition,
    expectedStatus: request.expectStatus,
    now,
    assignee: request.assignee,
    feedback: request.feedback,
    boardColumns: found.boardColumns,
  });
  if (isRefusal(outcome)) {
    const status = found.task.contract?.status;
    const allowed = transitionsFrom(status, analysis.version ?? 1).map((t) => t.name);
    return { ok: false, exitCode: 1, message: outcome.refused, currentStatus: outcome.currentStatus ?? status, allowed };
  }
  const text = applyEdits(read.text, outcome.edits);
  const done: MoveDone = { ok: true, taskId: request.taskId, file: found.file, from: outcome.from, to: outcome.to, notes: outcome.notes };
  const completing = findTransition(request.transition)?.name === 'approve' && request.complete !== false && completesOnApprove(analysis);
  if (completing) return complete(found, text, now, done);
  if (!writeIfUnchanged(found.file, read.bytes, encodeLike(read, text))) return changed(found.file);
  return done;
}

function changed(file: string): MoveRefused {
  return { ok: false, exitCode: 3, message: `${file} ${CHANGED_SINCE_READ}: another program wrote it after it was read. Nothing was written; run the command again.` };
}

/**
 * Completes an approved v2 task: `completedAt` added, the file created in
 * `logs/` and removed from `board/`, one ledger line appended. The board file
 * must still hold what was read; otherwise nothing stays changed.
 */
function complete(found: BoardTask, approvedText: string, now: string, done: MoveDone): MoveOutcome {
  const read = found.read;
  const approved: ReadFile = { ...read, text: approvedText };
  const analysis = analyzeRead(approved);
  const task = analysis.task;
  if (!task) return { ok: false, exitCode: 1, message: `${found.file} could not be read back after the approve edit; nothing was written.` };
  const edits = completedAtEdits(analysis, task, now);
  if (typeof edits === 'string') return { ok: false, exitCode: 1, message: `Cannot complete ${done.taskId}: ${edits}. Pass --no-complete to approve it in board/.` };
  const finalText = applyEdits(approvedText, edits);
  const finalAnalysis = analyzeRead({ ...read, text: finalText });
  const record = ledgerRecord(finalAnalysis.task ?? task, finalText.slice(scanFrontMatter(finalText).bodyStart), now);

  const logs = path.join(path.dirname(path.dirname(found.file)), 'logs');
  const target = path.join(logs, path.basename(found.file));
  if (existsSync(target)) return { ok: false, exitCode: 1, message: `Cannot complete ${done.taskId}: ${target} already exists. Nothing was written; pass --no-complete to approve it in board/.` };
  if (!stillHolds(found.file, read.bytes)) return changed(found.file);
  mkdirSync(logs, { recursive: true });
  try {
    createExclusive(target, encodeLike(read, finalText), statSync(found.file).mode & 0o7777);
  } catch (error) {
    return { ok: false, exitCode: 1, message: `Cannot complete ${done.taskId}: ${(error as Error).message}. Nothing was written.` };
  }
  // The last look: a write that came in meanwhile keeps the task in board/.
  if (!stillHolds(found.file, read.bytes)) {
    unlinkSync(target);
    return changed(found.file);
  }
  unlinkSync(found.file);
  const ledger = path.join(logs, 'ledger.jsonl');
  appendLine(ledger, JSON.stringify(record));
  return { ...done, file: target, completed: { file: target, ledger, record } };
}
