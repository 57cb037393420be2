import * as vscode from 'vscode';
import { CreateFile, TextDocumentEdit, type LanguageClient, type WorkspaceEdit as LspWorkspaceEdit } from 'vscode-languageclient/node';
import { findTransition, type TransitionName } from '../../../shared/lifecycle';
import { TransitionRequest, type TransitionParams, type TransitionResult } from '../../../shared/protocol';
import { isoSeconds } from '../../../shared/text';
import type { Ctx } from '../context';
import { completeApprovedTask } from './completeTask';
import { waitUntilBufferShowsDisk } from './diskSync';
import { showRefusal, showStaleStatus } from './report';

export interface TransitionRequestOptions {
  uri: string | vscode.Uri;
  taskId: string;
  /** A status transition (`claim`, `reject`…) or `addContract`. */
  transition: TransitionName;
  /** The status the caller saw; the server refuses the move if the task no longer has it. */
  expectedStatus?: string;
  /** For reject, and for a validation verdict. */
  feedback?: string;
  /** For claim: the assignee to write, instead of the `contracts.assignee` setting. */
  assignee?: string;
  /** The board: the column the task was dropped on, where it goes whatever the settings say. */
  toColumn?: string;
  /** The board: the card it was dropped before in that column (v1: the list item moves there; v2: the lane's positions are written); none: the end of the column. */
  beforeTaskId?: string;
}

export interface TransitionOutcome {
  applied: boolean;
  /** Why not, in the words shown to the user. */
  reason?: string;
  /** What an applied move left undone, from the server (e.g. a column the board lacks). */
  notes?: string[];
  /** Approve of a v2 task in board/: whether it was completed into logs/. */
  completed?: boolean;
}

/**
 * The one guarded path for every lifecycle move (commands, drag and drop,
 * the board, validation verdicts): ask the server for a versioned edit, apply it to the
 * buffer as one undoable step, and save only a document that was clean.
 */
export async function applyTransition(ctx: Ctx, request: TransitionRequestOptions): Promise<TransitionOutcome> {
  const uri = typeof request.uri === 'string' ? vscode.Uri.parse(request.uri) : request.uri;
  const outcome = await applyServerEdit(ctx, { uri, label: request.taskId, action: request.transition }, async (client, version) => {
    const result = await ask(client, paramsFor(ctx, request, version));
    if (result.currentStatus && !result.edit) return { stale: showStaleStatus(ctx, uri, request.taskId, result.currentStatus) };
    return result;
  });
  // Approving a v2 task in board/ completes it, as @brainfile/core does.
  if (outcome.applied && request.transition === 'approve' && ctx.config.completeApprovedTasks && ctx.client) {
    const document = await vscode.workspace.openTextDocument(uri);
    const completion = await completeApprovedTask(ctx, ctx.client, document, request.taskId, isoSeconds());
    if (completion) outcome.completed = completion.completed;
    if (completion?.reason) void vscode.window.showWarningMessage(`${request.taskId} is done but was not completed into logs/: ${completion.reason}`);
  }
  return outcome;
}

/** What the server answers an edit request with, or a refusal the caller already showed. */
export interface ServerEditAnswer {
  edit?: LspWorkspaceEdit;
  refused?: string;
  notes?: string[];
  /** Already told to the user (e.g. a stale status with Reload and Compare). */
  stale?: string;
}

/**
 * Applies an edit the server computes for the version of `target.uri` the
 * client has now: retries once when the user typed meanwhile, applies it as
 * one WorkspaceEdit (one undo), saves the documents that were clean and
 * creates new files it names. `label` names the task in messages.
 */
