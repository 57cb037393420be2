// The CLI measure of `npm run bench` alone (bench/cliCheck.mjs): `contracts
// check` on 10,010 files with one thread and with one per core, alternated,
// each thread's CPU time, and the table the bench prints. With several
// `--cli <file>` (builds of dist/cli.js) it measures them in turn, alternated,
// and prints a table of medians for each.
//   node scripts/bench-cli.mjs [--no-build] [--rounds N] [--jobs N] [--cli dist/cli.js ...]
// (a build aside is its dist/cli.js, cli-main.js and cli.cache together: the first is a loader of the others)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliFiguresOf, cliTable, writeCliFolder } from '../bench/cliCheck.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const option = (name) => args.flatMap((arg, i) => (arg === name && args[i + 1] ? [args[i + 1]] : []));
if (!args.includes('--no-build')) {
  for (const [command, commandArgs] of [['npx', ['tsc', '-p', 'tsconfig.test.json']], ['node', ['esbuild.mjs', '--production']]]) {
    if (spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
  }
}
const boards = require(path.join(root, 'out', 'bench', 'boards.js'));
const folder = path.join(root, 'bench', 'generated', 'cli');
writeCliFolder(boards, folder);
const builds = option('--cli').map((file) => path.resolve(file));
const rounds = Number(option('--rounds')[0] ?? 3);
const jobs = option('--jobs')[0] ? Number(option('--jobs')[0]) : undefined;
const figures = cliFiguresOf(folder, { rounds, jobs, cliFiles: builds.length ? builds : undefined });
for (const [cliFile, figuresOfBuild] of figures) console.log(`\n${path.relative(root, cliFile)}:\n${cliTable(figuresOfBuild).join('\n')}`);
