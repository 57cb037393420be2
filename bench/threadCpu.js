// Preloaded (`node -r bench/threadCpu.js dist/cli.js check ...`) by the bench's CLI measure: writes the
// CPU time of each thread of the process (Linux, /proc/self/task/*/stat) to $CONTRACTS_BENCH_THREAD_CPU,
// one JSON line before the first worker is terminated (workers' threads are gone after) and one at exit.
// Threads that exist when it loads are the main thread and V8's and libuv's own; threads created later are
// the CLI's workers. Nothing here changes what the CLI does.
const { isMainThread, Worker } = require('node:worker_threads');
const fs = require('node:fs');

const out = process.env.CONTRACTS_BENCH_THREAD_CPU;
if (isMainThread && out && fs.existsSync('/proc/self/task')) {
  const ticksMs = 10; // clock ticks of /proc, 100 per second on Linux
  const cpuOf = (stat) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * ticksMs;
  };
  const initial = new Set(fs.readdirSync('/proc/self/task').map(Number));
  const snapshot = (label) => {
    const threads = [];
    for (const tid of fs.readdirSync('/proc/self/task').map(Number)) {
      try {
        threads.push({ tid, worker: !initial.has(tid), cpuMs: cpuOf(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')) });
      } catch {
        // ended meanwhile
      }
    }
    const totalMs = cpuOf(fs.readFileSync('/proc/self/stat', 'utf8'));
    fs.appendFileSync(out, JSON.stringify({ label, pid: process.pid, totalMs, threads }) + '\n');
  };
  let taken = false;
  const terminate = Worker.prototype.terminate;
  Worker.prototype.terminate = function (...args) {
    if (!taken) {
      taken = true;
      snapshot('workers-done');
    }
    return terminate.apply(this, args);
  };
  process.on('exit', () => snapshot('exit'));
}
