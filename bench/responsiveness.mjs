// The responsiveness measure, shared by `npm run bench` and
// `node bench/responsiveness.mjs [server.js ...]` (this measure alone, for
// before/after runs of several builds in turn: run `npx tsc -p
// tsconfig.test.json` first, for out/bench/boards.js).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerClient, fileUri, serverExecArgv } from './serverClient.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value) => (value === undefined || Number.isNaN(value) ? undefined : Number(value.toFixed(1)));
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (values) => percentile(values, 50);

/** The lines of the first `count` lines of `text` matching `pattern`, spread evenly. */
function linesMatching(text, pattern, count) {
  const found = [];
  text.split('\n').forEach((line, index) => {
    if (pattern.test(line)) found.push(index);
  });
  return Array.from({ length: count }, (_, k) => found[Math.floor(((k + 0.5) * found.length) / count)]);
}

/**
 * Requests every 20 ms (hover and completion in turn) about a small open
 * board, and `contracts/tasks` every second (the client asks after each batched
 * change notification; the answer lists the 5,000 tasks), while the
 * 40,000-column board (every id invalid) and the 5,000-task board are opened
 * and edited in the same workspace: each request's latency, from send to
 * answer. `boards` is out/bench/boards.js; `serverPath` another build's bundle.
 */
const { fetchListings } = createRequire(import.meta.url)('../out/shared/taskListing.js');

