/**
 * Messages for the agent-facing features (language model tools, Copy Pickup
 * Brief). Plain types only, like `protocol.ts`.
 */

/** client → server: a task's pickup brief in Markdown, as `contracts show` prints it. */
export const BriefRequest = 'contracts/brief';
export interface BriefParams {
  uri: string;
  taskId: string;
}
export interface BriefResult {
  markdown?: string;
  /** Why there is no brief, in words for a person. */
  refused?: string;
}
