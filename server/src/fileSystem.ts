import { existsSync, readdirSync, realpathSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { SKIPPED_FOLDERS } from './engine/files';

/** Path completion and document links ask often: short-lived caches of listings and existence. */

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
