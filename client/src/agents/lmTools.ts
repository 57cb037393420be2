import * as vscode from 'vscode';
import { findTransition, startsFrom, TERMINAL_STATUSES, validatesAsDryRun } from '../../../shared/lifecycle';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { applyTransition } from '../lifecycle/applyTransition';
import { wantedTask } from '../lifecycle/transitions';
import { isApproved } from '../validation/approvals';
import { runValidationCommand } from '../validation/controller';
import { fetchBrief } from './brief';
import { taskForTool, toolTasks } from './tasks';

/**
 * Language model tools: chat agents list tasks, read a brief, claim,
 * deliver and validate through the same guarded path as the tree (a
 * versioned WorkspaceEdit on the buffer, one undo, unsaved buffers stay
 * unsaved). Validation asks for confirmation of unseen commands and is
 * refused in an untrusted workspace, as the command is.
 */

interface TaskInput {
  taskId?: string;
  file?: string;
}

const result = (text: string) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
const fileOf = (task: TaskSummary) => vscode.workspace.asRelativePath(vscode.Uri.parse(task.uri));
const isTerminal = (status: string | undefined) => (TERMINAL_STATUSES as readonly string[]).includes(status ?? '');

function listTool(ctx: Ctx): vscode.LanguageModelTool<{ status?: string; assignee?: string }> {
  return {
    async invoke(options) {
      const tasks = await toolTasks(ctx);
      const { status, assignee } = options.input;
      const rows = tasks
        .filter((t) => (status === undefined || (t.status ?? 'none') === status) && (assignee === undefined || t.assignee === assignee))
        .map((t) => ({ id: t.id, title: t.title, status: t.status ?? null, assignee: t.assignee ?? null, board: t.boardTitle, file: fileOf(t) }));
      return result(JSON.stringify(rows, null, 2));
    },
  };
}

function briefTool(ctx: Ctx): vscode.LanguageModelTool<TaskInput> {
  return {
    async invoke(options) {
      const task = await taskForTool(ctx, options.input.taskId, options.input.file);
      const brief = await fetchBrief(ctx, task);
      if (brief.markdown === undefined) throw new Error(brief.refused ?? `No brief for ${task.id}.`);
      return result(brief.markdown);
    },
  };
}

type MoveInput = TaskInput & { assignee?: string };

/**
 * A lifecycle move as a tool. The statuses it starts from and leads to come
 * from the shared lifecycle table; `writes` says what else it writes, for the
 * confirmation line.
 */
function moveTool(ctx: Ctx, name: 'claim' | 'deliver', writes: (input: MoveInput) => string): vscode.LanguageModelTool<MoveInput> {
  // The statuses the move starts from come from the one lifecycle table (deliver: in_progress or reworking).
  const transition = findTransition(name)!;
  return {
    async prepareInvocation(options) {
      const task = await taskForTool(ctx, options.input.taskId, options.input.file);
      const message = `${transition.title} ${task.id} in ${fileOf(task)}: status ${task.status ?? 'none'} → ${transition.to}, ${writes(options.input)}. Other text stays as it is; unsaved changes stay unsaved; one undo reverts it.`;
      return { invocationMessage: message };
    },
    async invoke(options) {
      const task = await taskForTool(ctx, options.input.taskId, options.input.file);
      if (!startsFrom(transition, task.status)) {
        // done and cancelled are final: say so rather than name a status the task can never reach again.
        if (isTerminal(task.status)) throw new Error(`Cannot ${name} ${task.id}: it is ${task.status}, a final status; no move leads out of it. Call contracts_listTasks to find a ready task.`);
        throw new Error(`Cannot ${name} ${task.id}: it is ${task.status ?? 'without a contract status'}; ${name} needs ${wantedTask(transition)}. Call contracts_getTaskBrief to see what it needs.`);
      }
      const outcome = await applyTransition(ctx, { uri: task.uri, taskId: task.id, transition: name, expectedStatus: task.status, assignee: options.input.assignee });
      if (!outcome.applied) throw new Error(outcome.reason ?? `${task.id} was not moved.`);
      const notes = outcome.notes?.length ? ` ${outcome.notes.join(' ')}` : '';
      return result(`${task.id}: ${task.status} → ${transition.to} in ${fileOf(task)}.${notes}${outcome.reason ? ` ${outcome.reason}` : ''}`);
    },
  };
}

