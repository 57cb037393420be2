import type { DocumentAnalysis } from './analyze';
import { BOARD_CONFIG_NAMES, baseName, dirName } from './classify';
import type { EngineDiagnostic } from './diagnostics';
import type { ColumnInfo, TaskInfo } from './model';
import { checkTaskSet, dependencyCycles, duplicateIds, taskColumns, taskReferences, type TaskSet, type TaskSetRule } from './rules';

/**
 * The board model: which analyzed files make up which board, shared by the
 * language server (over its cache), the CLI (over the files it checks) and the
 * unit tests (over fixtures), so they cannot disagree on membership.
 *
 * A v1 board is one file. A v2 board is a config (`brainfile.md` or
 * `.brainfile.md`, usually in `.brainfile/`) plus the task files in `board/`
 * and `logs/` beside it, and the ledger `logs/ledger.jsonl` of completed
 * tasks: the folder holding them is the board's home.
 */
export interface Board {
  /** The folder that holds the board file and, for v2, its `board/` and `logs/` folders. */
  home: string;
  version: 1 | 2;
  /** The board file: a v1 board, or a v2 config (undefined when task files have none). */
  file?: DocumentAnalysis;
  /** v2: the task files of `board/` and `logs/`. */
  taskFiles: DocumentAnalysis[];
  /** v2: `logs/ledger.jsonl`, the record of completed tasks. */
  ledger?: DocumentAnalysis;
}

/** A task with the analysis of the file it is written in. */
export interface BoardTask {
  task: TaskInfo;
  analysis: DocumentAnalysis;
}

/**
 * A cross-file rule: findings per document path over one whole board. Rules
 * see every member, open or not; add one to `BOARD_RULES` to run it everywhere.
 */
export type BoardRule = (board: Board) => Map<string, EngineDiagnostic[]>;

/** The tasks of a v2 board's files, with its config's columns and strictness and the ids its ledger completed. */
function taskSetOf(config: DocumentAnalysis | undefined, taskFiles: DocumentAnalysis[], ledger?: DocumentAnalysis): TaskSet {
  const tasks = taskFiles.flatMap((f) => (f.task ? [{ path: f.path, task: f.task }] : []));
  return { tasks, columns: config?.board?.columns, version: 2, strict: config?.board?.strict, completedIds: ledger?.ledgerIds };
}

/** A task-set rule run across a v2 board's files (a v1 board runs it within its one file, in analyze.ts). */
function acrossV2Board(rule: TaskSetRule): BoardRule {
  return (board) => (board.version === 2 ? checkTaskSet(taskSetOf(board.file, board.taskFiles, board.ledger), [rule]) : new Map());
}

/** The cross-file rules: unique ids; blockedBy, dependsOn and parentId references; dependency cycles; columns. */
export const BOARD_RULES: readonly BoardRule[] = [duplicateIds, taskReferences, dependencyCycles, taskColumns].map(acrossV2Board);

/** Every cross-file rule over a config, task files and ledger that form one v2 board. */
export function checkV2Board(config: DocumentAnalysis | undefined, taskFiles: DocumentAnalysis[], ledger?: DocumentAnalysis): Map<string, EngineDiagnostic[]> {
  return checkTaskSet(taskSetOf(config, taskFiles, ledger));
}

/** The home of the v2 board a task file or config belongs to; undefined for files outside v2 boards. */
function v2HomeOf(analysis: DocumentAnalysis): string | undefined {
  if (analysis.kind === 'task' || analysis.kind === 'ledger') return dirName(dirName(analysis.path));
  if (analysis.kind === 'board' && analysis.version === 2 && BOARD_CONFIG_NAMES.includes(baseName(analysis.path))) return dirName(analysis.path);
  return undefined;
}

/** Boards over a set of analyses, built in one pass; lookups are constant time. */
export class BoardIndex {
  readonly boards: Board[] = [];
  private readonly byPath = new Map<string, Board>();
  private readonly findings = new Map<Board, Map<string, EngineDiagnostic[]>>();

