// The CLI measure, shared by `npm run bench` and `node scripts/bench-cli.mjs`
// (this measure alone): `contracts check` on 10 v2 boards (10,010 files) with
// one thread and with one per core, alternated, with each thread's CPU time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_FILES = 10_010;
const round = (value, digits = 1) => (value === undefined || Number.isNaN(value) ? undefined : Number(value.toFixed(digits)));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Writes the 10 boards of 1,001 files the measure checks. */
export function writeCliFolder(boards, folder) {
  rmSync(folder, { recursive: true, force: true });
  for (let b = 0; b < 10; b++) {
    for (const [rel, text] of Object.entries(boards.generateV2Board(1000))) {
      const file = path.join(folder, `project-${b}`, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
}

/** One `contracts check --jobs N` of `folder`: wall time, the CLI's own line, and each thread's CPU (`bench/threadCpu.js`). */
export function runCheck(folder, jobs, cliFile = path.join(root, 'dist', 'cli.js')) {
  const cpuFile = path.join(os.tmpdir(), `contracts-bench-threads-${process.pid}.jsonl`);
  rmSync(cpuFile, { force: true });
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-r', path.join(root, 'bench', 'threadCpu.js'), cliFile, 'check', folder, '--jobs', String(jobs)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CONTRACTS_BENCH_THREAD_CPU: cpuFile },
  });
  const ms = performance.now() - started;
  if (result.status !== 0 && result.status !== 1) throw new Error(`contracts check failed: ${result.stderr}`);
  const run = { ms, summary: result.stdout.trim().split('\n').pop(), stderr: result.stderr.trim() };
  // The CLI's own line: its CPU time over all its threads.
  const reported = /([\d.]+) s CPU/.exec(result.stderr);
  run.cpuMs = reported ? Number(reported[1]) * 1000 : undefined;
  try {
    const snapshots = readFileSync(cpuFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const atExit = snapshots.find((s) => s.label === 'exit');
    const workersDone = snapshots.find((s) => s.label === 'workers-done') ?? atExit;
    const workersMs = workersDone.threads.filter((t) => t.worker).map((t) => t.cpuMs);
    // Workers' threads as they end; the main thread at exit (it merges and prints after); V8's threads are the rest.
    const mainAtExit = atExit.threads.find((t) => t.tid === atExit.pid).cpuMs;
    run.threads = { mainMs: mainAtExit, workersMs, v8Ms: atExit.totalMs - mainAtExit - workersMs.reduce((a, b) => a + b, 0), totalMs: atExit.totalMs };
  } catch {
    run.threads = undefined; // not Linux
  } finally {
    rmSync(cpuFile, { force: true });
  }
  return run;
}

/**
 * The wall time CPU alone allows on `cores` idle cores: no less than the
 * busiest thread, nor than all the CPU shared by the cores. On a shared
 * machine the wall time counts the waits for a core; this does not.
 */
function cpuBoundMs(threads, cores) {
  if (!threads) return undefined;
  return Math.max(threads.mainMs, ...threads.workersMs, threads.totalMs / cores);
}

/**
 * `rounds` runs each of one thread and of `jobs` threads, alternated (and
 * each build of `cliFiles` in turn, so all meet the same load); their medians, by build.
 */
export function cliFiguresOf(folder, { rounds = 3, jobs = os.availableParallelism(), cliFiles = [path.join(root, 'dist', 'cli.js')] } = {}) {
  const runs = new Map(cliFiles.map((file) => [file, { single: [], parallel: [] }]));
  const loadBefore = os.loadavg()[0];
  for (let i = 0; i < rounds; i++) {
    for (const [file, { single, parallel }] of runs) single.push(runCheck(folder, 1, file)), parallel.push(runCheck(folder, jobs, file));
  }
  const load = `${round(loadBefore, 1)} → ${round(os.loadavg()[0], 1)}`;
  return new Map([...runs].map(([file, { single, parallel }]) => [file, summarize(single, parallel, jobs, rounds, load)]));
}

/** `cliFiguresOf` for one build. */
export function cliFigures(folder, options = {}) {
  return [...cliFiguresOf(folder, { ...options, cliFiles: options.cliFile ? [options.cliFile] : undefined }).values()][0];
}

function summarize(single, parallel, jobs, rounds, load) {
  const oneMs = median(single.map((r) => r.ms));
  const allMs = median(parallel.map((r) => r.ms));
  const cpuOf = (runs) => (runs.every((r) => r.cpuMs !== undefined) ? median(runs.map((r) => r.cpuMs)) : undefined);
  const threadsOf = (runs) => {
    if (!runs.every((r) => r.threads)) return undefined;
    const workers = Math.max(...runs.map((r) => r.threads.workersMs.length));
    return {
      mainMs: median(runs.map((r) => r.threads.mainMs)),
      workersMs: Array.from({ length: workers }, (_, i) => median(runs.map((r) => r.threads.workersMs[i] ?? 0))),
      v8Ms: median(runs.map((r) => r.threads.v8Ms)),
      totalMs: median(runs.map((r) => r.threads.totalMs)),
    };
  };
  const boundOf = (runs) => (runs.every((r) => r.threads) ? median(runs.map((r) => cpuBoundMs(r.threads, jobs))) : undefined);
  const singleBound = boundOf(single);
  const parallelBound = boundOf(parallel);
  return {
    files: CLI_FILES,
    jobs,
    rounds,
    singleMs: round(oneMs),
    parallelMs: round(allMs),
    singleCpuMs: round(cpuOf(single)),
    parallelCpuMs: round(cpuOf(parallel)),
    singleThreads: threadsOf(single),
    parallelThreads: threadsOf(parallel),
    singleCpuBoundMs: round(singleBound),
    parallelCpuBoundMs: round(parallelBound),
    cpuBoundSpeedup: singleBound && parallelBound ? round(singleBound / parallelBound, 2) : undefined,
    singleFilesPerSecond: round(CLI_FILES / (oneMs / 1000), 0),
    parallelFilesPerSecond: round(CLI_FILES / (allMs / 1000), 0),
    speedup: round(oneMs / allMs, 2),
    load,
    summary: parallel[0].summary,
    reported: parallel.map((r) => r.stderr).join('; '),
  };
}

/** The bench's table of the CLI measure (markdown lines). */
export function cliTable(c) {
  const fmt = (v, unit = '') => (v === undefined ? '—' : `${v}${unit}`);
  const verdict = (ok) => (ok === undefined ? '' : ok ? 'met' : 'MISSED');
  const ratio = (a, b) => (a !== undefined && b ? round(a / b, 2) : undefined);
  const perThread = (t) => (t ? `main ${t.mainMs}${t.workersMs.length ? ` + worker${t.workersMs.length > 1 ? 's' : ''} ${t.workersMs.join(' + ')}` : ''} + V8's threads ${t.v8Ms} ms` : '—');
  return [
    `| CLI: \`contracts check\` on 10 v2 boards (${CLI_FILES.toLocaleString('en-US')} files) | 1 thread (\`--jobs 1\`) | \`--jobs ${c.jobs}\` | speed-up | target |`,
    '|---|---|---|---|---|',
    `| wall time (process start to exit, median of ${c.rounds ?? 3} alternated), files/s | ${c.singleMs} ms, ${c.singleFilesPerSecond} files/s | ${c.parallelMs} ms, ${c.parallelFilesPerSecond} files/s | ${c.speedup}× | ≥ 1.6× on 2 cores ${verdict(c.jobs < 2 ? undefined : c.speedup >= 1.6)} |`,
    `| CPU time, all threads (median): the work divides when the two are close | ${fmt(c.singleCpuMs, ' ms')} | ${fmt(c.parallelCpuMs, ' ms')} | ${fmt(ratio(c.parallelCpuMs, c.singleCpuMs))}× the CPU | |`,
    `| CPU time per thread (median) | ${perThread(c.singleThreads)} | ${perThread(c.parallelThreads)} | | |`,
    `| wall time the CPU allows on ${c.jobs} idle cores: the busiest thread or all the CPU / ${c.jobs}, whichever is more (median) | ${fmt(c.singleCpuBoundMs, ' ms')} | ${fmt(c.parallelCpuBoundMs, ' ms')} | ${fmt(c.cpuBoundSpeedup)}× | ≥ 1.6× ${verdict(c.cpuBoundSpeedup === undefined || c.jobs < 2 ? undefined : c.cpuBoundSpeedup >= 1.6)} |`,
    `| as reported by the CLI (stderr), load average ${c.load} | | ${c.reported} | | |`,
  ];
}
