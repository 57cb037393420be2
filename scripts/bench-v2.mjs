// The v2 indexing measure of `npm run bench` alone: 1,000 then 10,000 task
// files, with the load average (CPU is shared; compare runs only with it).
//   node scripts/bench-v2.mjs [--no-build]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { v2IndexFigures, writeV2Board } from '../bench/v2Index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
if (!process.argv.includes('--no-build')) {
  for (const [command, args] of [['npx', ['tsc', '-p', 'tsconfig.test.json']], ['node', ['esbuild.mjs']]]) {
    if (spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
  }
}
const boards = require(path.join(root, 'out', 'bench', 'boards.js'));
const figures = {};
for (const count of [1000, 10_000]) {
  const folder = path.join(root, 'bench', 'generated', `v2-${count}`);
  writeV2Board(boards, folder, count);
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  figures[count] = { ...(await v2IndexFigures(folder, count)), loadAverage: load };
  console.log(`${count} task files:`, JSON.stringify(figures[count]));
}
const ratio = (a, b) => (a / b).toFixed(2);
console.log(`10,000 / 1,000: index ${ratio(figures[10000].indexMs, figures[1000].indexMs)}× (server CPU ${ratio(figures[10000].serverCpuMs, figures[1000].serverCpuMs)}×), first listing ${ratio(figures[10000].listMs, figures[1000].listMs)}×, listing once indexed ${ratio(figures[10000].tasksMs, figures[1000].tasksMs)}×`);
