import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument, checkV2Board, type DocumentAnalysis } from '../../server/src/engine/analyze';
import { dirName, projectFolderOf } from '../../server/src/engine/classify';
import type { FeatureContext, TaskRef } from '../../server/src/features/featureContext';

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

/**
 * An in-memory workspace: analyses of the given files (absolute posix paths)
 * plus extra paths that exist on "disk", behind the FeatureContext features use.
 */
export class FixtureWorkspace implements FeatureContext {
  readonly analyses = new Map<string, DocumentAnalysis>();

  constructor(
    files: Record<string, string>,
    private readonly extraPaths: string[] = [],
  ) {
    for (const [file, text] of Object.entries(files)) this.analyses.set(file, analyzeDocument(file, text));
  }

  get(file: string): DocumentAnalysis {
    const analysis = this.analyses.get(file);
    if (!analysis) throw new Error(`no fixture ${file}`);
    return analysis;
  }

  private allPaths(): string[] {
    return [...this.analyses.keys(), ...this.extraPaths];
  }

  boardTasks(analysis: DocumentAnalysis): TaskRef[] {
    if (analysis.kind === 'board' && analysis.version === 1) {
      return (analysis.board?.tasks ?? []).map((task) => ({ uri: this.uriOf(analysis.path), task, analysis }));
    }
    const root = projectFolderOf(analysis.path, analysis.kind);
    return [...this.analyses.values()]
      .filter((a) => a.kind === 'task' && a.task && projectFolderOf(a.path, a.kind) === root)
      .map((a) => ({ uri: this.uriOf(a.path), task: a.task!, analysis: a }));
  }

  boardColumns(analysis: DocumentAnalysis): Array<{ id?: string; title?: string }> {
    if (analysis.board) return analysis.board.columns;
    const root = projectFolderOf(analysis.path, analysis.kind);
    const config = [...this.analyses.values()].find((a) => a.kind === 'board' && projectFolderOf(a.path, a.kind) === root);
    return config?.board?.columns ?? [];
  }

  /** Cross-file diagnostics of the v2 board a task file belongs to. */
  crossFileDiagnostics(file: string) {
    const root = projectFolderOf(file, 'task');
    const members = [...this.analyses.values()].filter((a) => projectFolderOf(a.path, a.kind) === root);
    const config = members.find((a) => a.kind === 'board');
    return checkV2Board(config, members.filter((a) => a.kind === 'task')).get(file) ?? [];
  }

  listPaths(folder: string): string[] {
    const prefix = folder.endsWith('/') ? folder : folder + '/';
    const out = new Set<string>();
    for (const file of this.allPaths()) {
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
    return this.allPaths().some((p) => p === normalized || p.startsWith(normalized + '/')) ? normalized : undefined;
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
