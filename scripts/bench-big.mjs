// The 20,000-task board measure of `npm run bench` alone, for quick before/after
// runs: start → first diagnostics, one-character edits → diagnostics, completion
// and hover, the server's CPU time per edit and its peak RSS. With several
// `--server` builds it runs them in turn, alternating, so load hits each alike.
//   node scripts/bench-big.mjs [--tasks N] [--rounds R] [--server dist/server.js ...] [--flag --cpu-prof ...]
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerClient, fileUri, serverExecArgv } from '../bench/serverClient.mjs';
import { peakRssMb } from '../bench/v2Index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const values = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const tasks = Number(values('--tasks')[0] ?? 20000);
const rounds = Number(values('--rounds')[0] ?? 1);
const edits = Number(values('--edits')[0] ?? 50);
const servers = values('--server').map((s) => path.resolve(s));
if (servers.length === 0) servers.push(path.join(root, 'dist', 'server.js'));
const execArgv = [...serverExecArgv(), ...values('--flag')];

const boards = require(path.join(root, 'out', 'bench', 'boards.js'));
const dir = path.join(root, 'bench', 'generated', `big-${tasks}`);
mkdirSync(dir, { recursive: true });
const text = boards.generateBoard({ tasks });
const file = path.join(dir, 'brainfile.md');
writeFileSync(file, text);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (list, p) => [...list].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * list.length) - 1)];
const r1 = (v) => Math.round(v * 10) / 10;
/** User + system CPU time of a process, in ms (10 ms clock ticks). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return 10 * (Number(fields[11]) + Number(fields[12]));
}

function lineIndexes(pattern, count) {
  const found = [];
  text.split('\n').forEach((line, index) => pattern.test(line) && found.push(index));
  return Array.from({ length: count }, (_, k) => found[Math.floor(((k + 0.5) * found.length) / count)]);
}

async function measure(serverFile) {
  const client = new ServerClient(execArgv, serverFile);
  // `--log file`: the server's output (for `--flag --trace-gc`).
  const log = values('--log')[0];
  if (log) client.process.stdout.pipe(createWriteStream(`${log}.${path.basename(serverFile)}.txt`));
  try {
    const started = performance.now();
    await client.initialize(dir, { maxFileSizeKB: 20 * 1024 });
    const uri = fileUri(file);
    const first = await client.open(uri, text);
    const firstMs = performance.now() - started;
    const rssFirst = peakRssMb(client.pid);
    const latency = [];
    const cpu = [];
    const lines = lineIndexes(/^ {8}title: /, edits + 3);
    for (let k = 0; k < lines.length; k++) {
      const position = { line: lines[k], character: '        title: '.length + 3 };
      const c = cpuMs(client.pid);
      const t = performance.now();
      await client.change(uri, [{ range: { start: position, end: position }, text: 'x' }]);
      if (k >= 3) latency.push(performance.now() - t);
      await sleep(Number(values("--sleep")[0] ?? 30));
      if (k >= 3) cpu.push(cpuMs(client.pid) - c);
    }
    const rssAfterEdits = peakRssMb(client.pid);
    const completion = [];
    const hover = [];
    for (const line of lineIndexes(/^ {10}status: /, 30)) {
      let t = performance.now();
      await client.request('textDocument/completion', { textDocument: { uri }, position: { line, character: '          status: '.length } });
      completion.push(performance.now() - t);
      t = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: 12 } });
      hover.push(performance.now() - t);
    }
    const afterFirstMs = performance.now() - started - firstMs;
    return {
      afterFirstMs: Math.round(afterFirstMs),
      server: path.relative(root, serverFile),
      load: os.loadavg()[0].toFixed(2),
      firstMs: Math.round(firstMs),
      findings: first.diagnostics.length,
      editP50: r1(percentile(latency, 50)),
      editP95: r1(percentile(latency, 95)),
      editCpuP50: r1(percentile(cpu, 50)),
      completionP95: r1(percentile(completion, 95)),
      hoverP95: r1(percentile(hover, 95)),
      rssFirstMb: Math.round(rssFirst),
      rssAfterEditsMb: Math.round(rssAfterEdits),
      rssPeakMb: Math.round(peakRssMb(client.pid)),
    };
  } finally {
    // Let it exit on its own first, so `--cpu-prof` can write its profile.
    const exited = new Promise((resolve) => client.process.once('exit', resolve));
    await client.connection.sendRequest('shutdown').catch(() => undefined);
    await client.connection.sendNotification('exit').catch(() => undefined);
    await Promise.race([exited, sleep(20000)]);
    await client.stop();
  }
}

console.log(`${tasks} tasks, ${Math.round(text.length / 1024)} KB, execArgv ${JSON.stringify(execArgv)}`);
for (let round = 0; round < rounds; round++) {
  for (const server of servers) console.log(JSON.stringify(await measure(server)));
}
