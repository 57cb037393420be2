import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isInsideFolder } from '../../shared/paths';

/**
 * File access for checking a repository someone else wrote (CI runs
 * `contracts check` on pull requests from strangers). Only regular files are
 * read, after a size check on the open file; symbolic links are followed only
 * when they resolve inside the folders being checked (unless allowed), never
 * into devices, FIFOs or sockets; whatever cannot be read is recorded as a
 * problem, and nothing throws. The shape matches the engine's file access
 * (list, stat, realPath, readText), plus `read` for the size verdict.
 */

export interface SafeFilesOptions {
  /** Folders the check may read in: a link is followed only when it resolves inside one of them. */
  roots: string[];
  /** Files larger than this are not read (`--max-size-kb`). */
  maxFileBytes: number;
  /** Follow links that resolve outside the roots too (`--follow-links-outside`). */
  followOutside?: boolean;
}

/**
 * Something that could not be read: the run goes on, and says so. A warning
 * means a file that should have been checked was not; a note only says what
 * was left alone (a link to a folder outside).
 */
export interface FileProblem {
  path: string;
  reason: string;
  severity: 'warning' | 'note';
}

export type EntryKind = 'file' | 'folder' | 'link' | 'other';

export interface SafeEntry {
  name: string;
  kind: EntryKind;
}

export type ReadResult = { text: string } | { tooLarge: number } | { problem: string };

/** Opening does not block on a FIFO, and a terminal does not become the process's. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
/** Bytes read per call: a file that grows while we read stops at the limit anyway. */
const CHUNK = 1024 * 1024;

export class SafeFiles {
  readonly problems: FileProblem[] = [];
  private readonly roots: string[];
  private readonly reported = new Set<string>();
  /** Real paths of the folders files were read from ('' for none): a check reads many files per folder. */
  private readonly realFolders = new Map<string, string>();

  constructor(private readonly options: SafeFilesOptions) {
    this.roots = options.roots.map((root) => realOrSelf(root));
  }

