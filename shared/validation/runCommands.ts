import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { checkDeliverables, type Deliverable, type DeliverableResult } from './deliverables';
import { DEFAULT_TAIL_CHARS, TailBuffer } from './outputBuffer';

/**
 * Runs a contract's checks: deliverables first, then `validation.commands`
 * one after another through the shell. No `vscode` import, so it is unit
 * tested with real processes.
 */

const POSIX = process.platform !== 'win32';
export const DEFAULT_KILL_GRACE_MS = 2000;

export interface CommandResult {
  index: number;
  command: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  startedAt: number;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  passed: boolean;
  /** The last characters of stdout and stderr, interleaved as they came. */
  output: string;
  /** Characters printed in all; more than `output.length` when the tail was cut. */
  outputChars: number;
  /** The process id of the shell, which also leads the command's process group on POSIX. */
  pid?: number;
  /** Set when the shell could not be started. */
  error?: string;
}

export interface RunListener {
  onDeliverables?(results: DeliverableResult[]): void;
  onCommandStart?(index: number, command: string): void;
  /** Live output; called often, so keep it cheap. */
  onOutput?(index: number, text: string): void;
  onCommandEnd?(result: CommandResult): void;
}

export interface CommandOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  killGraceMs?: number;
  tailChars?: number;
  env?: NodeJS.ProcessEnv;
}

export interface ValidationPlan {
  /** Where deliverable paths are looked up. */
  projectFolder: string;
  deliverables: readonly Deliverable[];
  commands: readonly string[];
}

export interface RunOptions extends CommandOptions {
  continueOnFailure: boolean;
  listener?: RunListener;
}

export type ValidationOutcome = 'passed' | 'failed' | 'cancelled' | 'nothing-checked';

export interface ValidationResult {
  outcome: ValidationOutcome;
  deliverables: DeliverableResult[];
  commands: CommandResult[];
  /** Commands not run, after a failure or a cancel. */
  skippedCommands: number[];
  durationMs: number;
  /** Set when the run could not start (the working folder is missing). */
  error?: string;
}

export async function runValidation(plan: ValidationPlan, options: RunOptions): Promise<ValidationResult> {
  const started = Date.now();
  const { listener } = options;
  const deliverables = await checkDeliverables(plan.projectFolder, plan.deliverables);
  listener?.onDeliverables?.(deliverables);
  const result: ValidationResult = { outcome: 'passed', deliverables, commands: [], skippedCommands: [], durationMs: 0 };
  const finish = (outcome: ValidationOutcome, from: number): ValidationResult => {
    result.outcome = outcome;
    result.skippedCommands = plan.commands.map((_, i) => i).filter((i) => i >= from);
    result.durationMs = Date.now() - started;
    return result;
  };
  if (deliverables.length === 0 && plan.commands.length === 0) return finish('nothing-checked', 0);
  let failed = deliverables.some((d) => !d.passed);
  if (failed && !options.continueOnFailure) return finish('failed', 0);
  if (plan.commands.length > 0) {
    const folder = await stat(options.cwd).catch(() => undefined);
    // spawn reports a missing cwd as "spawn /bin/sh ENOENT"; say what is wrong instead.
    if (!folder?.isDirectory()) {
      result.error = `The working folder ${options.cwd} does not exist.`;
      return finish('failed', 0);
    }
  }
  for (const [index, command] of plan.commands.entries()) {
    if (options.signal?.aborted) return finish('cancelled', index);
    listener?.onCommandStart?.(index, command);
    const commandResult = await runCommand(command, index, { ...options, onOutput: (text) => listener?.onOutput?.(index, text) });
    result.commands.push(commandResult);
    listener?.onCommandEnd?.(commandResult);
    if (commandResult.cancelled) return finish('cancelled', index + 1);
    if (!commandResult.passed) {
      failed = true;
      if (!options.continueOnFailure) return finish('failed', index + 1);
    }
  }
  return finish(failed ? 'failed' : 'passed', plan.commands.length);
}

