import type { DeploymentSummary, TaskSummary } from '../../shared/protocol';
import type { DocumentAnalysis } from './engine/analyze';
import type { BoardIndex } from './engine/boards';
import { getString, getValue, type DataNode } from './engine/dataNode';
import { isContractStatus } from '../../shared/lifecycle';
import type { TaskInfo } from './engine/model';
import { toRange } from './features/convert';
import type { Workspace } from './workspace';

/** The last listing, per board model: the model is rebuilt after every change, so an unchanged one lists the same. */
const listed = new WeakMap<BoardIndex, TaskSummary[]>();

/**
 * The tree's view of every task in the workspace: one pass over the board
 * model (linear in the number of tasks), kept until the model changes: the
 * client asks again after every change notification, and while a big
 * document is analyzed nothing changes.
 */
export function summarizeTasks(workspace: Workspace): TaskSummary[] {
  const boards = workspace.boards();
  let tasks = listed.get(boards);
  if (!tasks) listed.set(boards, (tasks = listTasks(workspace, boards)));
  return tasks;
}

function listTasks(workspace: Workspace, boards: BoardIndex): TaskSummary[] {
  const tasks: TaskSummary[] = [];
  for (const board of boards.boards) {
    if (board.version === 1 && board.file?.board) {
      const analysis = board.file;
      const boardUri = workspace.uriOf(analysis.path);
      for (const task of analysis.board!.tasks) {
        if (task.location === 'fence') continue; // examples in the notes, not board tasks
        const summary = summarizeTask(workspace, analysis, task, analysis.board!.title ?? boardUri, boardUri);
        if (summary) tasks.push(summary);
      }
    }
    for (const analysis of board.taskFiles) {
      if (!analysis.task) continue;
      const config = board.file;
      // Without its board file, name the file that should be there (`board/x.md` → `brainfile.md` beside `board/`),
      // never a folder: the client finds the project folder from this uri.
      const boardUri = workspace.uriOf(config ? config.path : `${board.home}/brainfile.md`);
      const summary = summarizeTask(workspace, analysis, analysis.task, config?.board?.title ?? workspace.projectFolder(analysis), boardUri);
      if (summary && !config) summary.boardMissing = true;
      if (summary) tasks.push(summary);
    }
  }
  return tasks;
}

function summarizeTask(workspace: Workspace, analysis: DocumentAnalysis, task: TaskInfo, boardTitle: string, boardUri: string): TaskSummary | undefined {
  if (task.id === undefined || !task.idNode) return undefined;
  const uri = workspace.uriOf(analysis.path);
  const status = task.contract?.status;
  const summary: TaskSummary = {
    uri,
    documentVersion: workspace.documentVersion(uri),
    id: task.id,
    title: task.title ?? '',
    hasContract: task.contractNode !== undefined && task.contractNode.type !== 'null',
    boardTitle,
    boardUri,
    version: analysis.version ?? 1,
    location: task.location,
    range: toRange(analysis.lines, task.node.range),
    idRange: toRange(analysis.lines, task.idNode.range),
    deliverables: (task.contract?.deliverables ?? []).map(({ type, path, description }) => ({ type, path, description })),
    commands: task.contract?.commands ?? [],
    constraints: task.contract?.constraints ?? [],
  };
  if (isContractStatus(status)) summary.status = status;
  else if (status !== undefined) summary.invalidStatus = status;
  if (task.assignee) summary.assignee = task.assignee;
  if (task.priority) summary.priority = task.priority;
  if (task.columnId) summary.column = task.columnId;
  const feedback = task.contract ? getString(task.contract.node, 'feedback') : undefined;
  if (feedback) summary.feedback = feedback;
  return summary;
}

/** The Deployments view's rows. */
export function summarizeDeployments(workspace: Workspace): DeploymentSummary[] {
  return workspace
    .allAnalyses()
    .filter((a) => a.kind === 'deployment')
    .map((analysis) => {
      const root = analysis.deployment;
      const uri = workspace.uriOf(analysis.path);
      const quality = getValue(root, 'quality');
      const num = (node: DataNode | undefined) => (node?.type === 'number' ? (node.value as number) : undefined);
      const bool = (node: DataNode | undefined) => (node?.type === 'boolean' ? (node.value as boolean) : undefined);
      const coverage = getValue(quality, 'coverage');
      const tests = getValue(quality, 'tests');
      return {
        uri,
        documentVersion: workspace.documentVersion(uri),
        status: getString(root, 'status'),
        repository: getString(getValue(root, 'audit'), 'repository'),
        commit: getString(getValue(root, 'audit'), 'commit'),
        timestamp: getString(getValue(root, 'meta'), 'timestamp'),
        engine: getString(getValue(root, 'meta'), 'engine'),
        coverage: coverage ? { actual: num(getValue(coverage, 'actual')), required: num(getValue(coverage, 'required')), met: bool(getValue(coverage, 'met')) } : undefined,
        tests: tests ? { total: num(getValue(tests, 'total')), passed: num(getValue(tests, 'passed')), failed: num(getValue(tests, 'failed')) } : undefined,
        errorCount: analysis.diagnostics.filter((d) => d.severity === 'error').length,
      };
    });
}
