import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { DeliverableResult } from '../../../shared/validation/deliverables';
import type { CommandResult, ValidationOutcome } from '../../../shared/validation/runCommands';
import { describeEnd, formatDuration } from '../../../shared/validation/summary';

/**
 * The state of each task's validation, for the Tasks view (a spinning icon
 * while it runs, one child row per check) and `contracts.showValidationOutput`.
 * Get it with `ValidationResults.of(ctx)`; it lives as long as the extension.
 */

/** Matches the tree's `validationCheck;kind=…;state=…;` context value. */
export type CheckState = 'pending' | 'running' | 'pass' | 'fail';

export interface ValidationCheck {
  /** Stable within a task: `deliverable:<index>` or `command:<index>`. */
  id: string;
  kind: 'command' | 'deliverable';
  /** The command line, or the deliverable's path. */
  label: string;
  state: CheckState;
  /** One line: "exit 0 · 1.2 s", "does not exist", "skipped after an earlier failure". */
  detail?: string;
  exitCode?: number | null;
  signal?: string | null;
  timedOut?: boolean;
  cancelled?: boolean;
  durationMs?: number;
  /** When it ran (epoch ms). */
  ranAt?: number;
  /** The bounded tail of its output (ANSI codes kept). */
  output?: string;
}

export interface TaskValidation {
  /** `${uri}#${taskId}`, the Tasks view's key. */
  key: string;
  uri: string;
  taskId: string;
  running: boolean;
  /** An in_progress contract is validated without any status change. */
  dryRun: boolean;
  startedAt: number;
  finishedAt?: number;
  /** Set once a run ended. */
  outcome?: ValidationOutcome;
  checks: ValidationCheck[];
}

/** What `contracts.showValidationOutput` receives from a check row. */
export interface ValidationCheckRef {
  uri: string;
  taskId: string;
  checkId: string;
}

export interface ValidationChange {
  key: string;
  uri: string;
  taskId: string;
}

const stores = new WeakMap<Ctx, ValidationResults>();

export function validationKey(uri: string, taskId: string): string {
  return `${uri}#${taskId}`;
}

export class ValidationResults implements vscode.Disposable {
  private readonly entries = new Map<string, TaskValidation>();
  private readonly changeEmitter = new vscode.EventEmitter<ValidationChange>();
  /** Fires when a run starts or ends, and when one check changes state (not per output line). */
  readonly onDidChange = this.changeEmitter.event;

  static of(ctx: Ctx): ValidationResults {
    let store = stores.get(ctx);
    if (!store) {
      store = new ValidationResults();
      stores.set(ctx, store);
      ctx.pushExtCleanup(store);
    }
    return store;
  }

  get(uri: string, taskId: string): TaskValidation | undefined {
    return this.entries.get(validationKey(uri, taskId));
  }

  /** By the Tasks view's key, `${uri}#${taskId}`. */
  byKey(key: string): TaskValidation | undefined {
    return this.entries.get(key);
  }

  isRunning(uri: string, taskId: string): boolean {
    return this.get(uri, taskId)?.running === true;
  }

  all(): TaskValidation[] {
    return [...this.entries.values()];
  }

  check(ref: ValidationCheckRef): ValidationCheck | undefined {
    return this.get(ref.uri, ref.taskId)?.checks.find((c) => c.id === ref.checkId);
  }

  /** The argument a check row passes to `contracts.showValidationOutput`. */
  refOf(validation: TaskValidation, check: ValidationCheck): ValidationCheckRef {
    return { uri: validation.uri, taskId: validation.taskId, checkId: check.id };
  }

  // ---- written by the validation controller only ----------------------------

  begin(uri: string, taskId: string, dryRun: boolean, deliverables: ReadonlyArray<{ index: number; path: string }>, commands: readonly string[]): TaskValidation {
    const entry: TaskValidation = {
      key: validationKey(uri, taskId),
      uri,
      taskId,
      running: true,
      dryRun,
      startedAt: Date.now(),
      checks: [
        ...deliverables.map((d): ValidationCheck => ({ id: `deliverable:${d.index}`, kind: 'deliverable', label: d.path, state: 'pending' })),
        ...commands.map((command, index): ValidationCheck => ({ id: `command:${index}`, kind: 'command', label: command, state: 'pending' })),
      ],
    };
    this.entries.set(entry.key, entry);
    this.fire(entry);
    return entry;
  }

  deliverablesChecked(entry: TaskValidation, results: readonly DeliverableResult[]): void {
    const ranAt = Date.now();
    for (const result of results) {
      const check = entry.checks.find((c) => c.id === `deliverable:${result.index}`);
      if (!check) continue;
      Object.assign(check, { state: result.passed ? 'pass' : 'fail', detail: result.passed ? 'exists' : result.reason, ranAt, output: result.passed ? `${result.absolutePath} exists.` : `${result.reason}.\nLooked for ${result.absolutePath}` });
    }
    this.fire(entry);
  }

  commandStarted(entry: TaskValidation, index: number): void {
    const check = entry.checks.find((c) => c.id === `command:${index}`);
    if (check) Object.assign(check, { state: 'running', detail: 'running…', ranAt: Date.now(), output: undefined, exitCode: undefined, durationMs: undefined });
    this.fire(entry);
  }

  commandEnded(entry: TaskValidation, result: CommandResult): void {
    const check = entry.checks.find((c) => c.id === `command:${result.index}`);
    if (check) {
      Object.assign(check, {
        state: result.passed ? 'pass' : 'fail',
        detail: result.passed ? `exit 0 · ${formatDuration(result.durationMs)}` : describeEnd(result),
        exitCode: result.exitCode,
        signal: result.signal,
        timedOut: result.timedOut,
        cancelled: result.cancelled,
        durationMs: result.durationMs,
        ranAt: result.startedAt,
        output: result.output,
      });
    }
    this.fire(entry);
  }

  end(entry: TaskValidation, outcome: ValidationOutcome, skipped: readonly number[]): void {
    for (const index of skipped) {
      const check = entry.checks.find((c) => c.id === `command:${index}`);
      if (check?.state === 'pending') check.detail = outcome === 'cancelled' ? 'not run: cancelled' : 'not run: an earlier check failed';
    }
    for (const check of entry.checks) if (check.kind === 'deliverable' && check.state === 'pending') check.detail = 'not checked';
    entry.running = false;
    entry.outcome = outcome;
    entry.finishedAt = Date.now();
    this.fire(entry);
  }

  private fire(entry: TaskValidation): void {
    this.changeEmitter.fire({ key: entry.key, uri: entry.uri, taskId: entry.taskId });
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
