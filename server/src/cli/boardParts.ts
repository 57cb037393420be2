import type { DocumentAnalysis } from '../engine/analyze';
import { BoardIndex } from '../engine/boards';
import type { EngineDiagnostic } from '../engine/diagnostics';
import type { ScalarNode } from '../engine/dataNode';
import type { BoardInfo, TaskInfo } from '../engine/model';
import type { OffsetRange } from '../engine/text';

/**
 * One big v2 board checked in parts on several workers: each worker analyses
 * its part and keeps the analyses; the main thread gets from each part only
 * what the board's cross-file rules read (`BOARD_RULES`: ids, titles,
 * references, columns, statuses, with their ranges), runs the rules once over
 * the whole board through the ordinary `BoardIndex`, and sends each part its
 * findings back, so the worker reports its files exactly as `checkFiles`
 * would. `test/unit/parallelCheck.test.ts` holds every rule's findings on a
 * split board to one thread's.
 */

/** What the board rules read of one analysed board member: small, so it crosses threads cheaply. */
export interface MemberFacts {
  path: string;
  kind: DocumentAnalysis['kind'];
  version?: 1 | 2;
  skipped?: DocumentAnalysis['skipped'];
  board?: BoardInfo;
  task?: TaskInfo;
  ledgerIds?: Set<string>;
}

const at = (node: { range: OffsetRange } | undefined) => node && { range: node.range };
const reference = (node: ScalarNode) => ({ value: node.value, range: node.range });

/** The task as the rules read it, without its node tree (the tree stays with the analysis, in the worker). */
function taskFacts(task: TaskInfo): TaskInfo {
  const facts = {
    location: task.location,
    id: task.id,
    idNode: at(task.idNode),
    title: task.title,
    columnId: task.columnId,
    columnNode: at(task.columnNode),
    blockedBy: task.blockedBy.map(reference),
    dependsOn: task.dependsOn.map(reference),
    parentId: task.parentId && reference(task.parentId),
    contract: task.contract && { status: task.contract.status, statusNode: at(task.contract.statusNode) },
  };
  return facts as unknown as TaskInfo;
}

function boardFacts(board: BoardInfo): BoardInfo {
  const facts = { version: board.version, strict: board.strict, tasks: [], columns: board.columns.map((column) => ({ id: column.id, title: column.title, idNode: at(column.idNode) })) };
  return facts as unknown as BoardInfo;
}

/** The facts of a board member (a board file, task file or ledger); undefined for any other file. */
export function memberFacts(analysis: DocumentAnalysis): MemberFacts | undefined {
  if (analysis.kind !== 'board' && analysis.kind !== 'task' && analysis.kind !== 'ledger') return undefined;
  return {
    path: analysis.path,
    kind: analysis.kind,
    version: analysis.version,
    skipped: analysis.skipped,
    board: analysis.board && boardFacts(analysis.board),
    task: analysis.task && taskFacts(analysis.task),
    ledgerIds: analysis.ledgerIds,
  };
}

/** The board's cross-file findings per member path, from every part's facts. */
export function crossFileFindings(members: MemberFacts[]): Map<string, EngineDiagnostic[]> {
  // The board model reads no more of an analysis than the facts hold.
  const stubs = members.map((facts) => ({ ...facts, diagnostics: [] }) as unknown as DocumentAnalysis);
  const boards = new BoardIndex(stubs);
  const out = new Map<string, EngineDiagnostic[]>();
  for (const stub of stubs) {
    const found = boards.crossFileDiagnostics(stub);
    if (found.length) out.set(stub.path, found);
  }
  return out;
}
