import type { NextTaskCandidate, NextTaskResult } from '../../shared/protocol';
import type { DocumentAnalysis } from './engine/analyze';
import { pickNextTask } from './engine/nextTask';
import { boardTasks, type FeatureContext, type TaskRef } from './features/featureContext';

/** Claim Next over every board of the workspace: v1 board files, and v2 boards by their project folder. */
export function handleNextTask(context: FeatureContext): NextTaskResult {
  const boards: Array<{ tasks: TaskRef[] }> = [];
  const seenV2 = new Set<string>();
  const analyses = [...context.allAnalyses()].sort((a, b) => a.path.localeCompare(b.path));
  for (const analysis of analyses) {
    if (analysis.skipped) continue;
    if (analysis.kind === 'board' && analysis.version === 1) boards.push({ tasks: boardTasks(context, analysis) });
    else if (analysis.kind === 'task' && !seenV2.has(context.projectFolder(analysis))) {
      seenV2.add(context.projectFolder(analysis));
      boards.push({ tasks: boardTasks(context, analysis).sort(byPath) });
    }
  }
  const choice = pickNextTask(boards);
  return {
    task: choice.pick && candidate(choice.pick, context),
    skipped: choice.skipped.map((s) => ({ ...candidate(s.task, context), reason: s.reason })),
  };
}

function byPath(a: { analysis: DocumentAnalysis }, b: { analysis: DocumentAnalysis }): number {
  return a.analysis.path.localeCompare(b.analysis.path, undefined, { numeric: true });
}

function candidate(ref: TaskRef, context: FeatureContext): NextTaskCandidate {
  const out: NextTaskCandidate = { uri: ref.uri, taskId: ref.task.id!, title: ref.task.title ?? '' };
  const version = context.documentVersion(ref.uri);
  if (version !== undefined) out.documentVersion = version;
  return out;
}