export async function responsivenessFigures(boards, folder, { serverPath, columnsText, execArgv = serverExecArgv(), fullListing = false } = {}) {
  const files = {
    small: [path.join(folder, 'small', 'brainfile.md'), boards.generateBoard({ tasks: 20 })],
    columns: [path.join(folder, 'columns', 'brainfile.md'), columnsText ?? boards.generateColumnBoard(40_000, { invalid: true })],
    tasks: [path.join(folder, 'tasks', 'brainfile.md'), boards.generateBoard({ tasks: 5000 })],
  };
  for (const [file, text] of Object.values(files)) mkdirSync(path.dirname(file), { recursive: true }), writeFileSync(file, text);
  const client = new ServerClient(execArgv, serverPath);
  try {
    await client.initialize(folder);
    const small = fileUri(files.small[0]);
    await client.open(small, files.small[1]);
    const status = linesMatching(boards.frontMatterOf(files.small[1]), /^ {10}status: /, 5)[2] + 1;
    const requests = [
      ['textDocument/hover', { textDocument: { uri: small }, position: { line: status, character: 12 } }],
      ['textDocument/completion', { textDocument: { uri: small }, position: { line: status, character: '          status: '.length } }],
    ];
    let latencies = [];
    let tasksLatencies = [];
    const inFlight = [];
    const send = (method, params, into) => {
      const sent = performance.now();
      inFlight.push(client.request(method, params).then(() => into.push(performance.now() - sent)));
    };
    // `contracts/tasks` as the extension's task store asks (client/src/taskStore.ts, `fetchListings`): with the revisions
    // of the board listings it holds, so boards unchanged since its last answer are not sent again, a big board in pages
    // asked for one after the other, and one fetch at a time (a tick during a fetch asks once more after it);
    // `fullListing` asks for every task each time. Each request (page) is one latency.
    let held = new Map();
    const tasksSent = [];
    const ask = async (params) => {
      const sent = performance.now();
      const answer = await client.request('contracts/tasks', params);
      tasksLatencies.push(performance.now() - sent);
      // Tasks that only moved come as runs (`changes.shifted`), not counted: they carry no task.
      tasksSent.push(answer.boards ? answer.boards.reduce((n, board) => n + (board.tasks?.length ?? board.changes?.changed.length ?? 0), 0) : answer.tasks.length);
      return answer;
    };
    let fetching;
    let again = false;
    const fetchTasks = async () => {
      if (fullListing) return void (await ask({}));
      const fetched = await fetchListings(ask, held);
      held = fetched?.listings ?? new Map();
    };
    const askTasks = () => {
      if (fetching) return void (again = true);
      fetching = (async () => {
        do {
          again = false;
          await fetchTasks();
        } while (again);
        fetching = undefined;
      })();
      inFlight.push(fetching);
    };
    let k = 0;
    const ticker = setInterval(() => {
      const [method, params] = requests[k % requests.length];
      send(method, params, latencies);
      if (k++ % 50 === 0) askTasks();
    }, 20);
    // The same stream with nothing else to do first: on a shared machine the load shows in both.
    await sleep(3000);
    await Promise.all(inFlight);
    const idle = { p50Ms: round(median(latencies)), p99Ms: round(percentile(latencies, 99)) };
    latencies = [];
    tasksLatencies = [];
    tasksSent.length = 0;
    const started = performance.now();
    // The column board: opened, then three edits of a column title (each a full analysis of 4 MB).
    const columns = fileUri(files.columns[0]);
    await client.open(columns, files.columns[1]);
    for (let i = 0; i < 3; i++) await client.change(columns, [{ range: { start: { line: 5 + i * 4, character: 12 }, end: { line: 5 + i * 4, character: 12 } }, text: 'x' }]);
    // The task board: opened, ten edits in titles (incremental), two that need a full analysis (a new board key).
    const tasks = fileUri(files.tasks[0]);
    await client.open(tasks, files.tasks[1]);
    const titles = linesMatching(boards.frontMatterOf(files.tasks[1]), /^ {8}title: /, 10);
    for (const line of titles) await client.change(tasks, [{ range: { start: { line: line + 1, character: 18 }, end: { line: line + 1, character: 18 } }, text: 'x' }]);
    for (let i = 0; i < 2; i++) await client.change(tasks, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: `note${i}: x\n` }]);
    clearInterval(ticker);
    await Promise.all(inFlight);
    const tasksList = {
      requests: tasksLatencies.length,
      p50Ms: round(median(tasksLatencies)),
      p99Ms: round(percentile(tasksLatencies, 99)),
      maxMs: round(Math.max(...tasksLatencies)),
      // How many tasks the answers (pages) carried, on average (5,020 each when every answer lists everything).
      tasksPerAnswer: Math.round(tasksSent.reduce((a, b) => a + b, 0) / Math.max(1, tasksSent.length)),
    };
    return { requests: latencies.length, durationMs: round(performance.now() - started), p50Ms: round(median(latencies)), p99Ms: round(percentile(latencies, 99)), maxMs: round(Math.max(...latencies)), idle, tasksList };
  } finally {
    await client.stop();
  }
}

// Alone: each bundle given (default dist/server.js) in turn, `--rounds N` times, alternating;
// `--full-listing` asks contracts/tasks for every task each time (as before the grouped answers);
// BENCH_SERVER_ARGV adds flags to the server's (`--cpu-prof --trace-gc`).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const require = createRequire(import.meta.url);
  const boards = require(path.join(root, 'out', 'bench', 'boards.js'));
  const args = process.argv.slice(2);
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 1;
  const fullAt = args.indexOf('--full-listing');
  const fullListing = fullAt >= 0 && Boolean(args.splice(fullAt, 1));
  const servers = args.length ? args.map((p) => path.resolve(p)) : [path.join(root, 'dist', 'server.js')];
  const columnsText = boards.generateColumnBoard(40_000, { invalid: true });
  for (let r = 0; r < rounds; r++) {
    for (const serverPath of servers) {
      const folder = path.join(os.tmpdir(), `responsive-${process.pid}`);
      const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
      const execArgv = [...serverExecArgv(), ...(process.env.BENCH_SERVER_ARGV ?? '').split(' ').filter(Boolean)];
      const figures = await responsivenessFigures(boards, folder, { serverPath, columnsText, execArgv, fullListing });
      console.log(JSON.stringify({ server: serverPath, load, ...figures }));
    }
  }
}
