// task-9 (done): the shape of one tool-call event.
export interface ToolCallEvent {
  id: string;
  name: 'tool.started' | 'tool.finished' | 'tool.failed';
  at: string;
}
