import { BOARD_CONFIG_NAMES, classifyDocument, dirName, isTaskFolderName, toPosix, type ClassifyOptions, type DocumentKind } from './classify';

/**
 * How the engine sees a file system: passed in by the server, the CLI and the
 * tests (in memory), so the engine itself reads nothing. Every method answers
 * `undefined` for what cannot be read, and never throws.
 */
export interface FileAccess {
  /** A folder's entries, links not followed; undefined when it cannot be listed. */
  list(folder: string): FileEntry[] | undefined;
  /** What a path is once links are followed, and its size in bytes; undefined when missing. */
  stat(path: string): { kind: 'file' | 'folder' | 'other'; size: number } | undefined;
  /** The path with every link resolved, to visit each real folder once. */
  realPath(path: string): string | undefined;
  /** A file's text as UTF-8. */
  readText(path: string): string | undefined;
}

export interface FileEntry {
  name: string;
  kind: 'file' | 'folder' | 'link' | 'other';
}

/** Folders never worth walking: dependencies, VCS data, build output caches. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', '.vscode-test', '.cache']);

/**
 * Whether a folder holds v2 task files: a `board/` or `logs/` folder inside
 * `.brainfile/` or beside a board file (`brainfile.md`, `.brainfile.md`).
 */
export function isTaskFolder(folder: string, files: Pick<FileAccess, 'stat'>): boolean {
  if (!isTaskFolderName(folder)) return false;
  const home = dirName(folder);
  if (/(^|\/)\.brainfile$/.test(home)) return true;
  return BOARD_CONFIG_NAMES.some((name) => files.stat(`${home}/${name}`)?.kind === 'file');
}

/** Classification options whose task-folder test asks `files`. */
export function classifyOptionsFor(files: Pick<FileAccess, 'stat'>, options: ClassifyOptions = {}): ClassifyOptions {
  return { ...options, isTaskFolder: (folder) => isTaskFolder(folder, files) };
}

/** Whether a path may hold a contract: a board or task file by its path, or any JSON (its `$schema` decides). */
export function mayBeContractFile(path: string, options: ClassifyOptions): boolean {
  return classifyDocument(path, undefined, options) !== 'none' || path.toLowerCase().endsWith('.json');
}

export interface WalkOptions extends ClassifyOptions {
  /** Follow links to folders (each real folder once, so a loop cannot trap the walk). Off: links are yielded as files. */
  followLinks?: boolean;
  /** Stop after this many entries. */
  maxEntries?: number;
  shouldStop?: () => boolean;
}

/**
 * The files under `root` that may hold contracts, skipping `SKIPPED_FOLDERS`.
 * A generator, so a caller can yield to its event loop between files.
 */
export function* contractFileCandidates(root: string, files: FileAccess, options: WalkOptions = {}): Generator<string> {
  const classify = { ...options, isTaskFolder: options.isTaskFolder ?? ((folder: string) => isTaskFolder(folder, files)) };
  const seen = new Set<string>();
  const pending = [toPosix(root).replace(/(.)\/+$/, '$1')];
  const maxEntries = options.maxEntries ?? Infinity;
  let entries = 0;
  while (pending.length && !options.shouldStop?.()) {
    const folder = pending.pop()!;
    if (options.followLinks) {
      const real = files.realPath(folder);
      if (real === undefined || seen.has(real)) continue;
      seen.add(real);
    }
    for (const entry of files.list(folder) ?? []) {
      if (++entries > maxEntries || options.shouldStop?.()) return;
      const full = folder === '/' ? `/${entry.name}` : `${folder}/${entry.name}`;
      let kind = entry.kind;
      if (kind === 'link' && options.followLinks) kind = files.stat(full)?.kind ?? 'other';
      if (kind === 'folder') {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(full);
      } else if ((kind === 'file' || kind === 'link') && mayBeContractFile(full, classify)) {
        yield full;
      }
    }
  }
}

/** The board file, every v2 task file and the ledger of the board whose home (the folder holding `board/` and `logs/`) is given. */
export function boardMemberPaths(home: string, files: FileAccess): string[] {
  const members = BOARD_CONFIG_NAMES.map((name) => `${home}/${name}`).filter((file) => files.stat(file)?.kind === 'file');
  for (const folder of ['board', 'logs']) {
    if (files.stat(`${home}/${folder}`)?.kind !== 'folder') continue;
    for (const entry of files.list(`${home}/${folder}`) ?? []) {
      const file = `${home}/${folder}/${entry.name}`;
      const member = entry.name.endsWith('.md') || (folder === 'logs' && entry.name === 'ledger.jsonl');
      if (member && files.stat(file)?.kind === 'file') members.push(file);
    }
  }
  return members;
}

/**
 * A file's text and kind when it is a contract file to index: a board, task,
 * ledger or deployment file by its path, or JSON whose `$schema` says so, of
 * at most `maxFileBytes` (a larger one is not indexed; an open one still gets
 * its notice). JSON is read only to look for the `$schema`.
 */
export function readContractFile(path: string, files: FileAccess, options: ClassifyOptions & { maxFileBytes: number }): { path: string; text: string; kind: DocumentKind } | undefined {
  const posix = toPosix(path);
  let kind = classifyDocument(posix, undefined, options);
  if (kind === 'none' && !posix.endsWith('.json')) return undefined;
  const info = files.stat(posix);
  if (info?.kind !== 'file' || info.size > options.maxFileBytes) return undefined;
  const text = files.readText(posix);
  if (text === undefined) return undefined;
  if (kind === 'none') kind = classifyDocument(posix, text, options);
  return kind === 'none' ? undefined : { path: posix, text, kind };
}
