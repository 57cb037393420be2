import { baseName } from '../../../shared/text';
import { compileGlobs, type GlobMatcher } from './glob';

export type DocumentKind = 'board' | 'task' | 'deployment' | 'none';

/** Files that are Brainfile boards wherever they are. */
export const BOARD_FILE_NAMES = ['brainfile.md', '.brainfile.md', 'brainfile-archive.md'];
/** The board files that own the `board/` and `logs/` task folders beside them (an archive owns none). */
export const BOARD_CONFIG_NAMES = ['brainfile.md', '.brainfile.md'];
export const DEFAULT_DEPLOYMENT_GLOBS = ['**/.glassops/*.json', '**/*deployment-contract*.json', '**/*.deployment.json'];
/** A `$schema` that names our deployment schema makes any JSON a deployment contract. */
const DEPLOYMENT_SCHEMA_REF = /"\$schema"\s*:\s*"[^"]*deployment-contract(\.schema)?\.json"/;

export interface ClassifyOptions {
  /** Globs added by the `contracts.deploymentGlobs` setting. */
  deploymentGlobs?: readonly string[];
  /**
   * Whether a folder holds v2 task files: a `board/` or `logs/` folder beside a
   * board file. The engine has no file system; callers that do answer this.
   */
  isTaskFolder?: (folderPath: string) => boolean;
}

const matcherCache = new Map<string, GlobMatcher>();

/** A linear-time matcher (see glob.ts): the globs may come from a repository's own settings. */
export function globMatcher(globs: readonly string[]): GlobMatcher {
  const key = globs.join('\0');
  let matcher = matcherCache.get(key);
  if (!matcher) {
    if (matcherCache.size > 32) matcherCache.clear();
    matcher = compileGlobs(globs);
    matcherCache.set(key, matcher);
  }
  return matcher;
}

export function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}

export function dirName(path: string): string {
  const posix = toPosix(path);
  const index = posix.lastIndexOf('/');
  return index <= 0 ? (index === 0 ? '/' : '.') : posix.slice(0, index);
}

export { baseName };

/** The default answer to "is this a v2 task folder": `.brainfile/board` or `.brainfile/logs`. */
export function isDotBrainfileTaskFolder(folderPath: string): boolean {
  const posix = toPosix(folderPath);
  return /(^|\/)\.brainfile\/(board|logs)$/.test(posix);
}

export function isTaskFolderName(folderPath: string): boolean {
  const name = baseName(folderPath);
  return name === 'board' || name === 'logs';
}

/** Decides what a file is by its path, and for JSON by its `$schema`. */
export function classifyDocument(path: string, text: string | undefined, options: ClassifyOptions = {}): DocumentKind {
  const posix = toPosix(path);
  const name = baseName(posix);
  if (BOARD_FILE_NAMES.includes(name)) return 'board';
  if (name.endsWith('.md')) {
    const folder = dirName(posix);
    if (isTaskFolderName(folder) && (options.isTaskFolder ?? isDotBrainfileTaskFolder)(folder)) return 'task';
    return 'none';
  }
  if (name.endsWith('.json')) {
    const globs = [...DEFAULT_DEPLOYMENT_GLOBS, ...(options.deploymentGlobs ?? [])];
    // Match the absolute path and each tail of it, so `**/x/*.json` works whatever the root.
    const segments = posix.split('/').filter((s) => s && s !== '.' && s !== '..');
    const candidates = [posix, ...segments.map((_, i) => segments.slice(i).join('/'))];
    const matches = globMatcher(globs);
    if (candidates.some((candidate) => matches(candidate))) return 'deployment';
    if (text !== undefined && DEPLOYMENT_SCHEMA_REF.test(text.slice(0, 4096))) return 'deployment';
  }
  return 'none';
}

/**
 * The folder that a board's deliverable paths are relative to: the folder
 * holding `.brainfile/` for files inside it, else the folder holding the board
 * file (for a v2 task file, the folder holding its `board/` or `logs/`).
 */
export function projectFolderOf(path: string, kind: DocumentKind): string {
  const posix = toPosix(path);
  const dotBrainfile = /^(.*?)\/\.brainfile(\/|$)/.exec(posix);
  if (dotBrainfile) return dotBrainfile[1] || '/';
  const folder = dirName(posix);
  return kind === 'task' ? dirName(folder) : folder;
}
