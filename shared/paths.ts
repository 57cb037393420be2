/**
 * Whether a path lies inside a folder, by path segments: `..foo/x` is inside,
 * `../x` is not. Both must be absolute and already resolved (symbolic links
 * followed) by the caller, so a link out of the folder counts as outside.
 * Shared by the server (document links) and the client (deliverable checks).
 */
export function isInsideFolder(child: string, folder: string): boolean {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const c = norm(child);
  const f = norm(folder);
  const caseless = /^[a-z]:/i.test(f);
  const [a, b] = caseless ? [c.toLowerCase(), f.toLowerCase()] : [c, f];
  return a === b || a.startsWith(b === '' ? '/' : b + '/');
}
