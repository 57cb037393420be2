import type { BriefParams, BriefResult } from '../../shared/agents';
import { pickupBrief } from './engine/brief';
import type { Workspace } from './workspace';

/** `contracts/brief`: the same pickup brief as `contracts show`, from the open buffer when there is one. */
export function handleBrief(workspace: Workspace, params: BriefParams): BriefResult {
  const analysis = workspace.analysisFor(params.uri);
  if (!analysis) return { refused: `${params.uri} is not a contract file the server knows.` };
  const tasks = analysis.task ? [analysis.task] : (analysis.board?.tasks ?? []).filter((t) => t.location !== 'fence');
  const matches = tasks.filter((t) => t.id === params.taskId);
  if (matches.length !== 1) return { refused: matches.length ? `${params.taskId} appears ${matches.length} times in this file.` : `No task "${params.taskId}" in this file.` };
  const config = analysis.kind === 'task' ? workspace.boards().boardOf(analysis)?.file : analysis;
  const root = workspace.projectFolder(analysis);
  const file = analysis.path.startsWith(root + '/') ? analysis.path.slice(root.length + 1) : analysis.path;
  return { markdown: pickupBrief(analysis, matches[0], { file, boardTitle: config?.board?.title }) };
}
