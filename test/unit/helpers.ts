import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import { BoardIndex } from '../../server/src/engine/boards';
import { dirName, projectFolderOf } from '../../server/src/engine/classify';
import { classifyOptionsFor, type FileAccess, type FileEntry } from '../../server/src/engine/files';
import type { FeatureContext } from '../../server/src/features/featureContext';

/** The repository root, from out/test/unit/ where the compiled tests run. */
export const repoRoot = path.resolve(__dirname, '../../..');
/** Sample boards and contracts the suites share (test/fixtures/examples; the demo workspace is examples/). */
export const sharedExamples = path.join(repoRoot, 'test', 'fixtures', 'examples');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

export const CURSOR = '<|>';

/** Removes the `<|>` marker from fixture text and returns where it was. */
export function withCursor(textWithCursor: string): { text: string; offset: number } {
  const offset = textWithCursor.indexOf(CURSOR);
  if (offset < 0) throw new Error('fixture has no <|> cursor marker');
  return { text: textWithCursor.slice(0, offset) + textWithCursor.slice(offset + CURSOR.length), offset };
}

/** The engine's FileAccess over in-memory files (absolute posix paths); folders are implied by the paths. */
export class MemoryFiles implements FileAccess {
  constructor(private readonly texts: Map<string, string>) {}

  paths(): string[] {
    return [...this.texts.keys()];
  }

  list(folder: string): FileEntry[] | undefined {
    const prefix = folder.endsWith('/') ? folder : folder + '/';
    const entries = new Map<string, FileEntry['kind']>();
    for (const file of this.texts.keys()) {
      if (!file.startsWith(prefix)) continue;
      const [name, ...rest] = file.slice(prefix.length).split('/');
      entries.set(name, rest.length ? 'folder' : 'file');
    }
    return entries.size ? [...entries].map(([name, kind]) => ({ name, kind })) : undefined;
  }

  stat(file: string): { kind: 'file' | 'folder'; size: number } | undefined {
    const text = this.texts.get(file);
    if (text !== undefined) return { kind: 'file', size: text.length };
    return this.list(file) ? { kind: 'folder', size: 0 } : undefined;
  }

  realPath(file: string): string | undefined {
    return this.stat(file) ? file : undefined;
  }

  readText(file: string): string | undefined {
    return this.texts.get(file);
  }
}

/**
 * An in-memory workspace: analyses of the given files (absolute posix paths)
 * plus extra paths that exist on "disk", behind the FeatureContext features
 * use, with boards from the engine's board model as the server has them.
 */
export class FixtureWorkspace implements FeatureContext {
  readonly analyses = new Map<string, DocumentAnalysis>();
  readonly files: MemoryFiles;

  constructor(
    files: Record<string, string>,
    extraPaths: string[] = [],
  ) {
    this.files = new MemoryFiles(new Map([...extraPaths.map((p): [string, string] => [p, '']), ...Object.entries(files)]));
    const options = classifyOptionsFor(this.files);
    for (const [file, text] of Object.entries(files)) this.analyses.set(file, analyzeDocument(file, text, options));
  }

  get(file: string): DocumentAnalysis {
    const analysis = this.analyses.get(file);
    if (!analysis) throw new Error(`no fixture ${file}`);
    return analysis;
  }

  /** The board model over the fixtures, built afresh: tests replace entries of `analyses`. */
  boards(): BoardIndex {
    return new BoardIndex(this.analyses.values());
  }

  /** Cross-file diagnostics of the v2 board a task file belongs to. */
  crossFileDiagnostics(file: string) {
    return this.boards().crossFileDiagnostics(this.get(file));
  }

  listPaths(folder: string): string[] {
    const prefix = folder.endsWith('/') ? folder : folder + '/';
    const out = new Set<string>();
    for (const file of this.files.paths()) {
      if (!file.startsWith(prefix)) continue;
      const relative = file.slice(prefix.length);
      const parts = relative.split('/');
      for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('/') + '/');
      out.add(relative);
    }
    return [...out].sort();
  }

  /** Fixture paths have no symbolic links: a path is its own real path when it exists. */
  realPath(absolutePath: string): string | undefined {
    const normalized = absolutePath.replace(/\/+$/, '');
    return this.files.stat(normalized) !== undefined ? normalized : undefined;
  }

  workspaceFolderOf(): string | undefined {
    return undefined;
  }

  projectFolder(analysis: DocumentAnalysis): string {
    return projectFolderOf(analysis.path, analysis.kind);
  }

  uriOf(file: string): string {
    return 'file://' + file;
  }

  allAnalyses(): DocumentAnalysis[] {
    return [...this.analyses.values()];
  }

  /** Versions of "open" documents, by uri; the rest are files on disk. */
  readonly openVersions = new Map<string, number>();

  documentVersion(uri: string): number | undefined {
    return this.openVersions.get(uri);
  }
}

