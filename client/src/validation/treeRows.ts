import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { setValidationRows, type ValidationCheckRow, type ValidationRowSource } from '../views';
import { ValidationResults, type ValidationCheck, type TaskValidation } from './resultsStore';
import { formatDuration } from '../../../shared/validation/summary';

/**
 * Feeds the Tasks view from the results store: the `validating;` flag on a
 * task row and one child row per check. Each row's `data` is the
 * `ValidationCheckRef` that `contracts.showValidationOutput` takes.
 */
export function registerValidationRows(ctx: Ctx): void {
  const store = ValidationResults.of(ctx);
  const emitter = new vscode.EventEmitter<readonly string[]>();
  const source: ValidationRowSource = {
    onDidChange: emitter.event,
    isValidating: (key) => store.byKey(key)?.running === true,
    checks: (key) => {
      const validation = store.byKey(key);
      return validation ? validation.checks.map((check) => rowOf(store, validation, check)) : [];
    },
  };
  ctx.pushExtCleanup(emitter, store.onDidChange((change) => emitter.fire([change.key])));
  const unplug = setValidationRows(ctx, source);
  if (unplug) ctx.pushExtCleanup(unplug);
}

const ICONS: Record<ValidationCheck['state'], vscode.ThemeIcon> = {
  pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  running: new vscode.ThemeIcon('loading~spin'),
  pending: new vscode.ThemeIcon('circle-outline'),
};

function rowOf(store: ValidationResults, validation: TaskValidation, check: ValidationCheck): ValidationCheckRow {
  const ref = store.refOf(validation, check);
  const item = new vscode.TreeItem(check.label, vscode.TreeItemCollapsibleState.None);
  item.id = `${validation.key}/${check.id}`;
  item.description = check.detail;
  item.iconPath = ICONS[check.state];
  item.contextValue = `validationCheck;kind=${check.kind};state=${check.state};`;
  const when = check.ranAt ? `\n\nRan at ${new Date(check.ranAt).toLocaleTimeString()}${check.durationMs !== undefined ? ` for ${formatDuration(check.durationMs)}` : ''}.` : '';
  item.tooltip = new vscode.MarkdownString().appendText(`${check.kind === 'command' ? 'Command' : 'Deliverable'}: `).appendCodeblock(check.label, check.kind === 'command' ? 'shellscript' : 'text').appendText(`${check.detail ?? ''}${when}`);
  if (check.state === 'pass' || check.state === 'fail') {
    item.command = { command: 'contracts.showValidationOutput', title: 'Show Validation Output', arguments: [ref] };
  }
  return { id: check.id, item, data: ref };
}
