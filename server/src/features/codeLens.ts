import type { CodeLens, Command } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { getValue, owningProperty, scalarText, type DataNode } from '../engine/dataNode';
import { isContractStatus, statusesFor, transitionsFrom, VALIDATABLE_STATUSES } from '../../../shared/lifecycle';
import type { ContractInfo, TaskInfo } from '../engine/model';
import type { OffsetRange } from '../engine/text';
import { toRange } from './convert';
import type { FeatureContext } from './featureContext';

/** The arguments every lifecycle lens passes to its command. */
export interface TaskLensArguments {
  uri: string;
  taskId: string;
  /** The status the lens was computed from, so a stale click can be refused. */
  status: string;
  /** The document version the lens was computed from, when the caller knows it. */
  version?: number;
}

/** Shows a label without doing anything when clicked. */
const NO_OP = '';

/**
 * Lenses on each contract's `contract:` line: its status, then one per move
 * allowed now. A deployment gets one summary lens at the top.
 */
export function provideCodeLenses(analysis: DocumentAnalysis, context: Pick<FeatureContext, 'uriOf'>, documentVersion?: number): CodeLens[] {
  const uri = context.uriOf(analysis.path);
  if (analysis.kind === 'deployment') return analysis.deployment?.type === 'object' ? [deploymentLens(analysis, analysis.deployment)] : [];
  const tasks = analysis.task ? [analysis.task] : (analysis.board?.tasks ?? []);
  return tasks.flatMap((task) => contractLenses(analysis, task, uri, documentVersion));
}

function lens(analysis: DocumentAnalysis, range: OffsetRange, command: Command): CodeLens {
  return { range: toRange(analysis.lines, range), command };
}

function contractLenses(analysis: DocumentAnalysis, task: TaskInfo, uri: string, documentVersion: number | undefined): CodeLens[] {
  const contractNode = task.contractNode;
  const property = contractNode && owningProperty(contractNode);
  if (!contractNode || !property) return [];
  const at = property.keyRange;
  const version = analysis.version ?? 1;
  const status = task.contract?.status;
  if (!task.contract) return [lens(analysis, at, { title: '⚠ contract is not a mapping', command: NO_OP })];
  if (!status || !isContractStatus(status) || !statusesFor(version).includes(status)) {
    const written = scalarText(task.contract.statusNode);
    const title = written === undefined ? '⚠ no contract status' : `⚠ unknown status "${written}" (Brainfile v${version} allows ${statusesFor(version).join(', ')})`;
    return [lens(analysis, at, { title, command: NO_OP })];
  }
  if (task.id === undefined) return [lens(analysis, at, { title: `● ${status}`, command: NO_OP })];
  const args: TaskLensArguments = { uri, taskId: task.id, status };
  if (documentVersion !== undefined) args.version = documentVersion;
  return [
    lens(analysis, at, { title: `● ${status}`, command: 'contracts.openTask', arguments: [args] }),
    ...validateLens(analysis, at, task.contract, args),
    // Cancel is offered in the Tasks view and the palette: a lens on every open contract would be noise.
    ...transitionsFrom(status, version).filter((t) => t.name !== 'cancel').map((t) => lens(analysis, at, { title: t.title, command: t.command, arguments: [args] })),
  ];
}

/** Validation runs only on a click: for delivered contracts, and as a dry run while the work is under way. */
function validateLens(analysis: DocumentAnalysis, at: OffsetRange, contract: ContractInfo, args: TaskLensArguments): CodeLens[] {
  if (!(VALIDATABLE_STATUSES as readonly string[]).includes(args.status ?? '')) return [];
  const count = contract.commands.length;
  const what = `${count} command${count === 1 ? '' : 's'}`;
  const title = args.status === 'delivered' ? `▶ Validate (${what})` : `▶ Validate, dry run (${what})`;
  return [lens(analysis, at, { title, command: 'contracts.runValidation', arguments: [args] })];
}

function deploymentLens(analysis: DocumentAnalysis, root: DataNode): CodeLens {
  const quality = getValue(root, 'quality');
  const coverage = getValue(quality, 'coverage');
  const tests = getValue(quality, 'tests');
  const num = (node: DataNode | undefined, key: string) => {
    const value = getValue(node, key);
    return value?.type === 'number' ? (value.value as number) : undefined;
  };
  const parts = [scalarText(getValue(root, 'status')) ?? 'no status'];
  const [actual, required] = [num(coverage, 'actual'), num(coverage, 'required')];
  if (actual !== undefined) {
    const mark = required === undefined ? '' : actual >= required ? ' ✓' : ' ✗';
    parts.push(`coverage ${actual}%${required !== undefined ? ` / ${required}%` : ''}${mark}`);
  }
  const [total, passed, failed] = [num(tests, 'total'), num(tests, 'passed'), num(tests, 'failed')];
  if (passed !== undefined || failed !== undefined) {
    const counted = total ?? (passed ?? 0) + (failed ?? 0);
    parts.push(`tests ${passed ?? 0}/${counted} passed${failed ? `, ${failed} failed` : ''}`);
  }
  const firstLine = analysis.lines.lineEndOffset(analysis.lines.positionAt(root.range.start).line);
  return lens(analysis, { start: root.range.start, end: Math.max(root.range.start, Math.min(firstLine, root.range.end)) }, { title: parts.join(' · '), command: NO_OP });
}
