// Start → first diagnostics of the opened board, alone, as `npm run bench`
// measures it (`session` in scripts/bench.mjs): the server is forked, then the
// clock runs from `initialize` until the board opened after `initialized` gets
// its diagnostics; the board's folder (board plus the peer's YAML copy) is the
// workspace. Several bundles, flag sets and yaml-language-server in turn,
// alternated, so a shared machine's load falls on each alike; prints every run
// and medians: wall time, CPU time (all threads, and the main thread alone)
// and peak RSS, after `--edits N` single-character title edits if asked (the
// bench's RSS figures are peaks over the whole session).
//   node bench/firstDiagnostics.mjs [--tasks 1000,5000] [--rounds 5] [--no-peer] [--edits 0]
//        [--exec-argv "--optimize-for-size" --exec-argv "--max-semi-space-size=1" ...] [bundle.js ...]
// Without --exec-argv, our server gets the client's flags (SERVER_EXEC_ARGV) plus BENCH_SERVER_ARGV (`--cpu-prof`).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PeerClient, ServerClient, fileUri, serverExecArgv } from './serverClient.mjs';
import { cpuMs, peakRssMb } from './v2Index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const median = (values) => [...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1];
const round = (value) => (value === undefined ? undefined : Math.round(value));

/** CPU time of a process's main thread alone (the critical path while other threads help), in ms. */
export function mainThreadCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Lines of task titles, `count` of them spread over the board (as the bench edits them). */
function titleLines(text, count) {
  const titles = [];
  text.split('\n').forEach((line, index) => /^ {8}title: /.test(line) && titles.push(index));
  return Array.from({ length: count }, (_, k) => titles[Math.floor(((k + 0.5) * titles.length) / count)]);
}

/**
 * One start of one server on one board: wall time to its first diagnostics,
 * its CPU time and peak RSS by then; with `edits`, the peak RSS after that
 * many title edits too. `lineShift`: 1 for our Markdown board (the `---` line).
 */
export async function firstDiagnostics(client, folder, file, text, { edits = 0, lineShift = 1 } = {}) {
  const started = performance.now();
  await client.initialize(folder, client.contractsSettings);
  const uri = fileUri(file);
  const first = await client.open(uri, text);
  const ms = performance.now() - started;
  const figures = { ms: round(ms), cpuMs: round(cpuMs(client.pid)), mainThreadCpuMs: round(mainThreadCpuMs(client.pid)), rssMb: round(peakRssMb(client.pid)), findings: first.diagnostics.length };
  if (edits) {
    for (const line of titleLines(text, edits)) {
      const character = '        title: '.length + 3;
      await client.change(uri, [{ range: { start: { line: line + lineShift, character }, end: { line: line + lineShift, character } }, text: 'x' }]);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    figures.rssAfterEditsMb = round(peakRssMb(client.pid));
  }
  await client.stop();
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const require = createRequire(import.meta.url);
  const boards = require(path.join(root, 'out', 'bench', 'boards.js'));
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : fallback;
  };
  const flagSets = [];
  for (let flags; (flags = option('--exec-argv')) !== undefined; ) flagSets.push(flags.split(' ').filter(Boolean));
  if (!flagSets.length) flagSets.push([...serverExecArgv(), ...(process.env.BENCH_SERVER_ARGV ?? '').split(' ').filter(Boolean)]);
  const sizes = option('--tasks', '1000,5000').split(',').map(Number);
  const rounds = Number(option('--rounds', '5'));
  const edits = Number(option('--edits', '0'));
  const peerAt = args.indexOf('--no-peer');
  const peer = peerAt < 0 || !args.splice(peerAt, 1);
  const bundles = args.length ? args.map((p) => path.resolve(p)) : [path.join(root, 'dist', 'server.js')];
  for (const tasks of sizes) {
    const dir = path.join(os.tmpdir(), `first-diagnostics-${process.pid}`, `board-${tasks}`);
    mkdirSync(dir, { recursive: true });
    const text = boards.generateBoard({ tasks });
    const board = path.join(dir, 'brainfile.md');
    const yaml = path.join(dir, `board-${tasks}.yaml`);
    writeFileSync(board, text);
    writeFileSync(yaml, boards.frontMatterOf(text));
    const runs = new Map();
    const record = (name, figures) => {
      if (!runs.has(name)) runs.set(name, []);
      runs.get(name).push(figures);
      console.log(JSON.stringify({ tasks, name, load: os.loadavg()[0].toFixed(2), ...figures }));
    };
    for (let r = 0; r < rounds; r++) {
      for (const bundle of bundles) {
        for (const flags of flagSets) {
          const client = new ServerClient(flags, bundle);
          if (tasks > 5000) client.contractsSettings = { maxFileSizeKB: 20 * 1024 };
          record(`${path.relative(root, bundle)} ${flags.join(' ')}`, await firstDiagnostics(client, dir, board, text, { edits }));
        }
      }
      if (peer) record('yaml-language-server', await firstDiagnostics(new PeerClient(), dir, yaml, readFileSync(yaml, 'utf8'), { edits, lineShift: 0 }));
    }
    for (const [name, list] of runs) {
      const m = (key) => median(list.map((f) => f[key]));
      console.log(`${tasks} tasks, ${name}: median ${m('ms')} ms (runs ${list.map((f) => f.ms).join(', ')}), CPU ${m('cpuMs')} ms (main thread ${m('mainThreadCpuMs')} ms), peak RSS ${m('rssMb')} MB${edits ? ` (after ${edits} edits ${m('rssAfterEditsMb')} MB)` : ''}`);
    }
  }
}
