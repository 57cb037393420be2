import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { runValidationCommand } from '../validation/controller';
import { stripAnsi } from '../../../shared/validation/outputBuffer';
import { ValidationResults, type ValidationCheckRef } from '../validation/resultsStore';
import { formatDuration } from '../../../shared/validation/summary';

/**
 * `contracts.runValidation` takes a tree item (`{ task }`), a code lens
 * argument (`{ uri, taskId, status }`) or nothing (a quick pick).
 */
export function runValidation(ctx: Ctx) {
  return (arg?: unknown) => runValidationCommand(ctx, arg);
}

/**
 * `contracts.showValidationOutput` opens one check's last output in an
 * untitled document. It takes a `ValidationCheckRef`, or a Tasks view check
 * row (whose `row.data` is one).
 */
export function showValidationOutput(ctx: Ctx) {
  return async (arg?: unknown): Promise<vscode.TextDocument | undefined> => {
    const store = ValidationResults.of(ctx);
    const ref = checkRefOf(arg) ?? (await pickCheck(store));
    if (!ref) return undefined;
    const check = store.check(ref);
    if (!check) {
      void vscode.window.showInformationMessage(`No validation result for ${ref.taskId} yet.`);
      return undefined;
    }
    const header = [
      `${ref.taskId} · ${check.kind}: ${check.label}`,
      `State: ${check.state}${check.detail ? ` (${check.detail})` : ''}`,
      check.exitCode !== undefined ? `Exit code: ${check.exitCode}${check.signal ? `, signal ${check.signal}` : ''}` : '',
      check.durationMs !== undefined ? `Duration: ${formatDuration(check.durationMs)}` : '',
      check.ranAt !== undefined ? `Ran at: ${new Date(check.ranAt).toISOString()}` : '',
    ].filter(Boolean);
    const output = check.output ?? (check.state === 'running' ? 'Still running: the live output is in its "Validate" terminal.' : 'No output.');
    const content = `${header.join('\n')}\n\n${stripAnsi(output)}`;
    const document = await vscode.workspace.openTextDocument({ content, language: 'log' });
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  };
}

function checkRefOf(arg: unknown): ValidationCheckRef | undefined {
  const isRef = (value: unknown): value is ValidationCheckRef => {
    const v = value as Partial<ValidationCheckRef> | undefined;
    return typeof v === 'object' && v !== null && typeof v.uri === 'string' && typeof v.taskId === 'string' && typeof v.checkId === 'string';
  };
  if (isRef(arg)) return arg;
  // A check row of the Tasks view carries the ref as `row.data`.
  const node = arg as { check?: unknown; row?: { data?: unknown } } | undefined;
  if (isRef(node?.row?.data)) return node.row.data;
  return isRef(node?.check) ? node.check : undefined;
}

async function pickCheck(store: ValidationResults): Promise<ValidationCheckRef | undefined> {
  const items = store.all().flatMap((v) =>
    v.checks.filter((c) => c.state !== 'pending').map((c) => ({ label: `${v.taskId}: ${c.label}`, description: c.detail, ref: store.refOf(v, c) })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No validation has run yet.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: 'Show Validation Output' }))?.ref;
}
