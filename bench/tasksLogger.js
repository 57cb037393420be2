// Preload for the bench's server (`BENCH_SERVER_ARGV="--require ./bench/tasksLogger.js" BENCH_TASKS_LOG=file`): per
// `contracts/tasks` answer, one line of JSON: how long it waited and was built (from the request's arrival to its answer
// being sent), how long sending took (serializing and writing to the IPC channel: `process.send` does both at once),
// its size and how many tasks it carried (whole boards, changed tasks).
const { isMainThread } = require('node:worker_threads');
const fs = require('node:fs');

if (isMainThread && process.env.BENCH_TASKS_LOG && process.send) {
  const file = process.env.BENCH_TASKS_LOG;
  const arrived = new Map();
  // Listeners run in order: this one, added before the server's, sees each request as it arrives.
  process.on('message', (message) => {
    if (message?.method === 'contracts/tasks') arrived.set(message.id, performance.now());
  });
  const send = process.send.bind(process);
  process.send = (message, ...rest) => {
    const at = arrived.get(message?.id);
    if (at === undefined) return send(message, ...rest);
    arrived.delete(message.id);
    const start = performance.now();
    const result = send(message, ...rest);
    const sent = performance.now();
    const boards = message.result?.boards ?? [];
    const line = {
      at: Math.round(start),
      waitAndBuildMs: Number((start - at).toFixed(1)),
      sendMs: Number((sent - start).toFixed(1)),
      bytes: JSON.stringify(message).length,
      wholeBoards: boards.filter((b) => b.tasks).map((b) => b.tasks.length),
      changed: boards.reduce((n, b) => n + (b.changes?.changed.length ?? 0), 0),
      flat: message.result?.boards ? undefined : message.result?.tasks?.length,
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
    return result;
  };
}
