import type { DocumentAnalysis } from './analyze';
import { getString, getValue, toPlain } from './dataNode';
import { statusesFor, transitionsFrom, validatesAsDryRun } from '../../../shared/lifecycle';
import type { TaskInfo } from './model';
import { scanFrontMatter } from './regions';

/**
 * The pickup brief of a task: everything a worker (a person or an agent)
 * needs to do it, in Markdown, with the exact commands that move it on.
 * Shared by `contracts show`, the MCP `get_task` tool and the editor's
 * "Copy Pickup Brief", so all say the same.
 */

export interface BriefOptions {
  /** How the file is named to the reader (relative to the project, say). */
  file: string;
  /** The board's title, when known. */
  boardTitle?: string;
  /** The `--board` argument the commands should carry, if any. */
  boardArgument?: string;
}

export function pickupBrief(analysis: DocumentAnalysis, task: TaskInfo, options: BriefOptions): string {
  const plain = toPlain(task.node) as Record<string, unknown>;
  const contract = task.contract;
  const contractPlain = (contract ? toPlain(contract.node) : {}) as Record<string, unknown>;
  const context = isObject(contractPlain.context) ? contractPlain.context : {};
  const version = analysis.version ?? 1;
  const id = task.id ?? '(no id)';
  const out: string[] = [`# ${id}: ${oneLine(task.title ?? '(untitled)')}`, ''];

  const facts = [
    `- **Status:** ${contract?.status ?? (task.contractNode ? '(no valid status)' : 'no contract')}`,
    task.assignee && `- **Assignee:** ${oneLine(task.assignee)}`,
    task.priority && `- **Priority:** ${oneLine(task.priority)}`,
    task.columnId && `- **Column:** ${oneLine(task.columnId)}`,
    `- **Board:** ${options.boardTitle ? `${oneLine(options.boardTitle)} ` : ''}(Brainfile v${version})`,
    `- **File:** \`${options.file}\``,
  ].filter(Boolean) as string[];
  out.push(...facts, '');

  const description = text(plain.description) ?? (analysis.kind === 'task' ? body(analysis) : undefined);
  // A task file's body usually brings its own headings.
  if (description) out.push(...(/^#/.test(description.trim()) ? [] : ['## Description', '']), description.trim(), '');
  const background = text(context.background);
  if (background) out.push('## Background', '', background.trim(), '');

  if (contract?.deliverables.length) {
    out.push('## Deliverables', '');
    for (const d of contract.deliverables) {
      const what = [d.type && `(${d.type})`, d.description].filter(Boolean).join(' ');
      out.push(`- ${d.path ? `\`${d.path}\`` : '(no path)'}${what ? ` ${oneLine(what)}` : ''}`);
    }
    out.push('');
  }
  list(out, 'Constraints', contract?.constraints ?? []);
  if (contract?.commands.length) out.push('## Validation commands', '', ...contract.commands.map((c) => `- \`${oneLine(c)}\``), '');
  list(out, 'Relevant files', [...strings(context.relevantFiles), ...strings(plain.relatedFiles)].map((f) => `\`${f}\``));
  list(out, 'Out of scope', [...strings(context.outOfScope), ...strings(contractPlain.outOfScope)]);
  const feedback = contract ? getString(contract.node, 'feedback') : undefined;
  if (feedback) out.push('## Feedback from the last review', '', ...feedback.trim().split(/\r?\n/).map((l) => `> ${l}`), '');
  const rework = getValue(getValue(contract?.node, 'metrics'), 'reworkCount');
  if (rework?.type === 'number' && (rework.value as number) > 0) out.push(`This is rework round ${String(rework.value)}.`, '');

  out.push('## Next steps', '');
  const board = options.boardArgument ? ` --board ${shellQuote(options.boardArgument)}` : '';
  const status = contract?.status;
  if (!contract) out.push('This task has no contract yet; a requester adds one before it can be claimed.');
  else if (!status || !statusesFor(version).includes(status as never)) out.push(`Fix the contract's status first (Brainfile v${version} allows ${statusesFor(version).join(', ')}).`);
  else {
    const moves = transitionsFrom(status, version);
    if (!moves.length) out.push(`${status} is final: nothing moves this task on.`);
    for (const move of moves) out.push(`- ${move.title} (${status} → ${move.to}): \`contracts ${move.name} ${id}${board} --expect-status ${status}\``);
    // Work not yet delivered (in progress, or reworked after a failure) is validated as a dry run.
    const working = validatesAsDryRun(status);
    if (working || status === 'delivered') {
      out.push(`- Run the validation${working ? ' as a dry run (the status stays)' : ' and write the verdict'}: \`contracts validate ${id}${board}${working ? ' --dry-run' : ''}\``);
    }
  }
  return out.join('\n').trimEnd() + '\n';
}

function list(out: string[], heading: string, items: string[]): void {
  if (items.length) out.push(`## ${heading}`, '', ...items.map((i) => `- ${oneLine(i)}`), '');
}

function body(analysis: DocumentAnalysis): string | undefined {
  const rest = analysis.text.slice(scanFrontMatter(analysis.text).bodyStart).trim();
  return rest || undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(value: string): string {
  return /^[\w./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
