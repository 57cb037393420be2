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
