import type { DocumentAnalysis } from '../engine/analyze';
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
  /** Every task of the board the document belongs to: the file itself for v1, all task files for v2. */
  boardTasks(analysis: DocumentAnalysis): TaskRef[];
  /** The columns of the board a document belongs to (a v2 task file's config). */
  boardColumns(analysis: DocumentAnalysis): Array<{ id?: string; title?: string }>;
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