  constructor(
    analyses: Iterable<DocumentAnalysis>,
    private readonly rules: readonly BoardRule[] = BOARD_RULES,
  ) {
    const v2ByHome = new Map<string, Board>();
    const configs: DocumentAnalysis[] = [];
    for (const analysis of analyses) {
      if (analysis.kind !== 'board' && analysis.kind !== 'task' && analysis.kind !== 'ledger') continue;
      const home = v2HomeOf(analysis);
      if (home === undefined) {
        this.add({ home: dirName(analysis.path), version: analysis.version ?? 1, file: analysis, taskFiles: [] }, analysis);
        continue;
      }
      if (analysis.kind === 'board') {
        configs.push(analysis);
        continue;
      }
      let board = v2ByHome.get(home);
      if (!board) v2ByHome.set(home, (board = { home, version: 2, taskFiles: [] }));
      if (analysis.kind === 'ledger') board.ledger = analysis;
      else board.taskFiles.push(analysis);
      this.byPath.set(analysis.path, board);
    }
    // `brainfile.md` before `.brainfile.md`: a second config in one home is a board of its own.
    configs.sort((a, b) => BOARD_CONFIG_NAMES.indexOf(baseName(a.path)) - BOARD_CONFIG_NAMES.indexOf(baseName(b.path)));
    for (const config of configs) {
      const home = dirName(config.path);
      const board = v2ByHome.get(home);
      if (board && !board.file) {
        board.file = config;
        this.byPath.set(config.path, board);
      } else if (!board) {
        v2ByHome.set(home, { home, version: 2, file: config, taskFiles: [] });
        this.byPath.set(config.path, v2ByHome.get(home)!);
      } else {
        this.add({ home, version: 2, file: config, taskFiles: [] }, config);
      }
    }
    // Members in path order, whatever order they were read in: a duplicate id is reported in the later file.
    for (const board of v2ByHome.values()) board.taskFiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.boards.push(...v2ByHome.values());
  }

  private add(board: Board, analysis: DocumentAnalysis): void {
    this.boards.push(board);
    this.byPath.set(analysis.path, board);
  }

  /** The board a board or task file belongs to. */
  boardOf(analysis: DocumentAnalysis): Board | undefined {
    return this.byPath.get(analysis.path);
  }

  /** Every task of the board the document belongs to: the file itself for v1, all task files for v2. */
  tasksOf(analysis: DocumentAnalysis): BoardTask[] {
    if (analysis.kind === 'board' && analysis.version !== 2) return (analysis.board?.tasks ?? []).map((task) => ({ task, analysis }));
    return (this.boardOf(analysis)?.taskFiles ?? []).flatMap((file) => (file.task ? [{ task: file.task, analysis: file }] : []));
  }

  /** The columns of the board a document belongs to (a v2 task file's are its config's). */
  columnsOf(analysis: DocumentAnalysis): ColumnInfo[] {
    if (analysis.board) return analysis.board.columns;
    return this.boardOf(analysis)?.file?.board?.columns ?? [];
  }

  /** Findings of the board's cross-file rules in this document (computed once per board). */
  crossFileDiagnostics(analysis: DocumentAnalysis): EngineDiagnostic[] {
    const board = this.boardOf(analysis);
    if (!board || analysis.skipped) return [];
    let findings = this.findings.get(board);
    if (!findings) {
      findings = new Map();
      for (const rule of this.rules) {
        for (const [path, list] of rule(board)) findings.set(path, [...(findings.get(path) ?? []), ...list]);
      }
      this.findings.set(board, findings);
    }
    return findings.get(analysis.path) ?? [];
  }

  /** A document's own findings plus its board's cross-file findings. */
  diagnosticsFor(analysis: DocumentAnalysis): EngineDiagnostic[] {
    const cross = this.crossFileDiagnostics(analysis);
    return cross.length ? [...analysis.diagnostics, ...cross] : analysis.diagnostics;
  }
}
