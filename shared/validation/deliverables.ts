import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { isInsideFolder } from '../paths';

/** Deliverable types whose `path` names a file or folder; others (design, research…) are not checked. */
export const PATH_DELIVERABLE_TYPES: readonly string[] = ['file', 'test', 'docs', 'refactor'];

export interface Deliverable {
  type?: string;
  path?: string;
  description?: string;
}

export interface DeliverableResult {
  /** Index in the contract's `deliverables` list. */
  index: number;
  type?: string;
  path: string;
  absolutePath: string;
  passed: boolean;
  /** Why it failed, in words for a person. */
  reason?: string;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Whether a deliverable names one path we can look for. A glob names none. */
export function isCheckableDeliverable<T extends Deliverable>(deliverable: T): deliverable is T & { path: string } {
  const { type, path: file } = deliverable;
  if (typeof file !== 'string' || file.trim() === '' || GLOB_CHARS.test(file)) return false;
  return type === undefined || PATH_DELIVERABLE_TYPES.includes(type);
}

/**
 * The folder deliverable paths are relative to: the folder above `.brainfile/`
 * for a v2 board, else the folder holding the board file. Mirrors the
 * server's `projectFolderOf`, which the client bundle cannot import cheaply.
 */
export function projectFolderOfBoard(boardFile: string): string {
  const parts = boardFile.split(/[\\/]/);
  const dot = parts.indexOf('.brainfile');
  if (dot >= 0) return parts.slice(0, dot).join(path.sep) || path.sep;
  return path.dirname(boardFile);
}

/** Checks that each file-like deliverable exists under `projectFolder`; a trailing `/` asks for a folder. */
export async function checkDeliverables(projectFolder: string, deliverables: readonly Deliverable[]): Promise<DeliverableResult[]> {
  const results: DeliverableResult[] = [];
  for (const [index, deliverable] of deliverables.entries()) {
    if (!isCheckableDeliverable(deliverable)) continue;
    const wanted = deliverable.path.trim();
    const absolutePath = path.resolve(projectFolder, wanted);
    const base: Omit<DeliverableResult, 'passed'> = { index, type: deliverable.type, path: wanted, absolutePath };
    if (!isInsideFolder(absolutePath, projectFolder)) {
      results.push({ ...base, passed: false, reason: `${wanted} is outside the project folder` });
      continue;
    }
    // Symbolic links resolved: a link out of the project is outside it, however it is spelled.
    const real = await realpath(absolutePath).catch(() => undefined);
    const realFolder = await realpath(projectFolder).catch(() => projectFolder);
    if (real !== undefined && !isInsideFolder(real, realFolder)) {
      results.push({ ...base, passed: false, reason: `${wanted} leads outside the project folder (a symbolic link)` });
      continue;
    }
    const found = real === undefined ? undefined : await stat(real).catch(() => undefined);
    const wantsFolder = /[\\/]$/.test(wanted);
    if (!found) results.push({ ...base, passed: false, reason: `${wanted} does not exist` });
    else if (wantsFolder && !found.isDirectory()) results.push({ ...base, passed: false, reason: `${wanted} is not a folder` });
    else results.push({ ...base, passed: true });
  }
  return results;
}

/**
 * Why a task's validation must not run where it would, or undefined when it
 * may: commands run and deliverables are checked only inside the workspace
 * folder that holds the task, and only when its board file is known.
 */
export function validationPlaceProblem(
  task: { id: string; boardMissing?: boolean },
  place: { boardFile: string; projectFolder: string; cwd: string; workspaceFolder?: string },
): string | undefined {
  if (task.boardMissing) {
    return `${task.id} has no board file (${place.boardFile} is missing), so it is not known which folder its commands belong to. Validation is refused; restore the board file first.`;
  }
  if (!place.workspaceFolder) return `${task.id} is not inside a workspace folder, so its validation commands do not run.`;
  for (const folder of [place.projectFolder, place.cwd]) {
    if (!isInsideFolder(folder, place.workspaceFolder)) {
      return `Validation of ${task.id} would run in ${folder}, outside the workspace folder ${place.workspaceFolder}, so it is refused.`;
    }
  }
  return undefined;
}
