import type { DocumentAnalysis } from '../engine/analyze';
import type { BoardIndex } from '../engine/boards';
import type { TaskInfo } from '../engine/model';

/** A task together with the document it lives in. */
export interface TaskRef {
  uri: string;
  task: TaskInfo;
  analysis: DocumentAnalysis;
}

/**
 * What editor features may ask of the workspace. The server implements it over
 * its document cache and index; unit tests implement it over fixtures.
 */
export interface FeatureContext {
  /** The engine's board model over every current analysis: which files form which board. */
  boards(): BoardIndex;
  /** Relative paths of files and folders under `folder` (folders end with `/`), for path completion. */
  listPaths(folder: string): string[];
  /** The path with symbolic links resolved, or undefined when nothing exists there. */
  realPath(absolutePath: string): string | undefined;
  /** The workspace folder holding a file, or undefined when none does. */
  workspaceFolderOf(path: string): string | undefined;
  /** The folder that deliverable and relevant-file paths are relative to. */
  projectFolder(analysis: DocumentAnalysis): string;
  uriOf(path: string): string;
  /** Every analyzed contract document of the workspace, open ones in place of their disk copies. */
  allAnalyses(): DocumentAnalysis[];
  /** The version of an open document; undefined for a file only on disk. */
  documentVersion(uri: string): number | undefined;
}

/** Every task of the board the document belongs to (the file itself for v1, all task files for v2), with its file's uri. */
export function boardTasks(context: FeatureContext, analysis: DocumentAnalysis): TaskRef[] {
  return context
    .boards()
    .tasksOf(analysis)
    .map(({ task, analysis: file }) => ({ uri: context.uriOf(file.path), task, analysis: file }));
}
