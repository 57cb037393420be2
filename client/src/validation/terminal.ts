import * as vscode from 'vscode';
import type { CommandResult } from '../../../shared/validation/runCommands';
import { describeEnd, formatDuration } from '../../../shared/validation/summary';

/** The `type` of our validation tasks; one task (and terminal) per contract. */
export const VALIDATION_TASK_TYPE = 'contracts-validation';

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

/**
 * A pseudoterminal that shows one validation run. Text written before VS Code
 * opens it is kept and flushed on open; closing it (Terminate Task, the bin
 * icon) cancels the run.
 */
class ValidationPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private pending: string[] | undefined = [];
  private finished = false;
  private closed = false;

  constructor(private readonly onUserClose: () => void) {}

  open(): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    if (pending.length) this.writeEmitter.fire(pending.join(''));
    if (this.finished) this.closeSoon();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onUserClose();
  }

  write(text: string): void {
    // The terminal needs CRLF; commands print LF.
    const crlf = text.replace(/\r?\n/g, '\r\n');
    if (this.pending) this.pending.push(crlf);
    else this.writeEmitter.fire(crlf);
  }

  /**
   * Ends the task without an exit code. VS Code appends its own line under
   * any non-zero code ("The terminal process failed to launch (exit code: 1)"
   * within half a second of opening, "terminated with exit code: 1" after),
   * which would sit under our summary and contradict it: the summary says
   * how the run went.
   */
  finish(): void {
    this.closed = true;
    this.finished = true;
    // Closing before VS Code opened the terminal leaves the task stuck: wait for open().
    if (!this.pending) this.closeSoon();
  }

  /**
   * VS Code buffers terminal data for a few milliseconds and drops what is
   * buffered when the task closes at once (microsoft/vscode#85257, #114177).
   */
  private closeSoon(): void {
    setTimeout(() => {
      this.closeEmitter.fire();
      this.writeEmitter.dispose();
      this.closeEmitter.dispose();
    }, 100);
  }
}

export interface ValidationTerminal {
  write(text: string): void;
  commandStarted(index: number, total: number, command: string): void;
  commandEnded(result: CommandResult): void;
  /** Ends the task; the terminal stays for reading. */
  finish(passed: boolean, summary: string): void;
}

/** Starts the `Validate <task>` task whose terminal shows the run's output. */
export async function openValidationTerminal(
  options: { uri: string; taskId: string; cwd: string; dryRun: boolean; folder?: vscode.WorkspaceFolder },
  onUserClose: () => void,
  log: vscode.LogOutputChannel,
): Promise<ValidationTerminal> {
  const pty = new ValidationPty(onUserClose);
  const task = new vscode.Task(
    { type: VALIDATION_TASK_TYPE, uri: options.uri, taskId: options.taskId },
    options.folder ?? vscode.TaskScope.Workspace,
    `Validate ${options.taskId}`,
    'Contracts',
    new vscode.CustomExecution(async () => pty),
    [],
  );
  task.presentationOptions = {
    reveal: vscode.TaskRevealKind.Always,
    panel: vscode.TaskPanelKind.Dedicated,
    focus: false,
    clear: true,
    echo: false,
    showReuseMessage: false,
  };
  try {
    // A run of this contract whose terminal has not closed yet would make VS Code refuse the new one.
    for (const execution of vscode.tasks.taskExecutions) {
      const definition = execution.task.definition;
      if (definition.type === VALIDATION_TASK_TYPE && definition.uri === options.uri && definition.taskId === options.taskId) execution.terminate();
    }
    await vscode.tasks.executeTask(task);
  } catch (error) {
    // The run does not depend on the terminal: results still reach the store and the messages.
    log.warn(`Could not open the validation terminal for ${options.taskId}: ${String(error)}`);
  }
  let atLineStart = true;
  const write = (text: string) => {
    if (!text) return;
    pty.write(text);
    atLineStart = /[\r\n]$/.test(text);
  };
  // Output may not end with a newline; markers start on their own line.
  const fresh = () => (atLineStart ? '' : '\n');
  write(`${BOLD}Validating ${options.taskId}${RESET}${options.dryRun ? ` ${YELLOW}(dry run: the status will not change)${RESET}` : ''}\n${DIM}in ${options.cwd}${RESET}\n`);
  return {
    write,
    commandStarted: (index, total, command) => write(`\n${BOLD}▶ [${index + 1}/${total}] ${command}${RESET}\n`),
    commandEnded: (result) => {
      const colour = result.passed ? GREEN : RED;
      const how = result.passed ? `exit 0 after ${formatDuration(result.durationMs)}` : describeEnd(result);
      write(`${fresh()}${colour}${result.passed ? '✔' : '✘'} ${how}${RESET}\n`);
    },
    finish: (passed, summary) => {
      write(`${fresh()}\n${BOLD}${passed ? GREEN : RED}${summary}${RESET}\n`);
      pty.finish();
    },
  };
}

export function deliverableLine(passed: boolean, text: string): string {
  return passed ? `${GREEN}✔ ${text}${RESET}\n` : `${RED}✘ ${text}${RESET}\n`;
}
