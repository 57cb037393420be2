import { existsSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument, type DocumentAnalysis } from '../engine/analyze';
import { BoardIndex } from '../engine/boards';
import { BOARD_FILE_NAMES, dirName, projectFolderOf, toPosix } from '../engine/classify';
import { boardMemberPaths, classifyOptionsFor } from '../engine/files';
import type { TaskInfo } from '../engine/model';
import { nodeFiles } from '../nodeFiles';
import { collectFiles } from './check';
import { readContractFile, type ReadFile } from './files';

/**
 * The tasks of the boards under some paths, for the lifecycle commands and
 * the MCP server: each with its file, the bytes read, its analysis and board.
 */

export interface BoardTask {
  /** Absolute path of the file that holds the task. */
  file: string;
  read: ReadFile;
  analysis: DocumentAnalysis;
  task: TaskInfo & { id: string };
  boardTitle?: string;
  /** The board (or v2 config) file, when there is one. */
  boardFile?: string;
  /** v2: the column ids the board declares. */
  boardColumns?: string[];
}

export function analyzeRead(read: ReadFile): DocumentAnalysis {
  return analyzeDocument(toPosix(read.file), read.text, classifyOptionsFor(nodeFiles));
}

/** Every task (fenced examples aside) in the board and task files under `paths`, on the boards of the engine's board model. */
export function loadTasks(paths: string[], cwd: string): BoardTask[] {
  const loaded: Array<{ file: string; read: ReadFile; analysis: DocumentAnalysis }> = [];
  for (const file of collectFiles(paths, cwd)) {
    try {
      const read = readContractFile(file);
      loaded.push({ file, read, analysis: analyzeRead(read) });
    } catch {
      // unreadable: `contracts check` reports it
    }
  }
  // A v2 task's board config may lie outside the paths: read the members of each task's board.
  const analyses = new Map(loaded.map((l): [string, DocumentAnalysis] => [l.analysis.path, l.analysis]));
  for (const home of new Set(loaded.filter((l) => l.analysis.kind === 'task').map((l) => dirName(dirName(l.analysis.path))))) {
    for (const member of boardMemberPaths(home, nodeFiles)) {
      if (analyses.has(member) || !member.endsWith('brainfile.md')) continue;
      try {
        analyses.set(member, analyzeRead(readContractFile(member)));
      } catch {
        // an unreadable config: the tasks are listed without its title and columns
      }
    }
  }
  const boards = new BoardIndex(analyses.values());
  const tasks: BoardTask[] = [];
  for (const { file, read, analysis } of loaded) {
    if (analysis.kind === 'board' && analysis.version === 1 && analysis.board) {
      for (const task of analysis.board.tasks) {
        if (task.location === 'fence' || task.id === undefined) continue;
        tasks.push({ file, read, analysis, task: task as BoardTask['task'], boardTitle: analysis.board.title, boardFile: file });
      }
    } else if (analysis.kind === 'task' && analysis.task?.id !== undefined) {
      const config = boards.boardOf(analysis)?.file;
      tasks.push({
        file,
        read,
        analysis,
        task: analysis.task as BoardTask['task'],
        boardTitle: config?.board?.title,
        boardFile: config?.path,
        boardColumns: config?.board?.columns.flatMap((c) => (c.id ? [c.id] : [])),
      });
    }
  }
  return tasks;
}

export type TaskLookup = { found: BoardTask } | { refused: string };

/**
 * The one task with `id` under `board` (a board file, a v2 config or a
 * folder; the working folder when absent). A v2 config stands for its whole
 * board: the folder that holds it is searched.
 */
export function findTask(id: string, board: string | undefined, cwd: string): TaskLookup {
  const where = board ?? '.';
  const absolute = path.resolve(cwd, where);
  const searched = BOARD_FILE_NAMES.includes(path.basename(absolute)) && !isV1Board(absolute) ? path.dirname(absolute) : absolute;
  let tasks: BoardTask[];
  try {
    tasks = loadTasks([searched], cwd);
  } catch (error) {
    return { refused: (error as Error).message };
  }
  const matches = tasks.filter((t) => t.task.id === id);
  if (matches.length === 1) return { found: matches[0] };
  const shown = (t: BoardTask) => toPosix(path.relative(cwd, t.file) || t.file);
  if (!matches.length) {
    const ids = tasks.map((t) => t.task.id);
    const near = ids.filter((other) => other.toLowerCase() === id.toLowerCase() || other.replace(/\D+/g, '') === id.replace(/\D+/g, '')).slice(0, 5);
    return { refused: `No task "${id}" in ${where === '.' ? 'this folder' : where} (${ids.length} tasks searched).${near.length ? ` Did you mean ${near.join(', ')}?` : ''}` };
  }
  return { refused: `${id} is in ${matches.length} places: ${matches.map(shown).join(', ')}. Name one with --board.` };
}

/** A board file that keeps its tasks inside it (v1), as opposed to a v2 config. */
function isV1Board(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const analysis = analyzeRead(readContractFile(file));
    return analysis.kind === 'board' && analysis.version === 1;
  } catch {
    return false;
  }
}

/** The folder deliverables and commands are relative to. */
export function projectFolder(found: BoardTask): string {
  return projectFolderOf(found.analysis.path, found.analysis.kind);
}
