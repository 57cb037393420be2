import type { TextEdit } from 'vscode-languageserver';
import type { CompleteParams, CompleteResult } from '../../shared/agents';
import { analyzeDocument } from './engine/analyze';
import { completedAtEdits, completesOnApprove, ledgerRecord } from './engine/completion';
import { scanFrontMatter } from './engine/regions';
import { applyEdits } from './engine/yamlEdit';
import { toRange } from './features/convert';
import type { Workspace } from './workspace';

/** `contracts/complete`: the completion of an approved v2 task, for the client to apply as one WorkspaceEdit. */
export function handleComplete(workspace: Workspace, params: CompleteParams): CompleteResult {
  const analysis = workspace.analysisFor(params.uri);
  if (!analysis || !completesOnApprove(analysis)) return { applies: false };
  const version = workspace.documentVersion(params.uri);
  if (params.version !== undefined && params.version !== version) return { applies: true, refused: `The document changed since the approve (version ${params.version}, now ${version ?? 'not open'}).` };
  const task = analysis.task;
  if (!task || task.id !== params.taskId) return { applies: true, refused: `No task "${params.taskId}" in this file.` };
  if (task.contract?.status !== 'done') return { applies: true, refused: `${params.taskId} is ${task.contract?.status ?? 'without a status'}, not done; only an approved task is completed.` };
  const edits = completedAtEdits(analysis, task, params.now);
  if (typeof edits === 'string') return { applies: true, refused: `Cannot complete ${params.taskId}: ${edits}.` };
  const text = applyEdits(analysis.text, edits);
  const completed = analyzeDocument(analysis.path, text).task ?? task;
  const record = ledgerRecord(completed, text.slice(scanFrontMatter(text).bodyStart), params.now);
  const lspEdits: TextEdit[] = edits.map((e) => ({ range: toRange(analysis.lines, e.range), newText: e.newText }));
  const slash = params.uri.lastIndexOf('/');
  const boardFolder = params.uri.slice(0, slash);
  const logs = boardFolder.replace(/\/board$/, '/logs');
  return {
    applies: true,
    edit: { documentChanges: [{ textDocument: { uri: params.uri, version: version ?? null }, edits: lspEdits }] },
    targetUri: `${logs}${params.uri.slice(slash)}`,
    ledgerUri: `${logs}/ledger.jsonl`,
    ledgerLine: JSON.stringify(record),
  };
}
