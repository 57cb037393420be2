import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { baseName } from '../engine/classify';
import type { PathSegment, ScalarNode } from '../engine/dataNode';
import { transitionsFrom } from '../../../shared/lifecycle';
import { schemaAtPath, SchemaIds, type JsonSchema, type SchemaId } from '../engine/schemaStore';
import type { OffsetRange } from '../engine/text';
import { toRange } from './convert';
import { boardTasks, type FeatureContext, type TaskRef } from './featureContext';
import { findTaskById, isTaskReference, tokenAt } from './lookup';
import { TaskGraph } from '../engine/taskGraph';
import { codeSpan, escapeMarkdown } from './markdown';

/**
 * Hover: a key shows its field's documentation; an enum value what it means
 * (and, for a contract status, the moves out of it); a `blockedBy` id the task
 * it names.
 */
export function provideHover(analysis: DocumentAnalysis, position: Position, context: FeatureContext): Hover | null {
  const token = tokenAt(analysis, analysis.lines.offsetAt(position));
  if (!token) return null;
  const version = analysis.version ?? 1;
  if (token.kind === 'key') {
    const doc = fieldDoc(token.region.schemaId, token.path);
    return doc ? markdownHover(analysis, doc, token.property.keyRange) : null;
  }

  const { node, path } = token;
  if (isTaskReference(path)) return markdownHover(analysis, blockedByDoc(analysis, node, context), node.range);
  const defined = definitionAt(analysis, node, context);
  if (defined) return markdownHover(analysis, taskDoc(defined, context), node.range);
  const at = schemaAtPath(token.region.schemaId, path);
  if (!at) return null;
  const index = at.schema.enum?.findIndex((allowed) => allowed === node.value) ?? -1;
  if (index < 0) {
    // A value outside the enum gets the allowed values; a plain value its field's docs.
    const doc = at.schema.description || at.schema.enum ? fieldDoc(token.region.schemaId, path) : undefined;
    return doc ? markdownHover(analysis, doc, node.range) : null;
  }
  const lines = [`**\`${String(node.value)}\`** · ${isContractStatus(path) ? 'contract status' : `value of \`${displayPath(path)}\``}`];
  const meaning = at.schema.enumDescriptions?.[index];
  if (meaning) lines.push('', meaning);
  if (isContractStatus(path)) lines.push('', ...nextMoves(String(node.value), version));
  if (analysis.kind === 'deployment' && path.length === 1 && path[0] === 'status' && analysis.diagnostics.some((d) => d.code === 'status-quality-conflict')) {
    lines.push('', SUCCEEDED_WITH_FAILURES);
  }
  return markdownHover(analysis, lines.join('\n'), node.range);
}

/** Why a Succeeded deployment with a failing quality gate is a note, not an error. */
const SUCCEEDED_WITH_FAILURES = [
  '**Succeeded, with a quality gate that did not pass.** `status` records the outcome the pipeline decided; `quality` records what was measured.',
  'A team may still call such a deployment a success: the failing tests may be known or quarantined, or the coverage threshold advisory for this change.',
  "glassops' own reference contract is Succeeded with 5 of 100 tests failed. Check that Succeeded is intended.",
].join(' ');

function markdownHover(analysis: DocumentAnalysis, value: string, range: OffsetRange): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(analysis.lines, range) };
}

function isContractStatus(path: readonly PathSegment[]): boolean {
  return path.length >= 2 && path[path.length - 1] === 'status' && path[path.length - 2] === 'contract';
}

/** `columns[0].tasks[1].contract.status`: the path a person would write. */
function displayPath(path: readonly PathSegment[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

function typeLabel(schema: JsonSchema): string | undefined {
  if (schema.enum) return 'enum';
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.length ? types.map((t) => (t === 'array' ? 'list' : t)).join(' or ') : undefined;
}

/** The documentation of the field at `path`: path, type, description, allowed values. */
function fieldDoc(schemaId: SchemaId, path: readonly PathSegment[]): string | undefined {
  const at = schemaAtPath(schemaId, path);
  if (!at) return undefined;
  const { schema } = at;
  const parent = schemaAtPath(schemaId, path.slice(0, -1));
  const last = path[path.length - 1];
  const required = typeof last === 'string' && parent?.schema.required?.includes(last);
  const facts = [typeLabel(schema), required ? 'required' : undefined].filter(Boolean).join(', ');
  const lines = [`**\`${displayPath(path)}\`**${facts ? ` · *${facts}*` : ''}`];
  if (schema.description) lines.push('', schema.description);
  if (schema.deprecationMessage) lines.push('', `**Deprecated:** ${schema.deprecationMessage}`);
  if (schema.enum?.length) {
    lines.push('', 'Allowed values:');
    schema.enum.forEach((value, i) => {
      const meaning = schema.enumDescriptions?.[i];
      lines.push(`- \`${String(value)}\`${meaning ? `: ${meaning}` : ''}`);
    });
  } else if (schema.examples?.length) {
    lines.push('', `Example: ${schema.examples.map((e) => `\`${typeof e === 'string' ? e : JSON.stringify(e)}\``).join(', ')}`);
  }
  if (schema.default !== undefined && typeof schema.default !== 'object') lines.push('', `Default: \`${String(schema.default)}\``);
  return lines.join('\n');
}

