import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

const repoRoot = path.resolve(__dirname, '../../..');
const cliPath = path.join(repoRoot, 'dist', 'cli.js');

const BOARD = [
  '---',
  'title: Payments # team board',
  'columns:',
  '  - id: todo',
  '    title: To Do',
  '    tasks:',
  '      - id: task-1',
  '        title: Add keys',
  '        contract:',
  '          status: ready  # marked on Monday',
  '          deliverables:',
  '            - path: keys.txt',
  '          validation:',
  '            commands:',
  '              - grep -q key keys.txt',
  '---',
  '',
].join('\n');
const V2_CONFIG = '---\ntitle: Agents\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: review\n    title: Review\n---\n';
const V2_TASK = '---\nid: task-7\ntitle: Stream events\ncolumn: review\ncontract:\n  status: delivered\n---\n\nShip the stream.\n';

function write(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

async function connect(root: string, extra: string[] = []): Promise<Client> {
  const client = new Client({ name: 'contracts-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [cliPath, 'mcp', ...extra], cwd: root, stderr: 'pipe' }));
  return client;
}

function textOf(result: unknown): string {
  const content = (result as CallToolResult).content;
  return content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

describe('MCP server: contracts mcp over stdio with the SDK client', function () {
  this.timeout(60_000);
  let root: string;
  let client: Client;

  beforeEach(async () => {
    assert.ok(existsSync(cliPath), 'dist/cli.js is built');
    root = mkdtempSync(path.join(tmpdir(), 'contracts-mcp-'));
    write(root, { 'brainfile.md': BOARD, 'keys.txt': 'key\n', '.brainfile/brainfile.md': V2_CONFIG, '.brainfile/board/task-7.md': V2_TASK });
  });
  afterEach(async () => {
    await client?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists its tools with schemas from the lifecycle table; validate_task only with --allow-validate', async () => {
    client = await connect(root);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['list_tasks', 'get_task', 'move_task', 'check_file']);
    const move = tools.find((t) => t.name === 'move_task')!;
    const transition = (move.inputSchema.properties as Record<string, { enum: string[] }>).transition;
    assert.deepEqual(transition.enum, ['publish', 'claim', 'deliver', 'approve', 'reject', 'rework', 'block', 'unblock', 'cancel']);
    const refused = await client.callTool({ name: 'validate_task', arguments: { taskId: 'task-1' } });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /--allow-validate/);
    await client.close();

    client = await connect(root, ['--allow-validate']);
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'validate_task'));
  });

  it('lists tasks and gives a brief', async () => {
    client = await connect(root);
    const listed = JSON.parse(textOf(await client.callTool({ name: 'list_tasks', arguments: { status: 'ready' } }))) as Array<{ id: string; file: string }>;
    assert.deepEqual(listed.map((t) => [t.id, t.file]), [['task-1', 'brainfile.md']]);
    const brief = textOf(await client.callTool({ name: 'get_task', arguments: { taskId: 'task-1' } }));
    assert.match(brief, /^# task-1: Add keys/);
    assert.match(brief, /contracts claim task-1 --expect-status ready/);
    const missing = await client.callTool({ name: 'get_task', arguments: { taskId: 'task-9' } });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /No task "task-9".*list_tasks/);
  });

  it('moves a task with the minimal edit and refuses a wrong move with what to do next', async () => {
    client = await connect(root);
    const claimed = await client.callTool({ name: 'move_task', arguments: { taskId: 'task-1', transition: 'claim', assignee: 'agent-7', expectStatus: 'ready' } });
    assert.equal(claimed.isError, undefined, textOf(claimed));
    assert.match(textOf(claimed), /task-1: ready → in_progress/);
    const onDisk = readFileSync(path.join(root, 'brainfile.md'), 'utf8');
    assert.match(onDisk, /title: Add keys\n        assignee: agent-7\n/);
    assert.match(onDisk, /status: in_progress  # marked on Monday\n/);
    assert.equal(onDisk.split('\n')[1], 'title: Payments # team board');

    const wrong = await client.callTool({ name: 'move_task', arguments: { taskId: 'task-1', transition: 'approve' } });
    assert.equal(wrong.isError, true);
    assert.match(textOf(wrong), /Cannot approve task-1: it is in_progress.*Allowed now: deliver, block, cancel\./);
  });

  it('cancels a task with the minimal edit, and a cancelled task refuses every move', async () => {
    client = await connect(root);
    const { tools } = await client.listTools();
    const move = tools.find((t) => t.name === 'move_task')!;
    assert.match(move.description ?? '', /cancel: draft, ready, in_progress, delivered, failed, reworking or blocked → cancelled/);
    const cancelled = await client.callTool({ name: 'move_task', arguments: { taskId: 'task-7', transition: 'cancel', expectStatus: 'delivered' } });
    assert.equal(cancelled.isError, undefined, textOf(cancelled));
    assert.equal(textOf(cancelled), 'task-7: delivered → cancelled (.brainfile/board/task-7.md).');
    assert.equal(readFileSync(path.join(root, '.brainfile/board/task-7.md'), 'utf8'), V2_TASK.replace('status: delivered', 'status: cancelled'));

    const again = await client.callTool({ name: 'move_task', arguments: { taskId: 'task-7', transition: 'approve' } });
    assert.equal(again.isError, true);
    assert.match(textOf(again), /^Cannot approve task-7: it is cancelled, and from cancelled no move is allowed \(cancelled is final\)\. Call get_task/);
  });

  it('completes an approved v2 task into logs/ with a ledger record', async () => {
    client = await connect(root);
    const approved = await client.callTool({ name: 'move_task', arguments: { taskId: 'task-7', transition: 'approve' } });
    assert.match(textOf(approved), /Completed: moved to \.brainfile\/logs\/task-7\.md/);
    assert.ok(!existsSync(path.join(root, '.brainfile/board/task-7.md')));
    const record = JSON.parse(readFileSync(path.join(root, '.brainfile/logs/ledger.jsonl'), 'utf8')) as Record<string, unknown>;
    assert.equal(record.id, 'task-7');
    assert.equal(record.summary, 'Ship the stream.');
  });

  it('checks a file and says what is wrong', async () => {
    write(root, { 'broken/brainfile.md': BOARD.replace('status: ready', 'status: in-progress') });
    client = await connect(root);
    const diagnostics = JSON.parse(textOf(await client.callTool({ name: 'check_file', arguments: { path: 'broken/brainfile.md' } }))) as Array<{ line: number; code: string }>;
    assert.ok(diagnostics.some((d) => d.line === 10), JSON.stringify(diagnostics));
    const outside = await client.callTool({ name: 'check_file', arguments: { path: '../etc/passwd' } });
    assert.equal(outside.isError, true);
  });

  it('runs validation with --allow-validate and writes the verdict', async () => {
    client = await connect(root, ['--allow-validate']);
    await client.callTool({ name: 'move_task', arguments: { taskId: 'task-1', transition: 'claim' } });
    await client.callTool({ name: 'move_task', arguments: { taskId: 'task-1', transition: 'deliver' } });
    const result = await client.callTool({ name: 'validate_task', arguments: { taskId: 'task-1' } });
    assert.equal(result.isError, undefined, textOf(result));
    assert.match(textOf(result), /task-1 is now done/);
    assert.match(readFileSync(path.join(root, 'brainfile.md'), 'utf8'), /status: done  # marked on Monday/);
  });
});
