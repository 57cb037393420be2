import { CONTRACT_STATUSES } from '../../../shared/lifecycle';
import { diagnostic, type EngineDiagnostic } from './diagnostics';
import type { TaskInfo } from './model';

/**
 * The contract statuses each version's published schema lists. `@brainfile/core`
 * 0.15.2 (which the official CLI and extension use) accepts all nine in either
 * version, so a status outside this list is valid but worth a note: tools that
 * follow the published schema alone may reject it. v1 counts both published
 * v1 schemas (the December 2025 one had draft, the current one blocked).
 */
export const PUBLISHED_STATUSES: Record<1 | 2, readonly string[]> = {
  1: ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'blocked'],
  2: ['ready', 'in_progress', 'delivered', 'done', 'failed', 'blocked'],
};

const WHY: Record<string, string> = {
  draft: 'the official CLI writes new contracts as draft',
  reworking: 'it marks a failed contract being worked again',
  cancelled: 'it marks work that was called off',
};

/** An information note on a status that core accepts but this version's published schema does not list. */
export function statusNote(task: TaskInfo, version: 1 | 2): EngineDiagnostic | undefined {
  const status = task.contract?.status;
  const node = task.contract?.statusNode;
  if (!status || !node || !(CONTRACT_STATUSES as readonly string[]).includes(status) || PUBLISHED_STATUSES[version].includes(status)) return undefined;
  return diagnostic(
    'version-mismatch',
    'information',
    node.range,
    `The status "${status}" is not in the published Brainfile v${version} contract schema. @brainfile/core and the official tools accept it (${WHY[status]}), so it is valid. A tool that follows the published schema alone would have expected one of ${PUBLISHED_STATUSES[version].join(', ')}.`,
    // The quick fixes offer the published statuses, for a board that must pass strict published-schema tools.
    { allowed: [...PUBLISHED_STATUSES[version]] },
  );
}