/**
 * Times hostile input. The bounds are freeze guards (an exponential blow-up
 * takes minutes), set far above normal so a loaded CI machine never trips them;
 * speed itself is measured by `npm run bench`, not by tests.
 */
export function timed<T>(work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

export { dirName };

/**
 * Deep strict equality of two analyses, in linear time on 4 MB boards (where
 * `assert.deepStrictEqual` with the trees' parent links takes minutes): the
 * trees are walked in pairs first (the same classes, fields, offsets, keys
 * and parent links), then everything else, a node matching only its own
 * counterpart in the other tree.
 */
export function assertSameAnalysis(actual: DocumentAnalysis, expected: DocumentAnalysis, label: string): void {
  const counterpart = new Map<object, object>();
  const fail = (where: string, message: string) => {
    throw new Error(`${label}: ${where}: ${message}`);
  };
  const sameShape = (a: object, e: object, where: string) => {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(e)) fail(where, 'another class');
    const keys = Object.keys(e);
    if (Object.keys(a).join() !== keys.join()) fail(where, `fields ${Object.keys(a).join()} instead of ${keys.join()}`);
    return keys;
  };
  // The trees, in pairs: pre-order, so a node's parent has its counterpart already.
  if (actual.regions.length !== expected.regions.length) fail('regions', 'another count');
  const pairs: Array<[DataNodeLike, DataNodeLike, string]> = [];
  const merged: Array<[object, object, string]> = [];
  for (const [i, region] of expected.regions.entries()) {
    const root = actual.regions[i].root;
    if (!root !== !region.root) fail(`region ${i}`, 'a root on one side only');
    if (root && region.root) pairs.push([root as unknown as DataNodeLike, region.root as unknown as DataNodeLike, `region ${i}`]);
  }
  while (pairs.length) {
    const [a, e, where] = pairs.pop()!;
    for (const key of sameShape(a, e, where)) {
      const value = e[key];
      if (key === 'parent') {
        if (a.parent !== (value === undefined ? undefined : counterpart.get(value as object))) fail(where, 'another parent');
      } else if (key === 'properties' || key === 'items') {
        const list = value as DataNodeLike[];
        const other = a[key] as DataNodeLike[];
        if (!Array.isArray(other) || other.length !== list.length) fail(where, `another ${key} count`);
        list.forEach((child, index) => {
          const mine = other[index];
          if (key === 'items') return pairs.push([mine, child, `${where}[${index}]`]);
          for (const field of sameShape(mine, child, `${where}.${child.key}`)) if (field !== 'value' && !Object.is(mine[field], child[field])) fail(`${where}.${child.key}`, `another ${field}`);
          // A merged property's value is where it is written: compared there, and then as the same node.
          if (child.merged) merged.push([mine.value as object, child.value as object, `${where}.${child.key}`]);
          else pairs.push([mine.value as DataNodeLike, child.value as DataNodeLike, `${where}.${child.key}`]);
        });
      } else if (!Object.is(a[key], value)) fail(where, `another ${key}: ${String(a[key])} instead of ${String(value)}`);
    }
    counterpart.set(e, a);
  }
  for (const [a, e, where] of merged) if (counterpart.get(e) !== a) fail(where, 'another merged node');
  // Everything else, nodes by their counterparts.
  const compare = (a: unknown, e: unknown, where: string): void => {
    if (typeof e !== 'object' || e === null) {
      if (!Object.is(a, e)) fail(where, `${String(a)} instead of ${String(e)}`);
      return;
    }
    if (typeof a !== 'object' || a === null) return fail(where, `${String(a)} instead of an object`);
    const node = counterpart.get(e);
    if (node) {
      if (node !== a) fail(where, 'another node');
      return;
    }
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(e)) fail(where, 'another class');
    if (e instanceof Set) return compare([...(a as Set<unknown>)], [...e], where);
    if (ArrayBuffer.isView(e)) return compare(Array.from(a as Uint32Array), Array.from(e as Uint32Array), where);
    const keys = Object.keys(e);
    if (Object.keys(a).join() !== keys.join() && Object.keys(a).sort().join() !== keys.sort().join()) fail(where, `fields ${Object.keys(a).join()} instead of ${keys.join()}`);
    for (const key of keys) compare((a as Record<string, unknown>)[key], (e as Record<string, unknown>)[key], `${where}.${key}`);
  };
  compare(actual, expected, 'analysis');
}

type DataNodeLike = Record<string, unknown> & { parent?: object; key?: string | number; value?: unknown };
