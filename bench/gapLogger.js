// Preload for the bench's server (`BENCH_SERVER_ARGV="--require ./bench/gapLogger.js"`): logs each event-loop gap
// over 50 ms as `GAP <start µs> <end µs> <ms>` (the monotonic clock of `--cpu-prof` profiles, so samples inside the
// gaps can be picked out) to BENCH_GAPS_DIR/<pid>.txt, whose first line names the server's bundle.
const { isMainThread } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');

if (isMainThread && process.env.BENCH_GAPS_DIR) {
  const file = path.join(process.env.BENCH_GAPS_DIR, `${process.pid}.txt`);
  fs.mkdirSync(process.env.BENCH_GAPS_DIR, { recursive: true });
  fs.writeFileSync(file, `SERVER ${process.argv[1]}\n`);
  let last = process.hrtime.bigint();
  setInterval(() => {
    const now = process.hrtime.bigint();
    const ms = Number(now - last) / 1e6;
    if (ms > 50) fs.appendFileSync(file, `GAP ${last / 1000n} ${now / 1000n} ${ms.toFixed(1)}\n`);
    last = now;
  }, 5).unref();
}