/**
 * Runs one shell command in its own process group and resolves once it ended
 * and its output closed. A timeout or an abort kills the whole group: SIGTERM,
 * then SIGKILL after a grace period.
 */
export function runCommand(command: string, index: number, options: CommandOptions & { onOutput?: (text: string) => void }): Promise<CommandResult> {
  const startedAt = Date.now();
  const tail = new TailBuffer(options.tailChars ?? DEFAULT_TAIL_CHARS);
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  return new Promise((resolve) => {
    const result: CommandResult = {
      index,
      command,
      exitCode: null,
      signal: null,
      startedAt,
      durationMs: 0,
      timedOut: false,
      cancelled: false,
      passed: false,
      output: '',
      outputChars: 0,
    };
    let child: ChildProcess;
    try {
      child = spawn(command, {
        shell: true,
        cwd: options.cwd,
        env: options.env ?? process.env,
        // Its own process group, so the whole tree can be killed at once.
        detached: POSIX,
        // No stdin: a command that waits for input reads EOF instead of hanging.
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      resolve({ ...result, durationMs: Date.now() - startedAt, error: String(error) });
      return;
    }
    result.pid = child.pid;
    let done = false;
    let exited = false;
    let killing = false;
    const timers: NodeJS.Timeout[] = [];

    const take = (decoder: StringDecoder) => (chunk: Buffer) => {
      const text = decoder.write(chunk);
      if (!text) return;
      tail.push(text);
      options.onOutput?.(text);
    };
    const outDecoder = new StringDecoder('utf8');
    const errDecoder = new StringDecoder('utf8');
    child.stdout?.on('data', take(outDecoder));
    child.stderr?.on('data', take(errDecoder));

    const killGroup = (signal: NodeJS.Signals) => killTree(child.pid, signal);
    const stop = (why: 'timeout' | 'cancel') => {
      if (done || killing) return;
      killing = true;
      if (why === 'timeout') result.timedOut = true;
      else result.cancelled = true;
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), grace));
      // A grandchild that left our group may hold the pipes open; stop waiting for them.
      timers.push(setTimeout(() => finish(), grace + 1000));
    };

    const finish = () => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      options.signal?.removeEventListener('abort', onAbort);
      const rest = outDecoder.end() + errDecoder.end();
      if (rest) {
        tail.push(rest);
        options.onOutput?.(rest);
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (child.pid !== undefined && groupAlive(child.pid)) {
        if (killing) killGroup('SIGKILL');
        else {
          // The shell exited but left processes behind: no validation may outlive its run.
          killGroup('SIGTERM');
          setTimeout(() => killGroup('SIGKILL'), grace).unref();
        }
      }
      result.durationMs = Date.now() - startedAt;
      result.output = tail.text();
      result.outputChars = tail.total;
      result.passed = result.exitCode === 0 && !result.timedOut && !result.cancelled && !result.error;
      resolve(result);
    };

    const onAbort = () => stop('cancel');
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => stop('timeout'), options.timeoutMs));

    child.on('error', (error) => {
      result.error = error.message;
      if (!exited) finish();
    });
    child.on('exit', (code, signal) => {
      exited = true;
      result.exitCode = code;
      result.signal = signal;
      // Background processes may keep the pipes open after the shell is gone; end them.
      if (!done && !killing && child.pid !== undefined && groupAlive(child.pid)) {
        killGroup('SIGTERM');
        timers.push(setTimeout(() => killGroup('SIGKILL'), grace));
        timers.push(setTimeout(() => finish(), grace + 1000));
      }
    });
    child.on('close', () => finish());
  });
}

/** Kills a process and all it started: the process group on POSIX, `taskkill /T` on Windows. */
export function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  if (POSIX) {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
    return;
  }
  try {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).on('error', () => undefined);
  } catch {
    // taskkill missing: nothing better to do.
  }
}

/** Whether any process of the group led by `pid` is still alive (POSIX only). */
export function groupAlive(pid: number): boolean {
  if (!POSIX) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but is not ours, which cannot happen for our own group.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
