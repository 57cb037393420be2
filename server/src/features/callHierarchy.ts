import { SymbolKind, type CallHierarchyIncomingCall, type CallHierarchyItem, type CallHierarchyOutgoingCall, type Position } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { TaskGraph, type WaitEdge } from '../engine/taskGraph';
import { toRange } from './convert';
import { boardTasks, type FeatureContext, type TaskRef } from './featureContext';
import { idOccurrenceAt } from './taskIds';

/**
 * Dependencies as a call hierarchy: a task "calls" the tasks it waits for
 * (`blockedBy`, `dependsOn`), and is "called" by the tasks that wait for it,
 * across the files of its board. A task on a cycle says so in its detail.
 */
export function prepareCallHierarchy(analysis: DocumentAnalysis, position: Position, context: FeatureContext): CallHierarchyItem[] | null {
  const at = idOccurrenceAt(analysis, analysis.lines.offsetAt(position), context);
  if (!at) return null;
  const graph = boardGraph(analysis, context);
  const task = graph.byId.get(at.id);
  return task ? [taskItem(task, graph)] : null;
}

/** The tasks that wait for the item's task, each with the entries that name it. */
export function provideIncomingCalls(analysis: DocumentAnalysis, item: CallHierarchyItem, context: FeatureContext): CallHierarchyIncomingCall[] {
  const graph = boardGraph(analysis, context);
  return groupBy(graph.waitedBy(item.name), (e) => e.from).map(([from, edges]) => ({
    from: taskItem(from, graph),
    fromRanges: edges.map((e) => toRange(from.analysis.lines, e.node.range)),
  }));
}

/** The tasks the item's task waits for, each with the entries in the item's task that name them. */
export function provideOutgoingCalls(analysis: DocumentAnalysis, item: CallHierarchyItem, context: FeatureContext): CallHierarchyOutgoingCall[] {
  const graph = boardGraph(analysis, context);
  const task = graph.byId.get(item.name);
  if (!task) return [];
  return groupBy(graph.waitsFor(task), (e) => e.to ?? e.toId).map(([, edges]) => ({
    to: edges[0].to ? taskItem(edges[0].to, graph) : missingItem(task, edges[0]),
    fromRanges: edges.map((e) => toRange(task.analysis.lines, e.node.range)),
  }));
}

function boardGraph(analysis: DocumentAnalysis, context: FeatureContext): TaskGraph<TaskRef> {
  return new TaskGraph(boardTasks(context, analysis));
}

function taskItem(ref: TaskRef, graph: TaskGraph<TaskRef>): CallHierarchyItem {
  const { task, analysis } = ref;
  const id = task.id!;
  const cycle = graph.cycleOf(id);
  const detail = [task.title, task.contract?.status, cycle ? `⟳ cycle: ${cycle.join(' → ')}` : undefined].filter(Boolean).join(' · ');
  return {
    name: id,
    kind: SymbolKind.Object,
    detail,
    uri: ref.uri,
    range: toRange(analysis.lines, task.node.range),
    selectionRange: toRange(analysis.lines, (task.idNode ?? task.node).range),
    data: { id, cycle: cycle !== undefined },
  };
}

/** An id no task has: shown where it is written, so the dangling reference can be found. */
function missingItem(holder: TaskRef, edge: WaitEdge<TaskRef>): CallHierarchyItem {
  const range = toRange(holder.analysis.lines, edge.node.range);
  return { name: edge.toId, kind: SymbolKind.Null, detail: 'no such task on this board', uri: holder.uri, range, selectionRange: range };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Array<[K, T[]]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return [...groups];
}
