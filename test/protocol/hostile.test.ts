import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { generateBoard, generateColumnBoard } from '../../bench/boards';
import type { TasksResult } from '../../shared/protocol';
import { fileUri, LspTestClient, repoRoot } from './lspClient';

/** Generous: the machine is shared, and a healthy server answers in milliseconds. */
const ANSWER_MS = 2000;
const MB = 1024 * 1024;

const BOARD = '---\ntitle: T\ncolumns:\n  - id: todo\n    title: To Do\n    tasks:\n      - id: task-1\n        title: X\n        contract:\n          status: ready\n---\n';
const V2_CONFIG = '---\ntitle: T\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n---\n';
const V2_TASK = (id: string) => `---\nid: ${id}\ntitle: Task ${id}\ncolumn: todo\ncontract:\n  status: ready\n---\n`;

function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}

/** Resolves with the answer and how long it took; rejects after `ms`. */
async function timedRequest<R>(client: LspTestClient, method: string, params: unknown, ms = ANSWER_MS): Promise<{ result: R; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${method} not answered within ${ms} ms`)), ms)));
  try {
    const result = await Promise.race([client.request<R>(method, params), timeout]);
    return { result, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Asks every feature about a document; each must answer in time. */
async function assertAnswers(client: LspTestClient, uri: string, line = 0): Promise<void> {
  const textDocument = { uri };
  const position = { line, character: 1 };
  const range = { start: position, end: position };
  for (const [method, params] of [
    ['textDocument/completion', { textDocument, position }],
    ['textDocument/hover', { textDocument, position }],
    ['textDocument/documentSymbol', { textDocument }],
    ['textDocument/codeLens', { textDocument }],
    ['textDocument/documentLink', { textDocument }],
    ['textDocument/definition', { textDocument, position }],
    ['textDocument/codeAction', { textDocument, range, context: { diagnostics: client.lastDiagnostics(uri) } }],
  ] as const) {
    await timedRequest(client, method, params);
  }
  assert.equal(client.exited, undefined, 'the server is still running');
}

async function waitUntilIndexed(client: LspTestClient, timeoutMs = 30_000): Promise<TasksResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { result } = await timedRequest<TasksResult>(client, 'contracts/tasks', {});
    if (result.indexed) return result;
    if (Date.now() > deadline) throw new Error(`not indexed within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('hostile input through the language server', function () {
  this.timeout(120_000);
  const temps: string[] = [];
  const clients: LspTestClient[] = [];

  function tempWorkspace(files: Record<string, string | Buffer> = {}): string {
    const root = mkdtempSync(path.join(tmpdir(), 'contracts-hostile-'));
    temps.push(root);
    writeFiles(root, files);
    return root;
  }

  async function startServer(workspace: string): Promise<LspTestClient> {
    const client = new LspTestClient();
    clients.push(client);
    await client.initialize(workspace, { diagnosticsDelayMs: 0 });
    return client;
  }

  after(async () => {
    for (const client of clients) await client.stop();
    for (const root of temps) rmSync(root, { recursive: true, force: true });
  });

  it('answers every request in time after each hostile document, with a clear diagnostic', async () => {
    const workspace = tempWorkspace();
    const client = await startServer(workspace);
    const board = fileUri(path.join(workspace, 'brainfile.md'));
    const task = fileUri(path.join(workspace, '.brainfile', 'board', 'task-1.md'));
    const deployment = fileUri(path.join(workspace, '.glassops', 'd.deployment.json'));
    const v1 = (fields: string) => BOARD.replace('title: T\n', `title: T\n${fields}`);
    const cases: Array<[string, string, string, string]> = [
      ['duplicate keys', board, v1('title: U\n'), 'duplicate-key'],
      ['a << merge of a scalar', board, BOARD.replace('status: ready', 'status: ready\n          <<: 1'), 'invalid-type'],
      ['a second YAML document in a fence', board, `${BOARD}\n\`\`\`yaml\nid: task-9\ntitle: X\ncontract:\n  status: ready\n---\nmore: 1\n\`\`\`\n`, 'yaml-syntax'],
      ['a tab for indentation', board, BOARD.replace('        title: X', '\ttitle: X'), 'yaml-syntax'],
      ['status: 1', board, BOARD.replace('status: ready', 'status: 1'), 'invalid-type'],
      ['id: 007', board, BOARD.replace('id: task-1', 'id: 007'), 'invalid-type'],
      ['contract: null', board, BOARD.replace('contract:\n          status: ready', 'contract: null'), 'invalid-type'],
      ['a contract that is a list', board, BOARD.replace('contract:\n          status: ready', 'contract: [ready]'), 'invalid-type'],
      ['a front matter that never closes', board, BOARD.replace(/---\n$/, '# body\n'), 'frontmatter-unclosed'],
      ['10,000-deep YAML', board, v1(`x: ${'['.repeat(10000)}${']'.repeat(10000)}\n`), 'nesting-too-deep'],
      ['a v2 task file with tabs and a null contract', task, V2_TASK('task-1').replace('contract:\n  status: ready', 'contract: null\n\tx: 1'), 'yaml-syntax'],
      ['JSON with a comment', deployment, '{\n  /* c */ "schemaVersion": "1.0"\n}', 'json-syntax'],
      ['JSON with a trailing comma', deployment, '{\n  "schemaVersion": "1.0",\n}', 'json-syntax'],
      ['JSON with NaN', deployment, '{"quality": {"coverage": {"actual": NaN}}}', 'json-syntax'],
      ['JSON with a 400-digit number', deployment, `{"schemaVersion": ${'9'.repeat(400)}}`, 'out-of-range'],
      ['10,000-deep JSON', deployment, `{"a": ${'['.repeat(10000)}${']'.repeat(10000)}}`, 'nesting-too-deep'],
    ];
    const opened = new Set<string>();
    for (const [name, uri, text, code] of cases) {
      const published = opened.has(uri) ? client.change(uri, [{ text }]) : client.open(uri, text);
      opened.add(uri);
      const { diagnostics } = await published;
      assert.ok(codes(diagnostics).includes(code), `${name}: expected ${code}, got ${codes(diagnostics).join(', ')}`);
      for (const d of diagnostics) assert.ok(String(d.message).length > 20 && String(d.message).length < 400, `${name}: ${String(d.message)}`);
      await assertAnswers(client, uri, 1);
    }
  });

  it('a 20 MB board: one file-too-large notice, and requests answered meanwhile', async () => {
    const workspace = tempWorkspace();
    const client = await startServer(workspace);
    const uri = fileUri(path.join(workspace, 'big', 'brainfile.md'));
    const { diagnostics } = await client.open(uri, BOARD + 'lorem ipsum dolor sit amet\n'.repeat(Math.ceil((20 * MB) / 27)));
    assert.deepEqual(codes(diagnostics), ['file-too-large']);
    assert.match(String(diagnostics[0].message), /over the 5\.0 MB limit/);
    await assertAnswers(client, uri, 3);
  });

  it('40,000 columns (4 MB), invalid then valid: 1,000 findings and one notice of the other 39,000, then none; requests answered after', async () => {
    const workspace = tempWorkspace();
    const client = await startServer(workspace);
    const uri = fileUri(path.join(workspace, 'brainfile.md'));
    // Generous: a 4 MB parse on a shared machine.
    const published = client.waitForDiagnostics(uri, 1, 90_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: generateColumnBoard(40_000, { invalid: true }) } });
    const { diagnostics } = await published;
    assert.equal(diagnostics.length, 1001);
    assert.deepEqual([...new Set(codes(diagnostics.slice(0, 1000)))], ['invalid-format']);
    assert.equal(String(diagnostics[1000].code), 'too-many-findings');
    assert.equal(diagnostics[1000].severity, 3);
    assert.match(String(diagnostics[1000].message), /^39,000 more findings in this file are not shown: at most 1,000 are \(setting contracts\.maxDiagnostics\)/);
    // Hover and completion on the big board itself (its outline is 40,000 symbols, 11 MB of JSON: not a freeze test).
    const position = { line: 5, character: 8 };
    await timedRequest(client, 'textDocument/hover', { textDocument: { uri }, position });
    await timedRequest(client, 'textDocument/completion', { textDocument: { uri }, position });
    const fixed = client.waitForDiagnostics(uri, 2, 90_000);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: generateColumnBoard(40_000) }] });
    assert.deepEqual((await fixed).diagnostics, []);
    await timedRequest(client, 'textDocument/hover', { textDocument: { uri }, position });
  });

  for (const invalid of [true, false]) it(`40,000 ${invalid ? 'invalid' : 'valid'} columns: while the board is analysed, hovers on another document are answered and three more documents get their diagnostics`, async () => {
    const workspace = tempWorkspace();
    const client = await startServer(workspace);
    const small = fileUri(path.join(workspace, 'small', 'brainfile.md'));
    await client.open(small, BOARD);
    const big = fileUri(path.join(workspace, 'brainfile.md'));
    let bigDone = false;
    const bigPublished = client.waitForDiagnostics(big, 1, 120_000).then((p) => ((bigDone = true), p));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: big, languageId: 'markdown', version: 1, text: generateColumnBoard(40_000, { invalid }) } });
    // Sent right after the big board: each answered in time, before the board's analysis is done.
    const hover = await timedRequest<{ contents: unknown } | null>(client, 'textDocument/hover', { textDocument: { uri: small }, position: { line: 9, character: 12 } });
    assert.ok(hover.result, 'the hover has an answer');
    const others: Array<[string, string, string]> = [
      [path.join(workspace, 'nul', 'brainfile.md'), BOARD.replace('title: X', 'title: X\u0000'), 'binary-content'],
      [path.join(workspace, 'bom', 'brainfile.md'), '\uFEFF' + BOARD.replace('status: ready', 'status: redy').replace(/\n/g, '\r\n'), 'invalid-enum'],
      [path.join(workspace, '.glassops', 'glassops-contract.json'), '{"schemaVersion": 1}', 'invalid-type'],
    ];
    for (const [file, text, code] of others) {
      const { diagnostics } = await client.open(fileUri(file), text);
      assert.ok(codes(diagnostics).includes(code), `${file}: ${codes(diagnostics).join(', ')}`);
    }
    await timedRequest(client, 'textDocument/completion', { textDocument: { uri: small }, position: { line: 9, character: 18 } });
    await timedRequest(client, 'contracts/tasks', {});
    assert.equal(bigDone, false, 'the big board was still being analysed (else this test proves nothing)');
    assert.equal((await bigPublished).diagnostics.length, invalid ? 1001 : 0);
    await assertAnswers(client, small, 9);
  });

  it('a big board\'s later versions, analysed on a worker thread, publish the diagnostics and answer the hover the analysis in process gives', async () => {
    const workspace = tempWorkspace();
    const uri = fileUri(path.join(workspace, 'brainfile.md'));
    const first = generateBoard({ tasks: 2000 });
    // A whole new text: a full analysis, which the server runs on its worker (its first version it analyses in process).
    const second = first.replace('status: ready', 'status: 1').replace('title: Generated', 'title: Changed');
    const line = second.split('\n').findIndex((text, index) => index > 30_000 && text.startsWith('          status: '));
    const answers: unknown[] = [];
    for (const env of [{}, { CONTRACTS_ANALYSIS_WORKERS: '0' }]) {
      const client = new LspTestClient(['--stdio'], env);
      clients.push(client);
      await client.initialize(workspace, { diagnosticsDelayMs: 0 });
      const opened = client.waitForDiagnostics(uri, 1, 90_000);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: first } });
      await opened;
      const changed = client.waitForDiagnostics(uri, 2, 90_000);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: second }] });
      const { diagnostics } = await changed;
      const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 12 } });
      answers.push({ diagnostics, hover });
      // The worker's run took the worker's path: no fallback was told in the output.
      assert.deepEqual(client.notificationsOf('window/logMessage').filter((params) => /analysis worker/.test(JSON.stringify(params))), []);
      await client.stop();
    }
    const [worker, inProcess] = answers as Array<{ diagnostics: Diagnostic[]; hover: unknown }>;
    assert.ok(worker.diagnostics.length > 40 && codes(worker.diagnostics).includes('invalid-type'), codes(worker.diagnostics).join(', '));
    assert.ok(worker.hover, 'the hover has an answer');
    assert.deepEqual(worker, inProcess);
  });

  it('drops the analysis of a version a newer one replaced: only the newer version is published', async () => {
    const workspace = tempWorkspace();
    const client = await startServer(workspace);
    const uri = fileUri(path.join(workspace, 'brainfile.md'));
    let firstPublished = false;
    void client.waitForDiagnostics(uri, 1, 5_000).then(
      () => (firstPublished = true),
      () => undefined,
    );
    const second = client.waitForDiagnostics(uri, 2, 90_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: generateColumnBoard(4000) } });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: generateColumnBoard(4000, { invalid: true }) }] });
    assert.equal((await second).diagnostics.length, 1001);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(firstPublished, false, 'version 1 was analysed to the end and published');
  });

  it('contracts.maxDiagnostics lowers the cap', async () => {
    const workspace = tempWorkspace();
    const client = new LspTestClient();
    clients.push(client);
    await client.initialize(workspace, { diagnosticsDelayMs: 0, maxDiagnostics: 10 });
    const { diagnostics } = await client.open(fileUri(path.join(workspace, 'brainfile.md')), generateColumnBoard(50, { invalid: true }));
    assert.deepEqual(codes(diagnostics), [...Array(10).fill('invalid-format'), 'too-many-findings']);
    assert.match(String(diagnostics[10].message), /^40 more findings .* at most 10 are/);
  });

  it('a 2 MB single line: checked, short messages, answers in time', async () => {
    const workspace = tempWorkspace();
    const client = await startServer(workspace);
    const uri = fileUri(path.join(workspace, '.glassops', 'long.deployment.json'));
    const { diagnostics } = await client.open(uri, `{"status": "${'x'.repeat(2 * MB)}"}`);
    assert.ok(codes(diagnostics).includes('invalid-enum'), codes(diagnostics).join(','));
    for (const d of diagnostics) assert.ok(String(d.message).length < 400, `${String(d.code)}: ${String(d.message).length} characters`);
    await assertAnswers(client, uri);
  });

  it('indexes a board with invalid UTF-8 from disk, as U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from(BOARD.slice(0, BOARD.indexOf('title: X') + 7)), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(BOARD.slice(BOARD.indexOf('title: X') + 8))]);
    const workspace = tempWorkspace({ 'brainfile.md': bytes });
    const client = await startServer(workspace);
    const { tasks } = await waitUntilIndexed(client);
    assert.deepEqual(tasks.map((t) => [t.id, t.title]), [['task-1', '\uFFFD\uFFFD(']]);
  });

  it('terminates the scan and the CLI on symlink loops in .brainfile/board/', async function () {
    const workspace = tempWorkspace({ '.brainfile/brainfile.md': V2_CONFIG, '.brainfile/board/task-1.md': V2_TASK('task-1') });
    const board = path.join(workspace, '.brainfile', 'board');
    try {
      symlinkSync('..', path.join(board, 'up'), 'dir');
      symlinkSync('../board', path.join(board, 'again.md'), 'dir');
      symlinkSync('self.md', path.join(board, 'self.md'));
      symlinkSync('b.md', path.join(board, 'a.md'));
      symlinkSync('a.md', path.join(board, 'b.md'));
    } catch {
      this.skip();
    }
    const client = await startServer(workspace);
    const { tasks } = await waitUntilIndexed(client, 10_000);
    assert.deepEqual(tasks.map((t) => t.id), ['task-1']);
    await assertAnswers(client, fileUri(path.join(board, 'task-1.md')));
    const cli = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'check', '.', '--format', 'json'], { cwd: workspace, encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(cli.status, null, 'the CLI terminates');
  });

  it('keeps answering when an open board is deleted on disk, then changed and closed', async () => {
    const workspace = tempWorkspace({ 'brainfile.md': BOARD });
    const client = await startServer(workspace);
    await waitUntilIndexed(client);
    const file = path.join(workspace, 'brainfile.md');
    const uri = fileUri(file);
    await client.open(uri, BOARD);
    unlinkSync(file);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    const { diagnostics } = await client.change(uri, [{ text: BOARD.replace('status: ready', 'status: redy') }]);
    assert.deepEqual(codes(diagnostics), ['invalid-enum']);
    await assertAnswers(client, uri, 9);
    await client.close(uri);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { result } = await timedRequest<TasksResult>(client, 'contracts/tasks', {});
    assert.deepEqual(result.tasks, [], 'the deleted board has left the index');
    await assertAnswers(client, uri);
  });

  it('indexes 10,000 files and answers requests in well under a second meanwhile', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) files[`src/m${i % 100}/file-${i}.${['ts', 'md', 'json', 'txt'][i % 4]}`] = `export const n${i} = ${i};\n`;
    for (const folder of ['a', 'b', 'c']) files[`boards/${folder}/brainfile.md`] = BOARD.replace('task-1', `task-${folder}`);
    const workspace = tempWorkspace(files);
    const client = await startServer(workspace);
    const uri = fileUri(path.join(workspace, 'open', 'brainfile.md'));
    await client.open(uri, BOARD);
    let slowest = 0;
    let indexed = false;
    const deadline = Date.now() + 60_000;
    while (!indexed && Date.now() < deadline) {
      const hover = await timedRequest(client, 'textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 20 } }, 1000);
      const tasks = await timedRequest<TasksResult>(client, 'contracts/tasks', {}, 1000);
      slowest = Math.max(slowest, hover.ms, tasks.ms);
      indexed = tasks.result.indexed;
    }
    assert.ok(indexed, 'indexing completes');
    assert.ok(slowest < 1000, `slowest answer ${Math.round(slowest)} ms`);
    const { result } = await timedRequest<TasksResult>(client, 'contracts/tasks', {});
    assert.deepEqual(result.tasks.map((t) => t.id).sort(), ['task-1', 'task-a', 'task-b', 'task-c']);
  });
});
