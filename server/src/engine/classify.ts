import { baseName } from '../../../shared/text';
import { compileGlobs, type GlobMatcher } from './glob';
import { scanFrontMatter } from './regions';

export type DocumentKind = 'board' | 'task' | 'deployment' | 'ledger' | 'none';

/** Files that are Brainfile boards wherever they are (and see isBoardFileName for the patterns). */
export const BOARD_FILE_NAMES = ['brainfile.md', '.brainfile.md', 'brainfile-archive.md'];
/** The board files that own the `board/` and `logs/` task folders beside them (an archive owns none). */
export const BOARD_CONFIG_NAMES = ['brainfile.md', '.brainfile.md'];
/** Names that say "deployment contract": glassops' own output, and the conventions for others. */
export const DEFAULT_DEPLOYMENT_GLOBS = ['**/glassops-contract.json', '**/*deployment-contract*.json', '**/*.deployment.json'];
/** A `$schema` that names our deployment schema makes any JSON a deployment contract. */
const DEPLOYMENT_SCHEMA_REF = /"\$schema"\s*:\s*"[^"]*deployment-contract(\.schema)?\.json"/;
/** A top-level key of a deployment contract, near the start of the file. */
const DEPLOYMENT_KEY = /"(meta|quality|audit)"\s*:/;

/**
 * Board files as `@brainfile/core` finds them: `brainfile.md`, `.brainfile.md`,
 * `brainfile-archive.md`, and any `brainfile.*.md` or `*.bb.md`
 * (`brainfile.board.md`, `brainfile.board-archive.md`, `sprint.bb.md`).
 */
export function isBoardFileName(name: string): boolean {
  return BOARD_FILE_NAMES.includes(name) || /^brainfile\.[^/]+\.md$/.test(name) || /^[^/]+\.bb\.md$/.test(name);
}

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

/**
 * Decides what a file is by its path, and for JSON by its content: a
 * deployment contract's name, a `$schema` naming ours, or, inside `.glassops/`
 * (which also holds policies, permits and SARIF reports), top-level keys of one.
 */
export function classifyDocument(path: string, text: string | undefined, options: ClassifyOptions = {}): DocumentKind {
  const posix = toPosix(path);
  const name = baseName(posix);
  if (isBoardFileName(name)) return 'board';
  const folder = dirName(posix);
  if (name.endsWith('.md')) {
    if (isTaskFolderName(folder) && (options.isTaskFolder ?? isDotBrainfileTaskFolder)(folder)) return 'task';
    return 'none';
  }
  if (name === 'ledger.jsonl') return baseName(folder) === 'logs' && (options.isTaskFolder ?? isDotBrainfileTaskFolder)(folder) ? 'ledger' : 'none';
  if (name.endsWith('.json')) {
    if (name.endsWith('.sarif.json')) return 'none';
    const globs = [...DEFAULT_DEPLOYMENT_GLOBS, ...(options.deploymentGlobs ?? [])];
    // Match the absolute path and each tail of it, so `**/x/*.json` works whatever the root.
    const segments = posix.split('/').filter((s) => s && s !== '.' && s !== '..');
    const candidates = [posix, ...segments.map((_, i) => segments.slice(i).join('/'))];
    const matches = globMatcher(globs);
    if (candidates.some((candidate) => matches(candidate))) return 'deployment';
    if (text === undefined) return 'none';
    const head = text.slice(0, 4096);
    if (DEPLOYMENT_SCHEMA_REF.test(head)) return 'deployment';
    if (baseName(folder) === '.glassops' && looksLikeDeployment(head)) return 'deployment';
  }
  return 'none';
}

function looksLikeDeployment(head: string): boolean {
  return /^\s*\{/.test(head) && DEPLOYMENT_KEY.test(head);
}

/**
 * What a file named on the command line is, whatever its name: its path
 * decides first, then its content (a front matter with columns or a Brainfile
 * schema is a board; one with an id and a title a task; JSON with a deployment
 * contract's top-level keys a contract; JSON lines of completed tasks a ledger).
 */
export function classifyByContent(path: string, text: string, options: ClassifyOptions = {}): DocumentKind {
  const byPath = classifyDocument(path, text, options);
  if (byPath !== 'none') return byPath;
  const head = text.slice(0, 64 * 1024).replace(/^\uFEFF/, '');
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{')) {
    const firstLine = trimmed.split(/\r?\n/, 1)[0];
    if (/"completedAt"\s*:/.test(firstLine) && /"filesChanged"\s*:/.test(firstLine) && /\}\s*$/.test(firstLine)) return 'ledger';
    return DEPLOYMENT_KEY.test(head) ? 'deployment' : 'none';
  }
  const scan = scanFrontMatter(head);
  const yaml = scan.region ? head.slice(scan.region.content.start, scan.region.content.end) : scan.unclosed ? head.slice(scan.unclosed.end) : '';
  if (/^columns[ \t]*:/m.test(yaml) || /^schema[ \t]*:.*brainfile/m.test(yaml)) return 'board';
  if (/^id[ \t]*:/m.test(yaml) && /^title[ \t]*:/m.test(yaml)) return 'task';
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
  return kind === 'task' || kind === 'ledger' ? dirName(folder) : folder;
}
