import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { FileAccess, FileEntry } from './engine/files';

/** The engine's `FileAccess` over Node's file system, for the server and the CLI. */
export const nodeFiles: FileAccess = {
  list(folder) {
    try {
      return readdirSync(folder, { withFileTypes: true }).map(
        (entry): FileEntry => ({ name: entry.name, kind: entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : entry.isSymbolicLink() ? 'link' : 'other' }),
      );
    } catch {
      return undefined;
    }
  },
  stat(path) {
    try {
      const info = statSync(path);
      return { kind: info.isFile() ? 'file' : info.isDirectory() ? 'folder' : 'other', size: info.size };
    } catch {
      return undefined; // missing, a dangling link, or a link loop (ELOOP)
    }
  },
  realPath(path) {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  },
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};
