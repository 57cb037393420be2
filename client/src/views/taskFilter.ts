import type { TaskSummary } from '../../../shared/protocol';

export type TaskFilterKind = 'assignee' | 'priority' | 'text';

/** One filter at a time; an empty `value` for assignee or priority means "not set". */
export interface TaskFilter {
  kind: TaskFilterKind;
  value: string;
}

export function matchesFilter(task: TaskSummary, filter: TaskFilter | undefined): boolean {
  if (!filter) return true;
  const wanted = filter.value.trim().toLowerCase();
  switch (filter.kind) {
    case 'assignee':
      return (task.assignee ?? '').toLowerCase() === wanted;
    case 'priority':
      return (task.priority ?? '').toLowerCase() === wanted;
    case 'text':
      return searchableText(task).includes(wanted);
  }
}

export function describeFilter(filter: TaskFilter): string {
  if (filter.kind === 'text') return `Filtered: text contains "${filter.value}"`;
  return `Filtered: ${filter.kind} = ${filter.value || '(none)'}`;
}

function searchableText(task: TaskSummary): string {
  return [
    task.id,
    task.title,
    task.assignee,
    task.priority,
    task.column,
    task.boardTitle,
    task.status ?? task.invalidStatus,
    task.feedback,
    ...task.deliverables.flatMap((d) => [d.path, d.description]),
    ...task.commands,
    ...task.constraints,
  ]
    .filter((part): part is string => typeof part === 'string')
    .join('\n')
    .toLowerCase();
}