/** What can happen next to a contract in `status`, and which command does it. */
function nextMoves(status: string, version: 1 | 2): string[] {
  const moves = transitionsFrom(status, version);
  if (!moves.length) return [`No transition leads out of ${status}: it is final.`];
  return ['Next:', ...moves.map((t) => `- ${t.title} → ${t.to} (\`${t.command}\`)`)];
}

function statusMeaning(status: string, version: 1 | 2): string | undefined {
  const schema = schemaAtPath(version === 2 ? SchemaIds.contractV2 : SchemaIds.contractV1, ['status'])?.schema;
  const index = schema?.enum?.indexOf(status) ?? -1;
  return index >= 0 ? schema?.enumDescriptions?.[index] : undefined;
}

function blockedByDoc(analysis: DocumentAnalysis, node: ScalarNode, context: FeatureContext): string {
  const id = String(node.value);
  const ref = findTaskById(analysis, id, context);
  if (!ref) return `Task ${codeSpan(id)} does not exist in this board. Expected the id of a task this one waits for.`;
  const { task } = ref;
  const lines = [`**${escapeMarkdown(id)}**${task.title ? ` · ${escapeMarkdown(task.title)}` : ''}`, ''];
  const status = task.contract?.status;
  const version = ref.analysis.version ?? analysis.version ?? 1;
  if (status) {
    const meaning = statusMeaning(status, version);
    lines.push(`Contract status: ${codeSpan(status)}${meaning ? `: ${meaning}` : ' (not a valid status)'}`);
  } else {
    lines.push(task.contractNode ? 'Contract status: none set.' : 'No contract.');
  }
  const where = [
    task.columnId ? `column ${codeSpan(task.columnId)}` : task.location === 'archive' ? 'the archive' : undefined,
    ref.analysis.path !== analysis.path ? escapeMarkdown(baseName(ref.analysis.path)) : undefined,
  ];
  if (where.some(Boolean)) lines.push('', `In ${where.filter(Boolean).join(', in ')}.`);
  return lines.join('\n');
}

/** The task whose own `id` value is `node` (fenced examples define nothing). */
function definitionAt(analysis: DocumentAnalysis, node: ScalarNode, context: FeatureContext): TaskRef | undefined {
  const tasks = analysis.kind === 'task' ? (analysis.task ? [analysis.task] : []) : (analysis.board?.tasks ?? []);
  const task = tasks.find((t) => t.idNode === node && t.location !== 'fence' && t.id !== undefined);
  return task ? { uri: context.uriOf(analysis.path), task, analysis } : undefined;
}

/** A task's hover: its title and status, the blockers it still waits for, and a cycle it sits on. */
function taskDoc(ref: TaskRef, context: FeatureContext): string {
  const { task } = ref;
  const graph = new TaskGraph(boardTasks(context, ref.analysis));
  const self = graph.byId.get(task.id!) ?? ref;
  const lines = [`**${escapeMarkdown(task.id!)}**${task.title ? ` · ${escapeMarkdown(task.title)}` : ''}`, ''];
  lines.push(task.contract?.status ? `Contract status: ${codeSpan(task.contract.status)}` : task.contractNode ? 'Contract status: none set.' : 'No contract.');
  const open = graph.openBlockers(self);
  lines.push('');
  if (!open.length) lines.push(graph.waitsFor(self).length ? 'Every blocker is done.' : 'Waits for no task.');
  else {
    lines.push(`Waits for ${open.length} open task${open.length === 1 ? '' : 's'}:`);
    for (const edge of open) {
      const target = edge.to?.task;
      lines.push(target ? `- ${codeSpan(edge.toId)}${target.title ? ` ${escapeMarkdown(target.title)}` : ''} (${target.contract?.status ? codeSpan(target.contract.status) : 'no contract'}, ${edge.field})` : `- ${codeSpan(edge.toId)}: no such task on this board (${edge.field})`);
    }
  }
  const cycle = graph.cycleOf(task.id!);
  if (cycle) lines.push('', `**Cycle:** ${cycle.map(escapeMarkdown).join(' → ')}. These tasks wait for each other, so none can start.`);
  const waiting = new Set(graph.waitedBy(task.id!).map((e) => e.from)).size;
  if (waiting) lines.push('', `${waiting} task${waiting === 1 ? ' waits' : 's wait'} for this one.`);
  return lines.join('\n');
}
