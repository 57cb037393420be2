import { lastLines, stripAnsi } from './outputBuffer';
import type { CommandResult, ValidationResult } from './runCommands';
import { plural } from '../text';

/** Words about a run, for messages and the `feedback` a reject writes. No `vscode` import. */

export const MAX_FEEDBACK_CHARS = 600;

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** How a command ended, e.g. "exited with 1 after 12 ms". */
export function describeEnd(result: CommandResult): string {
  const after = `after ${formatDuration(result.durationMs)}`;
  if (result.error) return `could not start (${result.error})`;
  if (result.timedOut) return `timed out ${after} and was killed`;
  if (result.cancelled) return `was cancelled ${after}`;
  if (result.signal) return `was killed by ${result.signal} ${after}`;
  if (result.exitCode === 127) return `exited with 127 (command not found) ${after}`;
  return `exited with ${result.exitCode} ${after}`;
}

/** One line for a notification. */
export function describeOutcome(result: ValidationResult): string {
  const commands = result.commands.length;
  const deliverables = result.deliverables.length;
  const checked = [plural(deliverables, 'deliverable'), plural(commands, 'command')].filter((s) => !s.startsWith('0 ')).join(' and ');
  switch (result.outcome) {
    case 'nothing-checked':
      return 'nothing was checked: the contract has no validation commands and no file deliverables';
    case 'cancelled':
      return 'validation was cancelled';
    case 'passed':
      return `${checked} passed in ${formatDuration(result.durationMs)}`;
    case 'failed':
      return firstFailure(result);
  }
}

function firstFailure(result: ValidationResult): string {
  if (result.error) return result.error;
  const deliverable = result.deliverables.find((d) => !d.passed);
  if (deliverable) return `deliverable ${deliverable.reason ?? `${deliverable.path} is missing`}`;
  const command = result.commands.find((c) => !c.passed);
  return command ? `\`${command.command}\` ${describeEnd(command)}` : 'validation failed';
}

/**
 * The `feedback` for a failed run: what failed, how, and the last lines of
 * its output, in at most `max` characters.
 */
export function failureFeedback(result: ValidationResult, max = MAX_FEEDBACK_CHARS): string {
  const failures = result.deliverables.filter((d) => !d.passed).length + result.commands.filter((c) => !c.passed).length;
  const more = failures > 1 ? ` (${failures - 1} more check${failures > 2 ? 's' : ''} failed)` : '';
  const head = `Validation failed: ${firstFailure(result)}.${more}`;
  const command = result.deliverables.some((d) => !d.passed) ? undefined : result.commands.find((c) => !c.passed);
  if (!command) return clip(head, max);
  const lines = lastLines(stripAnsi(command.output), 8).map((line) => clip(line.trimEnd(), 160));
  // Drop the oldest lines until the whole fits.
  while (lines.length && head.length + 1 + lines.join('\n').length + 1 > max) lines.shift();
  return lines.length ? `${head}\n${lines.join('\n')}` : clip(head, max);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