  /** Records a problem once per path and reason. */
  private problem(file: string, reason: string, severity: FileProblem['severity'] = 'warning'): void {
    const key = `${file}\0${reason}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems.push({ path: file, reason, severity });
  }

  /** Whether a real path lies inside the folders being checked (or anywhere, when allowed). */
  private allowed(real: string): boolean {
    return this.options.followOutside === true || this.roots.some((root) => isInsideFolder(real, root));
  }

  /**
   * A folder's entries, links not followed. Names that are not valid UTF-8
   * cannot be named back to the file system through a JS string: reported and skipped.
   */
  list(folder: string): SafeEntry[] | undefined {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      this.problem(folder, describeError(error, 'cannot be listed'));
      return undefined;
    }
    const out: SafeEntry[] = [];
    for (const entry of entries) {
      const raw = entry.name as unknown as Buffer;
      const name = raw.toString('utf8');
      if (!Buffer.from(name, 'utf8').equals(raw)) {
        this.problem(path.join(folder, name), 'its name is not valid UTF-8, so it was skipped');
        continue;
      }
      out.push({ name, kind: entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : entry.isSymbolicLink() ? 'link' : 'other' });
    }
    return out;
  }

  /**
   * What a path is, links followed only where allowed: a link out of the
   * folders checked, a device, FIFO or socket is `other`.
   */
  stat(file: string): { kind: 'file' | 'folder' | 'other'; size: number } | undefined {
    let own;
    try {
      own = lstatSync(file);
    } catch {
      return undefined;
    }
    if (own.isSymbolicLink()) {
      const real = this.realPath(file);
      if (real === undefined) return undefined; // dangling, or a loop
      if (!this.allowed(real)) return { kind: 'other', size: 0 };
      try {
        own = statSync(real);
      } catch {
        return undefined;
      }
    }
    if (own.isFile()) return { kind: 'file', size: own.size };
    if (own.isDirectory()) return { kind: 'folder', size: 0 };
    return { kind: 'other', size: 0 };
  }

  realPath(file: string): string | undefined {
    try {
      return realpathSync.native(file);
    } catch {
      return undefined;
    }
  }

  /** A file's text, or undefined (with a problem recorded, or too large). */
  readText(file: string): string | undefined {
    const result = this.read(file);
    return 'text' in result ? result.text : undefined;
  }

  /**
   * Reads a regular file inside the folders checked, no larger than the
   * limit. The checks are made on the opened file itself (fstat), so the path
   * cannot be swapped for a FIFO or a bigger file in between; opening does
   * not block on a FIFO.
   */
  read(file: string): ReadResult {
    const direct = this.throughRealFolder(file);
    if (direct !== undefined) return this.readOpen(file, direct);
    const real = this.realPath(file);
    if (real === undefined) return this.fail(file, describeLinkError(file));
    if (!this.allowed(real)) {
      return this.fail(file, real !== path.resolve(file) ? `it is a symbolic link to ${real}, outside the folder being checked, so it was not followed` : 'it is outside the folders being checked');
    }
    let fd: number;
    try {
      fd = openSync(real, OPEN_FLAGS);
    } catch (error) {
      return this.fail(file, describeError(error, 'cannot be read'));
    }
    return this.readOpen(file, fd);
  }

  /**
   * The file opened at its folder's real path (resolved once per folder) and its own name, when it is no
   * link (`O_NOFOLLOW`) and that path is inside the folders checked: one `open` instead of `realpath`,
   * which reads each component of the path (10 system calls a file in a check). Undefined otherwise (a
   * link, a missing file, a folder outside, no `O_NOFOLLOW` here): `read` then resolves the whole path,
   * and says what is wrong with it as before.
   */
  private throughRealFolder(file: string): number | undefined {
    if (constants.O_NOFOLLOW === undefined) return undefined;
    const resolved = path.resolve(file);
    const folder = path.dirname(resolved);
    let realFolder = this.realFolders.get(folder);
    if (realFolder === undefined) {
      realFolder = this.realPath(folder) ?? '';
      this.realFolders.set(folder, realFolder);
    }
    const real = realFolder && path.join(realFolder, path.basename(resolved));
    if (!real || !this.allowed(real)) return undefined;
    try {
      return openSync(real, OPEN_FLAGS | constants.O_NOFOLLOW);
    } catch {
      return undefined;
    }
  }

  /** Reads the open file `fd` (closing it), after checking on it what it is and how big. */
  private readOpen(file: string, fd: number): ReadResult {
    try {
      const info = fstatSync(fd);
      if (info.isDirectory()) return this.fail(file, 'it is a folder, not a file');
      if (!info.isFile()) return this.fail(file, `it is ${specialKind(info)}, not a regular file, so it was not read`);
      if (info.size > this.options.maxFileBytes) return { tooLarge: info.size };
      const limit = this.options.maxFileBytes;
      const buffer = Buffer.allocUnsafe(Math.min(info.size, limit) + 1);
      let length = 0;
      for (;;) {
        const want = Math.min(CHUNK, buffer.length - length);
        if (want === 0) break;
        const got = readSync(fd, buffer, length, want, length);
        if (got === 0) break;
        length += got;
      }
      // It grew past the limit since fstat: as if it had been that size.
      if (length > limit) return { tooLarge: length };
      return { text: buffer.subarray(0, length).toString('utf8') };
    } catch (error) {
      return this.fail(file, describeError(error, 'cannot be read'));
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Every entry under `root` that is not a folder (files, links to files,
   * FIFOs…: the caller picks by name, and `read` refuses what is not a
   * regular file inside), depth first, skipping `skip` folder names. Links to
   * folders are followed where allowed, each real folder once (a loop cannot
   * trap the walk); at most `maxEntries` entries.
   */
  walk(root: string, visit: (file: string) => void, skip: ReadonlySet<string>, maxEntries = 1_000_000): void {
    const seen = new Set<string>();
    const pending = [root];
    let entries = 0;
    while (pending.length) {
      const folder = pending.pop()!;
      const real = this.realPath(folder);
      if (real === undefined || seen.has(real)) continue;
      seen.add(real);
      for (const entry of this.list(folder) ?? []) {
        if (++entries > maxEntries) {
          this.problem(root, `it holds more than ${maxEntries} entries; the rest were not checked`);
          return;
        }
        const full = path.join(folder, entry.name);
        if (entry.kind === 'folder') {
          if (!skip.has(entry.name)) pending.push(full);
          continue;
        }
        if (entry.kind === 'link') {
          const target = this.realPath(full);
          // Dangling, a loop, or a target we may not look at: the caller decides by name whether `read` should say so.
          if (target === undefined) {
            visit(full);
            continue;
          }
          const isFolder = isFolderPath(target);
          if (isFolder && !this.allowed(target)) {
            this.problem(full, `it is a symbolic link to the folder ${target}, outside the folder being checked, so it was not followed`, 'note');
            continue;
          }
          if (isFolder) {
            if (!skip.has(entry.name)) pending.push(full);
            continue;
          }
        }
        visit(full);
      }
    }
  }

  private fail(file: string, reason: string): { problem: string } {
    this.problem(file, reason);
    return { problem: reason };
  }
}

/** Why a path has no real path: a broken link, a loop, or a folder on the way that may not be entered. */
function describeLinkError(file: string): string {
  try {
    realpathSync.native(file);
    return 'it cannot be read';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'it does not exist (or is a broken symbolic link)';
    return describeError(error, 'cannot be resolved');
  }
}

function isFolderPath(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function realOrSelf(folder: string): string {
  try {
    return realpathSync.native(folder);
  } catch {
    return path.resolve(folder);
  }
}

function specialKind(info: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** A short reason from a Node error: "permission denied (EACCES)". */
export function describeError(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'it does not exist',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of its path is not a folder',
    ELOOP: 'too many symbolic links (a loop)',
    EIO: 'an input/output error',
  };
  return code ? `it ${what}: ${words[code] ?? 'error'} (${code})` : `it ${what}`;
}
