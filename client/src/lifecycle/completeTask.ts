import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompleteRequest, type CompleteResult } from '../../../shared/agents';
import type { Ctx } from '../context';

/**
 * After an approve: completes a v2 task in `board/` as `@brainfile/core`
 * does. One WorkspaceEdit writes `completedAt` into the buffer and moves the
 * file to `logs/` (an unsaved buffer moves with its typing), then one line is
 * appended to `logs/ledger.jsonl`. Undefined when there was nothing to complete.
 */
export async function completeApprovedTask(ctx: Ctx, client: LanguageClient, document: vscode.TextDocument, taskId: string, now: string): Promise<{ completed: boolean; reason?: string; target?: vscode.Uri } | undefined> {
  let result: CompleteResult;
  try {
    result = await client.sendRequest(CompleteRequest, { uri: document.uri.toString(), taskId, version: document.version, now });
  } catch (error) {
    return { completed: false, reason: `The language server did not answer (${error instanceof Error ? error.message : String(error)}).` };
  }
  if (!result.applies) return undefined;
  if (!result.edit || !result.targetUri || !result.ledgerUri || result.ledgerLine === undefined) return { completed: false, reason: result.refused ?? `${taskId} could not be completed.` };
  const target = vscode.Uri.parse(result.targetUri);
  if (await exists(target)) return { completed: false, reason: `${vscode.workspace.asRelativePath(target)} already exists, so ${taskId} stays in board/.` };
  const wasClean = !document.isDirty;
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  edit.renameFile(document.uri, target, { overwrite: false });
  if (!(await vscode.workspace.applyEdit(edit))) return { completed: false, reason: `VS Code did not move ${taskId} to logs/.` };
  const moved = await vscode.workspace.openTextDocument(target);
  if (wasClean) await moved.save();
  await appendLine(vscode.Uri.parse(result.ledgerUri), result.ledgerLine);
  ctx.log.info(`${taskId} completed: moved to ${target.toString()} and recorded in the ledger.`);
  return { completed: true, target };
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/** Appends one JSON line, starting a new line if the ledger's last one has no break. */
async function appendLine(uri: vscode.Uri, line: string): Promise<void> {
  const before = await vscode.workspace.fs.readFile(uri).then(
    (bytes) => new TextDecoder().decode(bytes),
    () => '',
  );
  const joined = `${before}${before && !before.endsWith('\n') ? '\n' : ''}${line}\n`;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(joined));
}
