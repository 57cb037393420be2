import * as vscode from 'vscode';
import { validatesAsDryRun } from '../../../shared/lifecycle';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { isApproved, rememberApproval } from './approvals';
import { isCheckableDeliverable, projectFolderOfBoard, validationPlaceProblem } from '../../../shared/validation/deliverables';
import { LiveOutputLimiter } from '../../../shared/validation/outputBuffer';
import { ValidationResults, type ValidationCheckRef } from './resultsStore';
import { runValidation, type ValidationOutcome, type ValidationResult } from '../../../shared/validation/runCommands';
import { plural } from '../../../shared/text';
import { describeOutcome } from '../../../shared/validation/summary';
import { resolveTask, VALIDATABLE } from './target';
import { deliverableLine, openValidationTerminal } from './terminal';
import { deliverVerdict, reportDryRun, snapshotTask, type Verdict } from './verdict';

/** What `contracts.runValidation` returns, for tests and other callers. */
export interface ValidationReport {
  outcome: ValidationOutcome | 'refused' | 'declined';
  /** Why a run was refused: an untrusted workspace, a status validation is not offered for… */
  reason?: 'untrusted' | 'no-task' | 'status' | 'running' | 'not-a-file' | 'outside-workspace';
  uri?: string;
  taskId?: string;
  dryRun?: boolean;
  verdict?: Verdict;
  feedback?: string;
  result?: ValidationResult;
}

export const DONT_ASK_AGAIN = "Run and don't ask again for this file";

/** Runs in flight, per extension instance, so deactivation can kill their process trees. */
const inFlight = new WeakMap<Ctx, Set<AbortController>>();

function runsOf(ctx: Ctx): Set<AbortController> {
  let runs = inFlight.get(ctx);
  if (!runs) {
    const created = new Set<AbortController>();
    runs = created;
    inFlight.set(ctx, created);
    // Our commands run in their own process groups: they would outlive the extension host.
    ctx.pushExtCleanup({ dispose: () => created.forEach((run) => run.abort()) });
  }
  return runs;
}

export interface RunOptions {
  /** Commands the user already confirmed elsewhere (a language model tool's confirmation); only exactly these skip ours. */
  confirmedCommands?: readonly string[];
}

/** `contracts.runValidation`: only ever started by a user action. */
export async function runValidationCommand(ctx: Ctx, arg: unknown, options: RunOptions = {}): Promise<ValidationReport> {
  // Before anything else: commands written in a contract are code from the folder.
  if (!vscode.workspace.isTrusted) {
    refuseUntrusted(ctx);
    return { outcome: 'refused', reason: 'untrusted' };
  }
  const task = await resolveTask(ctx, arg);
  if (!task) return { outcome: 'refused', reason: 'no-task' };
  const base = { uri: task.uri, taskId: task.id };
  if (!task.status || !VALIDATABLE.includes(task.status)) {
    void vscode.window.showWarningMessage(`${task.id} is ${task.status ?? 'without a contract status'}; validation runs for delivered contracts, and as a dry run for in-progress ones.`);
    return { ...base, outcome: 'refused', reason: 'status' };
  }
  const store = ValidationResults.of(ctx);
  if (store.isRunning(task.uri, task.id)) {
    void vscode.window.showInformationMessage(`${task.id} is already being validated.`);
    return { ...base, outcome: 'refused', reason: 'running' };
  }
  const boardUri = vscode.Uri.parse(task.boardUri);
  if (boardUri.scheme !== 'file') {
    void vscode.window.showWarningMessage(`${task.id} is not in a local folder, so its validation commands cannot run.`);
    return { ...base, outcome: 'refused', reason: 'not-a-file' };
  }
  const dryRun = validatesAsDryRun(task.status);
  const projectFolder = projectFolderOfBoard(boardUri.fsPath);
  const folder = vscode.workspace.getWorkspaceFolder(boardUri);
  const cwd = ctx.config.validationWorkingDirectory === 'workspace' && folder ? folder.uri.fsPath : projectFolder;
  const misplaced = validationPlaceProblem(task, { boardFile: boardUri.fsPath, projectFolder, cwd, workspaceFolder: folder?.uri.fsPath });
  if (misplaced) {
    ctx.log.warn(misplaced);
    void vscode.window.showWarningMessage(misplaced);
    return { ...base, outcome: 'refused', reason: 'outside-workspace' };
  }

  // A language model tool's run was confirmed in VS Code's tool confirmation, unless the commands changed since.
  const confirmed = options.confirmedCommands?.length === task.commands.length && options.confirmedCommands.every((c, i) => c === task.commands[i]);
  if (!confirmed && !(await confirmCommands(ctx, task, cwd))) return { ...base, dryRun, outcome: 'declined' };
  const snapshot = await snapshotTask(task);
  const result = await execute(ctx, task, { projectFolder, cwd, dryRun, folder });

  const failed = firstFailedCheck(task, result);
  const showFailure = () => void vscode.commands.executeCommand('contracts.showValidationOutput', failed);
  if (dryRun) {
    reportDryRun(task, result, showFailure);
    return { ...base, dryRun, outcome: result.outcome, verdict: 'none', result };
  }
  const { verdict, feedback } = await deliverVerdict(ctx, { task, result, snapshot, showFailure });
  return { ...base, dryRun, outcome: result.outcome, verdict, feedback, result };
}

