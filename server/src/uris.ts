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

export function pathToUri(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path)) return path;
  return pathToFileURL(path).href;
}
