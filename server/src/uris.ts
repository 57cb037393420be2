import { fileURLToPath, pathToFileURL } from 'node:url';

/** A file system path for a document uri; other schemes keep their uri as a stand-in path. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri).replace(/\\/g, '/');
    } catch {
      return uri;
    }
  }
  return uri;
}

/** Uris already made, by path: the listing names every task's file and board, and a `URL` each time cost a tenth of a 10,000-task listing. */
const uris = new Map<string, string>();
const MAX_CACHED_URIS = 100_000;

/**
 * An absolute POSIX path of segments that a file URL writes as they are (letters, digits, `.`, `_`, `-`; no `.` or
 * `..` segment to resolve, no empty one): its uri is the path after `file://`, which `pathToFileURL` takes 20 µs to say.
 */
const PLAIN_POSIX_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._-]+)+$/;
const posix = process.platform !== 'win32';

export function pathToUri(path: string): string {
  let uri = uris.get(path);
  if (uri === undefined) {
    if (posix && PLAIN_POSIX_PATH.test(path)) uri = `file://${path}`;
    else uri = /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? path : pathToFileURL(path).href;
    if (uris.size >= MAX_CACHED_URIS) uris.clear();
    uris.set(path, uri);
  }
  return uri;
}
