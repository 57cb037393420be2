import { SymbolKind, type WorkspaceSymbol } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { baseName } from '../engine/classify';
import type { TaskInfo } from '../engine/model';
import { toRange } from './convert';
import type { FeatureContext } from './featureContext';
import { fuzzyScore, normalizeQuery } from './fuzzy';

/** Enough for any list a person scrolls; the client filters further as they type. */
export const MAX_WORKSPACE_SYMBOLS = 500;

interface Candidate {
  score: number;
  analysis: DocumentAnalysis;
  /** Undefined for the board itself. */
  task?: TaskInfo;
}

/**
 * Lowercased names, computed once per analysis: an analysis never changes
 * (an edit makes a new one), so a query over 10,000 tasks only compares strings.
 */
const namesCache = new WeakMap<DocumentAnalysis, Array<{ lower: string; task?: TaskInfo }>>();

function namesOf(analysis: DocumentAnalysis): Array<{ lower: string; task?: TaskInfo }> {
  let names = namesCache.get(analysis);
  if (!names) {
    names = [];
    if (analysis.kind === 'board' && analysis.board) {
      names.push({ lower: boardTitle(analysis).toLowerCase() });
      for (const task of analysis.board.tasks) if (task.location !== 'fence') names.push({ lower: taskName(task).toLowerCase(), task });
    } else if (analysis.kind === 'task' && analysis.task) {
      names.push({ lower: taskName(analysis.task).toLowerCase(), task: analysis.task });
    }
    namesCache.set(analysis, names);
  }
  return names;
}

/** Go to Symbol in Workspace: every board and every task (by id and title), fuzzy matched, best first. */
export function provideWorkspaceSymbols(query: string, context: FeatureContext): WorkspaceSymbol[] {
  const lowerQuery = normalizeQuery(query);
  const matches: Candidate[] = [];
  for (const analysis of context.allAnalyses()) {
    if (analysis.skipped) continue;
    for (const { lower, task } of namesOf(analysis)) {
      const score = fuzzyScore(lowerQuery, lower);
      if (score !== undefined) matches.push({ score, analysis, task });
    }
  }
  // Symbols are built only for the ones returned.
  if (lowerQuery) matches.sort((a, b) => b.score - a.score);
  return matches.slice(0, MAX_WORKSPACE_SYMBOLS).map((m) => (m.task ? taskSymbol(m.analysis, m.task, context) : boardSymbol(m.analysis, context)));
}

function boardTitle(analysis: DocumentAnalysis): string {
  return analysis.board?.title ?? baseName(analysis.path);
}

function taskName(task: TaskInfo): string {
  return [task.id, task.title].filter(Boolean).join(' ') || 'Task';
}

function boardSymbol(analysis: DocumentAnalysis, context: FeatureContext): WorkspaceSymbol {
  const titleNode = analysis.board?.root?.type === 'object' ? analysis.board.root.properties.find((p) => p.key === 'title')?.value : undefined;
  const range = titleNode?.range ?? { start: 0, end: 0 };
  return { name: boardTitle(analysis), kind: SymbolKind.Module, containerName: `Brainfile v${analysis.version ?? 1} board`, location: { uri: context.uriOf(analysis.path), range: toRange(analysis.lines, range) } };
}

function taskSymbol(analysis: DocumentAnalysis, task: TaskInfo, context: FeatureContext): WorkspaceSymbol {
  const range = (task.idNode ?? task.node).range;
  const boardTitle = analysis.kind === 'board' ? analysis.board?.title : undefined;
  const container = [boardTitle, task.columnId, task.contract?.status].filter(Boolean).join(' · ');
  const symbol: WorkspaceSymbol = { name: taskName(task), kind: SymbolKind.Object, location: { uri: context.uriOf(analysis.path), range: toRange(analysis.lines, range) } };
  if (container) symbol.containerName = container;
  return symbol;
}