function validateTool(ctx: Ctx): vscode.LanguageModelTool<TaskInput> {
  // The commands each confirmation showed, by task: a run skips our own dialog only for exactly those.
  const shown = new Map<string, readonly string[]>();
  const keyOf = (task: TaskSummary) => `${task.uri}#${task.id}`;
  return {
    async prepareInvocation(options) {
      if (!vscode.workspace.isTrusted) return { invocationMessage: 'Validation is refused: the workspace is not trusted.' };
      const task = await taskForTool(ctx, options.input.taskId, options.input.file);
      const mode = validatesAsDryRun(task.status) ? 'a dry run (the status stays)' : `then ${task.id} becomes done on a pass, failed with feedback on a failure`;
      const invocationMessage = `Validating ${task.id}: ${mode}.`;
      if (!task.commands.length || isApproved(ctx.extension.workspaceState, task.uri, task.commands)) return { invocationMessage };
      const commands = task.commands.map((c, i) => `${i + 1}. \`${c.replace(/`/g, "'")}\``).join('\n');
      shown.set(keyOf(task), [...task.commands]);
      return {
        invocationMessage,
        confirmationMessages: {
          title: `Run the validation commands of ${task.id}?`,
          message: new vscode.MarkdownString(`These shell commands from \`${fileOf(task)}\` run with your permissions:\n\n${commands}\n\nThen ${mode}.`),
        },
      };
    },
    async invoke(options) {
      if (!vscode.workspace.isTrusted) throw new Error('Validation commands run only in a trusted workspace; ask the user to trust this folder (Manage Workspace Trust).');
      const task = await taskForTool(ctx, options.input.taskId, options.input.file);
      // VS Code asked for confirmation from prepareInvocation when the command list was unseen;
      // commands changed since then (or never shown) get the command's own dialog.
      const confirmedCommands = shown.get(keyOf(task));
      shown.delete(keyOf(task));
      const report = await runValidationCommand(ctx, { task }, { confirmedCommands });
      if (report.outcome === 'refused' || report.outcome === 'declined') throw new Error(`Validation of ${task.id} did not run (${report.reason ?? report.outcome}).`);
      const checks = report.result ? [...report.result.deliverables.map((d) => `${d.passed ? 'pass' : 'FAIL'} deliverable ${d.path}${d.reason ? `: ${d.reason}` : ''}`), ...report.result.commands.map((c) => `${c.passed ? 'pass' : 'FAIL'} \`${c.command}\` (exit ${c.exitCode ?? c.signal ?? 'none'})`)] : [];
      const verdict = report.dryRun ? 'dry run: the status is unchanged' : report.verdict === 'applied' ? `verdict written (${report.outcome === 'passed' ? 'done' : 'failed'})` : `verdict ${report.verdict ?? 'not written'}`;
      return result([`${task.id}: validation ${report.outcome}; ${verdict}.`, ...checks, report.feedback ? `Feedback:\n${report.feedback}` : ''].filter(Boolean).join('\n'));
    },
  };
}

/** The tools by name, as package.json declares them. */
export type LanguageModelTools = ReadonlyMap<string, vscode.LanguageModelTool<never>>;

export function registerLanguageModelTools(ctx: Ctx): LanguageModelTools {
  const tools = new Map<string, vscode.LanguageModelTool<never>>();
  const add = <T>(name: string, tool: vscode.LanguageModelTool<T>) => tools.set(name, tool as vscode.LanguageModelTool<never>);
  add('contracts_listTasks', listTool(ctx));
  add('contracts_getTaskBrief', briefTool(ctx));
  add('contracts_claimTask', moveTool(ctx, 'claim', (input) => `metrics.pickedUpAt${input.assignee || ctx.config.assignee ? ` and assignee ${input.assignee || ctx.config.assignee}` : ''}`));
  add('contracts_deliverTask', moveTool(ctx, 'deliver', () => 'metrics.deliveredAt and metrics.duration'));
  add('contracts_runValidation', validateTool(ctx));
  // VS Code without the language model API (or with it turned off) simply has no tools.
  if (typeof vscode.lm?.registerTool === 'function') {
    for (const [name, tool] of tools) ctx.pushExtCleanup(vscode.lm.registerTool(name, tool));
  }
  return tools;
}
