import { existsSync, readdirSync, realpathSync, type Dirent } from 'node:fs';
import { opendir } from 'node:fs/promises';
import path from 'node:path';

/** Folders never worth walking: dependencies, VCS data, build output caches. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', '.vscode-test', '.cache']);
const MAX_WALK_ENTRIES = 200_000;

/**
 * Walks a folder tree without following symbolic links to folders (so a link
 * loop cannot trap it), yielding to the event loop between folders so the
 * server keeps answering requests while it indexes.
 */
export async function walkFiles(root: string, visit: (file: string) => Promise<void> | void, shouldStop: () => boolean = () => false): Promise<void> {
  const pending = [root];
  let seen = 0;
  while (pending.length && !shouldStop()) {
    const folder = pending.pop()!;
    let dir;
    try {
      dir = await opendir(folder);
    } catch {
      continue;
    }
    for await (const entry of dir) {
      if (++seen > MAX_WALK_ENTRIES || shouldStop()) break;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(full);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        await visit(full);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const LIST_DEPTH = 6;
const LIST_LIMIT = 3000;
const LIST_TTL_MS = 3000;
const listCache = new Map<string, { at: number; paths: string[] }>();

/**
 * Relative paths under a folder (folders end with `/`), bounded in depth and
 * count, cached briefly: completion asks on every keystroke.
 */
export function listRelativePaths(folder: string): string[] {
  const cached = listCache.get(folder);
  if (cached && Date.now() - cached.at < LIST_TTL_MS) return cached.paths;
  const paths: string[] = [];
  const walk = (dir: string, prefix: string, depth: number) => {
    if (depth > LIST_DEPTH || paths.length >= LIST_LIMIT) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (paths.length >= LIST_LIMIT) return;
      if (entry.isDirectory()) {
        if (SKIPPED_FOLDERS.has(entry.name)) continue;
        paths.push(`${prefix}${entry.name}/`);
        walk(path.join(dir, entry.name), `${prefix}${entry.name}/`, depth + 1);
      } else {
        paths.push(`${prefix}${entry.name}`);
      }
    }
  };
  walk(folder, '', 0);
  paths.sort();
  listCache.set(folder, { at: Date.now(), paths });
  return paths;
}

const existsCache = new Map<string, { at: number; exists: boolean }>();

export function pathExistsCached(file: string): boolean {
  const cached = existsCache.get(file);
  if (cached && Date.now() - cached.at < LIST_TTL_MS) return cached.exists;
  const exists = existsSync(file);
  existsCache.set(file, { at: Date.now(), exists });
  return exists;
}

const realPathCache = new Map<string, { at: number; real: string | undefined }>();

/** The path with symbolic links resolved (undefined when missing), cached briefly like `pathExistsCached`. */
export function realPathCached(file: string): string | undefined {
  const cached = realPathCache.get(file);
  if (cached && Date.now() - cached.at < LIST_TTL_MS) return cached.real;
  let real: string | undefined;
  try {
    real = realpathSync.native(file);
  } catch {
    real = undefined;
  }
  if (realPathCache.size > 10_000) realPathCache.clear();
  realPathCache.set(file, { at: Date.now(), real });
  return real;
}

/** Forget cached listings, after the client reports file changes. */
export function clearFileCaches(): void {
  listCache.clear();
  existsCache.clear();
  realPathCache.clear();
}

/**
 * A `board/` or `logs/` folder holds v2 task files when its parent is
 * `.brainfile` or holds a board file.
 */
export function isTaskFolderOnDisk(folder: string): boolean {
  const parent = path.posix.dirname(folder.replace(/\\/g, '/'));
  if (path.posix.basename(parent) === '.brainfile') return true;
  return pathExistsCached(path.join(parent, 'brainfile.md')) || pathExistsCached(path.join(parent, '.brainfile.md'));
}
