import type { TransitionParams, TransitionResult } from '../../shared/protocol';
import type { Workspace } from './workspace';

/** Placeholder until the engine's transition module lands (being written now). */
export function handleTransition(_workspace: Workspace, params: TransitionParams): TransitionResult {
  return { refused: `Moving ${params.taskId} is not available yet.` };
}
