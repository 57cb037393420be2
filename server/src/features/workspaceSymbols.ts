import { SymbolKind, type WorkspaceSymbol } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { baseName } from '../engine/classify';
import type { TaskInfo } from '../engine/model';
import { toRange } from './convert';
import type { FeatureContext } from './featureContext';
import { fuzzyScore } from './fuzzy';

/** Enough for any list a person scrolls; the client filters further as they type. */
export const MAX_WORKSPACE_SYMBOLS = 500;

/** Go to Symbol in Workspace: every board and every task (by id and title), fuzzy matched, best first. */
export function provideWorkspaceSymbols(query: string, context: FeatureContext): WorkspaceSymbol[] {
  const scored: Array<{ score: number; symbol: () => WorkspaceSymbol }> = [];
  const consider = (name: string, symbol: () => WorkspaceSymbol) => {
    const score = fuzzyScore(query, name);
    if (score !== undefined) scored.push({ score, symbol });
  };
  for (const analysis of context.allAnalyses()) {
    if (analysis.skipped) continue;
    if (analysis.kind === 'board' && analysis.board) {
      const title = analysis.board.title ?? baseName(analysis.path);
      consider(title, () => boardSymbol(analysis, title, context));
      for (const task of analysis.board.tasks) if (task.location !== 'fence') consider(taskName(task), () => taskSymbol(analysis, task, analysis.board?.title, context));
    } else if (analysis.kind === 'task' && analysis.task) {
      consider(taskName(analysis.task), () => taskSymbol(analysis, analysis.task!, undefined, context));
    }
  }
  // Symbols are built only for the ones returned.
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_WORKSPACE_SYMBOLS)
    .map((s) => s.symbol());
}

function taskName(task: TaskInfo): string {
  return [task.id, task.title].filter(Boolean).join(' ') || 'Task';
}

function boardSymbol(analysis: DocumentAnalysis, title: string, context: FeatureContext): WorkspaceSymbol {
  const titleNode = analysis.board?.root?.type === 'object' ? analysis.board.root.properties.find((p) => p.key === 'title')?.value : undefined;
  const range = titleNode?.range ?? { start: 0, end: 0 };
  return { name: title, kind: SymbolKind.Module, containerName: `Brainfile v${analysis.version ?? 1} board`, location: { uri: context.uriOf(analysis.path), range: toRange(analysis.lines, range) } };
}

function taskSymbol(analysis: DocumentAnalysis, task: TaskInfo, boardTitle: string | undefined, context: FeatureContext): WorkspaceSymbol {
  const range = (task.idNode ?? task.node).range;
  const container = [boardTitle, task.columnId, task.contract?.status].filter(Boolean).join(' · ');
  return { name: taskName(task), kind: SymbolKind.Object, containerName: container || undefined, location: { uri: context.uriOf(analysis.path), range: toRange(analysis.lines, range) } };
}
