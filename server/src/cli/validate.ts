import path from 'node:path';
import { toPosix } from '../engine/classify';
import { VALIDATABLE_STATUSES, validatesAsDryRun } from '../../../shared/lifecycle';
import { LiveOutputLimiter } from '../../../shared/validation/outputBuffer';
import { runValidation, type ValidationResult } from '../../../shared/validation/runCommands';
import { describeEnd, describeOutcome, failureFeedback, formatDuration } from '../../../shared/validation/summary';
import { UsageError, type CliIo } from './command';
import { formatOption, parseArgs, taskIdArgument } from './args';
import { findTask, projectFolder, type BoardTask } from './boardTasks';
import { CHANGED_SINCE_READ, moveFound, type MoveOutcome } from './moveTask';

/**
 * `contracts validate <task-id>`: the extension's runner (deliverables, then
 * the commands through the shell, process tree killed on timeout or Ctrl+C),
 * then the verdict through the same guarded move: approve on a pass, reject
 * with feedback on a failure. Exit 0 passed, 1 failed or refused, 3 the task
 * changed while it ran, 130 interrupted.
 */

export interface ValidateRequest {
  taskId: string;
  board?: string;
  timeoutSeconds: number;
  continueOnFailure: boolean;
  dryRun: boolean;
  complete: boolean;
  signal?: AbortSignal;
  /** Live output and progress lines; not called in JSON mode's stdout. */
  onOutput?: (text: string) => void;
}

export interface ValidateReport {
  taskId: string;
  file?: string;
  outcome: ValidationResult['outcome'] | 'refused';
  dryRun: boolean;
  summary: string;
  verdict?: MoveOutcome;
  feedback?: string;
  result?: ValidationResult;
  exitCode: number;
}

export async function validateTask(request: ValidateRequest, cwd: string): Promise<ValidateReport> {
  const base = { taskId: request.taskId, dryRun: request.dryRun };
  const refuse = (summary: string, exitCode = 1): ValidateReport => ({ ...base, outcome: 'refused', summary, exitCode });
  const lookup = findTask(request.taskId, request.board, cwd);
  if ('refused' in lookup) return refuse(lookup.refused);
  const found = lookup.found;
  const status = found.task.contract?.status;
  if (!(VALIDATABLE_STATUSES as readonly string[]).includes(status ?? '')) {
    return refuse(`${request.taskId} is ${status ?? 'without a contract status'}; validation runs for delivered contracts, and as a dry run for in-progress or reworking ones.`);
  }
  const dryRun = request.dryRun || validatesAsDryRun(status);
  const contract = found.task.contract!;
  const folder = projectFolder(found);
  const write = request.onOutput ?? (() => undefined);
  write(`Validating ${request.taskId}${dryRun ? ' (dry run: the status will not change)' : ''} in ${folder}\n`);
  let live: LiveOutputLimiter | undefined;
  const total = contract.commands.length;
  const result = await runValidation(
    { projectFolder: folder, deliverables: contract.deliverables, commands: contract.commands },
    {
      cwd: folder,
      timeoutMs: request.timeoutSeconds * 1000,
      continueOnFailure: request.continueOnFailure,
      signal: request.signal,
      listener: {
        onDeliverables: (results) => results.forEach((r) => write(`${r.passed ? '✔' : '✘'} ${r.passed ? `${r.path} exists` : (r.reason ?? r.path)}\n`)),
        onCommandStart: (index, command) => {
          write(`\n▶ [${index + 1}/${total}] ${command}\n`);
          live = new LiveOutputLimiter(write);
        },
        onOutput: (_index, text) => live?.push(text),
        onCommandEnd: (commandResult) => {
          live?.finish(commandResult.output);
          const end = commandResult.passed ? `exit 0 after ${formatDuration(commandResult.durationMs)}` : describeEnd(commandResult);
          write(`${commandResult.output && !/\n$/.test(commandResult.output) ? '\n' : ''}${commandResult.passed ? '✔' : '✘'} ${end}\n`);
        },
      },
    },
  );
  if (result.error) write(`${result.error}\n`);
  const summary = `${request.taskId}: ${describeOutcome(result)}`;
  const report: ValidateReport = { ...base, dryRun, file: found.file, outcome: result.outcome, summary, result, exitCode: result.outcome === 'passed' ? 0 : 1 };
  if (result.outcome === 'cancelled') return { ...report, summary: `${summary}; the status is unchanged`, exitCode: 130 };
  if (result.outcome === 'nothing-checked') return { ...report, summary: `${summary}. Nothing checked is never a pass: approve it by hand (contracts approve ${request.taskId}).` };
  if (dryRun) return { ...report, summary: `${summary} (dry run, status unchanged)` };
  const passed = result.outcome === 'passed';
  const feedback = passed ? undefined : failureFeedback(result);
  const verdict = writeVerdict(found, request, passed ? 'approve' : 'reject', feedback, cwd);
  const exitCode = !verdict.ok ? verdict.exitCode : report.exitCode;
  const said = verdict.ok ? `${summary}; ${request.taskId} is now ${verdict.to}` : `${summary}; the verdict was not written: ${verdict.message}`;
  return { ...report, verdict, feedback, summary: said, exitCode };
}

/** Re-reads the task and moves it, unless the task's own text changed while the commands ran. */
function writeVerdict(before: BoardTask, request: ValidateRequest, transition: 'approve' | 'reject', feedback: string | undefined, cwd: string): MoveOutcome {
  const again = findTask(request.taskId, request.board ?? path.dirname(before.file), cwd);
  const taskText = (t: BoardTask) => t.analysis.text.slice(t.task.node.range.start, t.task.node.range.end);
  if ('refused' in again || again.found.file !== before.file || taskText(again.found) !== taskText(before)) {
    return { ok: false, exitCode: 3, message: `${request.taskId} ${CHANGED_SINCE_READ}: it was edited while its validation ran. Nothing was written; validate again.` };
  }
  return moveFound(again.found, { taskId: request.taskId, transition, expectStatus: 'delivered', feedback, complete: request.complete });
}

export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, { values: ['board', 'timeout', 'format'], flags: ['continue-on-failure', 'dry-run', 'no-complete'] });
  const format = formatOption(parsed);
  const rawTimeout = parsed.values.get('timeout') ?? '600';
  const timeoutSeconds = Number(rawTimeout);
  if (!(timeoutSeconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds, found "${rawTimeout}"`);
  const abort = new AbortController();
  // Ctrl+C kills the running command's process tree, then the status is left as it was.
  const onSignal = () => abort.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await validateTask(
      {
        taskId: taskIdArgument(parsed, 'validate'),
        board: parsed.values.get('board'),
        timeoutSeconds,
        continueOnFailure: parsed.flags.has('continue-on-failure'),
        dryRun: parsed.flags.has('dry-run'),
        complete: !parsed.flags.has('no-complete'),
        signal: abort.signal,
        // JSON keeps stdout for the report; the live output goes to stderr.
        onOutput: (text) => (format === 'json' ? process.stderr : process.stdout).write(text),
      },
      io.cwd,
    );
    if (format === 'json') {
      const shown = report.file && toPosix(path.relative(io.cwd, report.file));
      io.out(JSON.stringify({ ...report, file: shown }, null, 2));
    } else {
      (report.exitCode === 0 ? io.out : io.err)(`\n${report.summary}`);
    }
    return report.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
