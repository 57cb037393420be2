// Fuzzes the engine and a live language server with mutated boards, task
// files and deployment contracts; shrinks and saves failing cases.
//   npm run fuzz -- --iterations 500 --seed 1 [--no-server] [--no-cli] [--no-save] [--no-build]
// Prints `fuzz: N cases, N failures (seed S)` and exits 1 on any failure.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function option(name, fallback) {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} needs a whole number, found "${args[index + 1] ?? ''}"`);
    process.exit(2);
  }
  return value;
}

const iterations = option('iterations', 500);
const seed = option('seed', Date.now() % 100000);
const flag = (name) => args.includes(`--${name}`);

if (!flag('no-build')) {
  for (const [cmd, cmdArgs] of [[process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.test.json']], [process.execPath, ['esbuild.mjs']]]) {
    const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(1);
  }
}

const require = createRequire(import.meta.url);
const { runFuzz } = require(path.join(root, 'out', 'test', 'fuzz', 'harness.js'));
const started = Date.now();
const report = await runFuzz({
  iterations,
  seed,
  server: !flag('no-server'),
  saveDir: flag('no-save') ? undefined : path.join(root, 'test', 'fixtures', 'fuzz'),
  repoRoot: root,
  log: (line) => console.log(line),
});
for (const file of report.savedFiles) console.log(`saved ${path.relative(root, file)}`);
console.log(`${report.summary} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

// Hostile folder shapes for the CLI (FIFO, device link, outside link, unreadable, huge sparse file).
let cliFailures = 0;
if (!flag('no-cli')) {
  const { runCliFuzz } = require(path.join(root, 'out', 'test', 'fuzz', 'cliHostile.js'));
  const cliStarted = Date.now();
  const cli = runCliFuzz({ repoRoot: root, seed, iterations: Math.min(40, Math.max(5, Math.round(iterations / 25))), log: (line) => console.log(line) });
  cliFailures = cli.failures.length;
  for (const failure of cli.failures) console.log(`  ${failure.shapes.join(', ')}: ${failure.reason}\n${failure.output.replace(/^/gm, '    | ')}`);
  console.log(`${cli.summary} in ${((Date.now() - cliStarted) / 1000).toFixed(1)} s`);
}
process.exit(report.failedCases || cliFailures ? 1 : 0);
