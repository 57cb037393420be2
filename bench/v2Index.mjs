// The v2 board indexing measure, shared by `npm run bench` and
// `node scripts/bench-v2.mjs` (this measure alone, for quick before/after runs).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ServerClient } from './serverClient.mjs';

// Built by `tsc -p tsconfig.test.json` (the bench builds first).
const { fetchListings } = createRequire(import.meta.url)('../out/shared/taskListing.js');
/**
 * `contracts/tasks` as the extension's task store asks it holding nothing yet (`fetchListings`: every board whole,
 * grouped, in pages asked for one after the other): the last answer, the tasks listed and the size of all the pages.
 */
async function listAll(client) {
  let bytes = 0;
  const fetched = await fetchListings(async (params) => {
    const answer = await client.request('contracts/tasks', params);
    bytes += JSON.stringify(answer).length;
    return answer;
  }, new Map());
  return { result: fetched.result, tasks: [...fetched.listings.values()].flatMap((listing) => listing.tasks), bytes };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value) => (value === undefined || Number.isNaN(value) ? undefined : Number(value.toFixed(1)));
const median = (values) => [...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1];

/** The server's peak RSS (`VmHWM`), in MB. */
export function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * CPU time the server's process has used so far (all its threads: the
 * collector's helpers too), in ms: on a shared machine the wall time counts
 * the waits for a core, this does not.
 */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime and stime, in clock ticks (100 per second on Linux)
  } catch {
    return undefined;
  }
}

/** Writes the generated v2 board of `count` task files (`bench/boards.ts`) into `folder`. */
export function writeV2Board(boards, folder, count) {
  for (const [rel, text] of Object.entries(boards.generateV2Board(count))) {
    mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
    writeFileSync(path.join(folder, rel), text);
  }
}

/**
 * Time until `contracts/tasks` (asked as the extension asks, `listAll`) lists all `count` v2 tasks with `indexed: true`
 * (the server's CPU time by then, and how long that first, uncached listing took), then the request alone
 * once indexed (the server keeps the listing until something changes), and
 * the size of its answer.
 */
export async function v2IndexFigures(folder, count, capMs = 60_000) {
  const client = new ServerClient();
  try {
    const started = performance.now();
    await client.initialize(folder);
    let figures;
    for (;;) {
      const asked = performance.now();
      const { result, tasks, bytes } = await listAll(client);
      if (result.indexed && tasks.length >= count) {
        figures = { tasks: tasks.length, indexMs: round(performance.now() - started), serverCpuMs: round(cpuMs(client.pid)), listMs: round(performance.now() - asked), answerMb: round(bytes / 1e6), peakRssMb: round(peakRssMb(client.pid)) };
        break;
      }
      if (performance.now() - started > capMs) return { tasks: tasks.length, gaveUpAfterMs: capMs };
      await sleep(20);
    }
    const samples = [];
    for (let i = 0; i < 22; i++) {
      const start = performance.now();
      await listAll(client);
      // The first request warms the JIT.
      if (i > 0) samples.push(performance.now() - start);
    }
    return { ...figures, tasksMs: round(median(samples)) };
  } finally {
    await client.stop();
  }
}