export async function applyServerEdit(
  ctx: Ctx,
  target: { uri: vscode.Uri; label: string; action: string },
  compute: (client: LanguageClient, version: number) => Promise<ServerEditAnswer>,
): Promise<TransitionOutcome> {
  const client = ctx.client;
  if (!client) return refused(ctx, 'The Contracts language server is not running; try again once it has started.');
  const { uri, label } = target;
  // Through the editor's buffer, never the file: unsaved work and undo stay intact.
  const document = await vscode.workspace.openTextDocument(uri);
  // A clean buffer is saved with the move, so the move must start from the file's current bytes.
  if (!(await waitUntilBufferShowsDisk(document))) {
    return refused(ctx, `${vscode.workspace.asRelativePath(uri)} changed on disk and VS Code has not loaded the new text yet; nothing was changed. Try again, or use File: Revert File first.`);
  }
  for (let attempt = 1; ; attempt++) {
    const result = await compute(client, document.version);
    if (result.stale) return { applied: false, reason: result.stale };
    if (!result.edit) {
      if (result.refused) return refused(ctx, result.refused);
      // Nothing to change (a card dropped where it was): not a refusal.
      if (result.notes?.length) return { applied: false, reason: result.notes.join(' '), notes: result.notes };
      return refused(ctx, `The language server did not say how to change ${label}.`);
    }
    const lspEdit = result.edit;
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(lspEdit);
    const created = createdFiles(client, lspEdit);
    const targets = await documentsOf(client, lspEdit, created);
    // The user typed while the server computed the edit: its ranges are for older text.
    if (targets.some(({ document: d, version }) => typeof version === 'number' && d.version !== version)) {
      if (attempt === 1) continue;
      return refused(ctx, `${vscode.workspace.asRelativePath(uri)} kept changing while ${label} was being changed; nothing was changed. Try again.`);
    }
    // VS Code applies a versioned edit only to the version checked above, as one change: one version step.
    const clean = targets.filter((t) => !t.document.isDirty).map((t) => ({ document: t.document, moved: t.document.version + 1 }));
    if (!(await vscode.workspace.applyEdit(edit))) return refused(ctx, `VS Code did not apply the change to ${label}; nothing was changed.`);
    ctx.log.info(`${target.action} ${label} applied to ${uri.toString()}.`);
    const outcome: TransitionOutcome = { applied: true };
    if (result.notes?.length) {
      outcome.notes = result.notes;
      void vscode.window.showInformationMessage(`${label}: ${result.notes.join(' ')}`);
    }
    // Save only the move: typing that landed since then is the user's to save, and stays unsaved with it.
    const typedSince = clean.filter(({ document, moved }) => document.version !== moved).map((t) => t.document);
    // Clean again at another version: not typing (that leaves it dirty) but VS Code reloading the file over the move.
    const reloaded = typedSince.some((d) => !d.isDirty);
    for (const d of typedSince) ctx.log.info(`${vscode.workspace.asRelativePath(d.uri)} changed after the change to ${label}; left unsaved.`);
    const toSave = [...clean.filter((t) => !typedSince.includes(t.document)).map((t) => t.document), ...(await Promise.all(created.map((u) => vscode.workspace.openTextDocument(u))))];
    const saved = await Promise.all(toSave.map((d) => d.save()));
    if (saved.includes(false)) {
      outcome.reason = `${label} was changed, but ${vscode.workspace.asRelativePath(uri)} could not be saved: the change is not saved.`;
      void vscode.window.showWarningMessage(outcome.reason);
    }
    if (reloaded) {
      outcome.applied = false;
      outcome.reason = `${vscode.workspace.asRelativePath(uri)} changed on disk while ${label} was being changed; VS Code loaded the new text, so the change was not saved. Try again.`;
      void vscode.window.showWarningMessage(outcome.reason);
    }
    return outcome;
  }
}

/** A server that stops mid-request is a refusal like any other, not an exception for every caller. */
async function ask(client: LanguageClient, params: TransitionParams): Promise<TransitionResult> {
  try {
    return await client.sendRequest(TransitionRequest, params);
  } catch (error) {
    return { refused: `The language server did not answer (${error instanceof Error ? error.message : String(error)}); nothing was changed.` };
  }
}

function paramsFor(ctx: Ctx, request: TransitionRequestOptions, version: number): TransitionParams {
  const { assignee, moveTaskToColumn, columnForStatus } = ctx.config;
  const to = findTransition(request.transition)?.to;
  const dropped = request.toColumn !== undefined && to !== undefined;
  return {
    uri: typeof request.uri === 'string' ? request.uri : request.uri.toString(),
    taskId: request.taskId,
    transition: request.transition,
    expectedStatus: request.expectedStatus,
    version,
    assignee: request.assignee || assignee || undefined,
    now: isoSeconds(),
    moveToColumn: moveTaskToColumn || dropped,
    columnMap: dropped ? { ...columnForStatus, [to]: request.toColumn! } : columnForStatus,
    feedback: request.feedback,
    beforeTaskId: dropped ? request.beforeTaskId : undefined,
  };
}

/** Every document the edit touches, with the version the server computed it for (null: any). */
async function documentsOf(client: LanguageClient, edit: LspWorkspaceEdit, created: vscode.Uri[]): Promise<Array<{ document: vscode.TextDocument; version: number | null }>> {
  const entries: Array<{ uri: string; version: number | null }> = [];
  const isNew = (uri: string) => created.some((c) => c.toString() === client.protocol2CodeConverter.asUri(uri).toString());
  for (const change of edit.documentChanges ?? []) {
    if (TextDocumentEdit.is(change) && !isNew(change.textDocument.uri)) entries.push({ uri: change.textDocument.uri, version: change.textDocument.version });
  }
  for (const uri of Object.keys(edit.changes ?? {})) entries.push({ uri, version: null });
  return Promise.all(entries.map(async ({ uri, version }) => ({ document: await vscode.workspace.openTextDocument(client.protocol2CodeConverter.asUri(uri)), version })));
}

/** Files the edit creates: they have no buffer to check yet, and are saved after it. */
function createdFiles(client: LanguageClient, edit: LspWorkspaceEdit): vscode.Uri[] {
  return (edit.documentChanges ?? []).flatMap((change) => (CreateFile.is(change) ? [client.protocol2CodeConverter.asUri(change.uri)] : []));
}

function refused(ctx: Ctx, reason: string): TransitionOutcome {
  showRefusal(ctx, reason);
  return { applied: false, reason };
}