function refuseUntrusted(ctx: Ctx): void {
  ctx.log.info('Validation refused: the workspace is not trusted.');
  void vscode.window
    .showWarningMessage(
      'Validation commands are shell commands taken from the contract, so they run only in a trusted workspace. Everything else keeps working here.',
      'Manage Workspace Trust',
    )
    .then((choice) => (choice ? vscode.commands.executeCommand('workbench.trust.manage') : undefined))
    .then(undefined, (error: unknown) => ctx.log.warn(`Managing workspace trust: ${String(error)}`));
}

/** The first run of a command list from a file shows the exact commands and asks. */
async function confirmCommands(ctx: Ctx, task: TaskSummary, cwd: string): Promise<boolean> {
  const commands = task.commands;
  const memento = ctx.extension.workspaceState;
  if (commands.length === 0 || isApproved(memento, task.uri, commands)) return true;
  const detail = `${commands.map((c, i) => `${i + 1}. ${c}`).join('\n')}\n\nThey run through your shell in ${cwd}, with your permissions. Run them only if you trust what they do.`;
  const choice = await vscode.window.showWarningMessage(
    `Run the ${plural(commands.length, 'validation command')} of ${task.id}?`,
    { modal: true, detail },
    'Run',
    DONT_ASK_AGAIN,
  );
  if (choice === DONT_ASK_AGAIN) await rememberApproval(memento, task.uri, commands);
  return choice !== undefined;
}

interface RunSetup {
  projectFolder: string;
  cwd: string;
  dryRun: boolean;
  folder?: vscode.WorkspaceFolder;
}

/** One run: progress notification with Cancel, a terminal, and the results store kept current. */
async function execute(ctx: Ctx, task: TaskSummary, setup: RunSetup): Promise<ValidationResult> {
  const store = ValidationResults.of(ctx);
  const deliverables = task.deliverables.map((d, index) => ({ ...d, index })).filter(isCheckableDeliverable);
  const entry = store.begin(task.uri, task.id, setup.dryRun, deliverables, task.commands);
  const abort = new AbortController();
  const runs = runsOf(ctx);
  runs.add(abort);
  const total = task.commands.length;
  ctx.log.info(`Validating ${task.id} (${plural(total, 'command')}, ${plural(deliverables.length, 'deliverable')}) in ${setup.cwd}.`);
  try {
    const terminal = await openValidationTerminal({ uri: task.uri, taskId: task.id, cwd: setup.cwd, dryRun: setup.dryRun, folder: setup.folder }, () => abort.abort(), ctx.log);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Validating ${task.id}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        if (deliverables.length) progress.report({ message: `checking ${plural(deliverables.length, 'deliverable')}` });
        let live: LiveOutputLimiter | undefined;
        return runValidation(
          { projectFolder: setup.projectFolder, deliverables: task.deliverables, commands: task.commands },
          {
            cwd: setup.cwd,
            timeoutMs: ctx.config.validationTimeoutSeconds * 1000,
            continueOnFailure: ctx.config.validationContinueOnFailure,
            signal: abort.signal,
            listener: {
              onDeliverables: (results) => {
                results.forEach((r) => terminal.write(deliverableLine(r.passed, r.passed ? `${r.path} exists` : (r.reason ?? r.path))));
                store.deliverablesChecked(entry, results);
              },
              onCommandStart: (index, command) => {
                progress.report({ message: `${index + 1}/${total} ${command}` });
                terminal.commandStarted(index, total, command);
                live = new LiveOutputLimiter((text) => terminal.write(text));
                store.commandStarted(entry, index);
              },
              onOutput: (_index, text) => live?.push(text),
              onCommandEnd: (commandResult) => {
                live?.finish(commandResult.output);
                terminal.commandEnded(commandResult);
                store.commandEnded(entry, commandResult);
                ctx.log.info(`${task.id}: \`${commandResult.command}\` ${commandResult.passed ? 'passed' : 'failed'} (exit ${commandResult.exitCode}, ${commandResult.durationMs} ms).`);
              },
            },
          },
        );
      },
    );
    if (result.error) terminal.write(`${result.error}\n`);
    terminal.finish(result.outcome === 'passed', `${task.id}: ${describeOutcome(result)}`);
    store.end(entry, result.outcome, result.skippedCommands);
    ctx.log.info(`Validation of ${task.id}: ${result.outcome} in ${result.durationMs} ms.`);
    return result;
  } catch (error) {
    store.end(entry, 'failed', []);
    throw error;
  } finally {
    runs.delete(abort);
  }
}

/** The check whose output explains a failure, for "Show Output". */
function firstFailedCheck(task: TaskSummary, result: ValidationResult): ValidationCheckRef | undefined {
  const deliverable = result.deliverables.find((d) => !d.passed);
  if (deliverable) return { uri: task.uri, taskId: task.id, checkId: `deliverable:${deliverable.index}` };
  const command = result.commands.find((c) => !c.passed);
  return command && { uri: task.uri, taskId: task.id, checkId: `command:${command.index}` };
}
