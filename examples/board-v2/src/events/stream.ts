// task-10 (in progress): server-sent events for every tool call.
export function formatEvent(id: string, data: unknown): string {
  return `id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}
