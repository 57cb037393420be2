import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, realpathSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCorpus, type SeedDocument } from './corpus';
import { Random } from './random';

/**
 * Hostile folder shapes for `contracts check` (issue 13): a FIFO, a symlink to
 * a device, a symlink out of the folder (to a secret), an unreadable file and
 * a huge sparse file, each put where a board, a task file or a deployment
 * contract would be, mixed with real files of the corpus. The CLI must end
 * within its time and memory caps, print no stack trace, never print the
 * secret, never start a line with a workflow command, and exit 2 (could not
 * check everything) when a shape was met.
 */

export type Shape = 'fifo' | 'device-link' | 'outside-link' | 'unreadable' | 'sparse';
export const SHAPES: readonly Shape[] = ['fifo', 'device-link', 'outside-link', 'unreadable', 'sparse'];

/** Where a shape goes: the names the CLI reads. */
const PLACES = ['.brainfile/brainfile.md', 'brainfile.md', '.brainfile/board/task-9.md', '.glassops/x.json', 'nested/a.deployment.json'];
const SECRET = 'KEY=fuzz-secret-0123456789';

export interface CliFailure {
  shapes: string[];
  reason: string;
  output: string;
}

export interface CliFuzzReport {
  cases: number;
  failures: CliFailure[];
  summary: string;
}

function makeShape(root: string, outside: string, shape: Shape, place: string): void {
  const file = path.join(root, place);
  mkdirSync(path.dirname(file), { recursive: true });
  switch (shape) {
    case 'fifo':
      execFileSync('mkfifo', [file]);
      break;
    case 'device-link':
      symlinkSync('/dev/zero', file);
      break;
    case 'outside-link':
      symlinkSync(path.join(outside, 'secret.env'), file);
      break;
    case 'unreadable':
      writeFileSync(file, '---\ntitle: T\ncolumns: []\n---\n');
      chmodSync(file, 0o000);
      break;
    case 'sparse': {
      const fd = openSync(file, 'w');
      writeSync(fd, 'x', 600 * 1024 * 1024 - 1);
      closeSync(fd);
      break;
    }
  }
}

function runCli(cliPath: string, root: string): { status: number | null; signal: NodeJS.Signals | null; output: string } {
  const node = [process.execPath, '--max-old-space-size=512', cliPath, 'check', '.', '--max-size-kb', '2048'];
  // As root, an unreadable file is readable: run as nobody so the shape means something.
  const command = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
  const result = spawnSync(command[0], command.slice(1), { cwd: root, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
  return { status: result.status, signal: result.signal, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function judge(run: ReturnType<typeof runCli>, plan: Array<[Shape, string]>): string | undefined {
  if (run.signal) return `killed by ${run.signal} (a hang or memory exhaustion)`;
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(run.output)) return 'a stack trace';
  if (run.output.includes('fuzz-secret')) return 'printed the content of a file outside the folder';
  const forged = run.output.split(/\r\n|\r|\n/).find((line) => /^\s*(::|##\[)/.test(line));
  if (forged) return `a line that starts a workflow command: ${JSON.stringify(forged.slice(0, 80))}`;
  // A file over --max-size-kb is skipped on purpose, with a note: everything else means "could not check everything".
  const unreadable = plan.some(([shape]) => shape !== 'sparse');
  if (unreadable && run.status !== 2) return `exit ${run.status}, expected 2 (could not check everything)`;
  if (!unreadable && run.status !== 0 && run.status !== 1) return `exit ${run.status}, expected 0 or 1`;
  if (plan.some(([shape]) => shape === 'sparse') && !run.output.includes('file-too-large')) return 'the huge file got no file-too-large note';
  return undefined;
}

/** One case per shape alone, then `iterations` random mixes of shapes and corpus files. */
export function runCliFuzz(options: { repoRoot: string; seed: number; iterations: number; log?: (line: string) => void }): CliFuzzReport {
  if (process.platform === 'win32') return { cases: 0, failures: [], summary: 'cli fuzz: skipped on Windows' };
  const log = options.log ?? (() => undefined);
  const cliPath = path.join(options.repoRoot, 'dist', 'cli.js');
  const corpus: SeedDocument[] = loadCorpus(options.repoRoot);
  const rng = new Random(options.seed);
  const plans: Array<Array<[Shape, string]>> = SHAPES.map((shape) => [[shape, PLACES[0]]]);
  for (let i = 0; i < options.iterations; i++) {
    const count = rng.between(1, 3);
    const used = new Set<string>();
    const plan: Array<[Shape, string]> = [];
    for (let j = 0; j < count; j++) {
      const place = rng.pick(PLACES);
      if (used.has(place)) continue;
      used.add(place);
      plan.push([rng.pick(SHAPES), place]);
    }
    plans.push(plan);
  }
  const failures: CliFailure[] = [];
  for (const [index, plan] of plans.entries()) {
    const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'contracts-cli-fuzz-')));
    const outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'contracts-cli-fuzz-out-')));
    try {
      writeFileSync(path.join(outside, 'secret.env'), SECRET);
      // Real files beside the shapes, so the rest of the run has work to do.
      for (const seed of corpus.slice(0, 3 + (index % 4))) {
        const file = path.join(root, 'real', seed.relativePath);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, seed.text);
      }
      for (const [shape, place] of plan) makeShape(root, outside, shape, place);
      chmodSync(root, 0o755);
      const run = runCli(cliPath, root);
      const reason = judge(run, plan);
      const shapes = plan.map(([shape, place]) => `${shape} at ${place}`);
      if (reason) {
        failures.push({ shapes, reason, output: run.output.slice(0, 2000) });
        log(`cli case ${index} (${shapes.join(', ')}): ${reason}`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  }
  return { cases: plans.length, failures, summary: `cli fuzz: ${plans.length} hostile folders, ${failures.length} failures (seed ${options.seed})` };
}
