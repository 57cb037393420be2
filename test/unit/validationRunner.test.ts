import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { approvalKey, commandsHash, isApproved, rememberApproval } from '../../client/src/validation/approvals';
import { checkDeliverables, projectFolderOfBoard } from '../../shared/validation/deliverables';
import { lastLines, LiveOutputLimiter, stripAnsi, TailBuffer } from '../../shared/validation/outputBuffer';
import { runValidation, type RunOptions, type ValidationPlan } from '../../shared/validation/runCommands';
import { describeEnd, failureFeedback, MAX_FEEDBACK_CHARS } from '../../shared/validation/summary';

// Real shells and real processes: POSIX only.
const posix = process.platform !== 'win32';

/** Dead, or a zombie waiting for a parent that does not reap (e.g. a container's PID 1). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** Whether a live (not zombie) process is still in the process group. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self/stat')) return true;
  return processesOfGroup(pgid).some(isAlive);
}

/**
 * Whether `alive` still holds 2 s on: a signal is delivered when the kernel next
 * schedules its process, which on a loaded machine is not at once.
 */
async function stillAliveAfterKill(alive: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < 2000 && alive(); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  return alive();
}

function processesOfGroup(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid ? [Number(name)] : [];
      } catch {
        return [];
      }
    });
}

(posix ? describe : describe.skip)('validation runner (real processes)', function () {
  this.timeout(30_000);
  let dir: string;

  beforeEach(() => {
    dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'contracts-runner-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function options(extra: Partial<RunOptions> = {}): RunOptions {
    return { cwd: dir, timeoutMs: 10_000, continueOnFailure: false, killGraceMs: 500, ...extra };
  }

  function plan(commands: string[], deliverables: ValidationPlan['deliverables'] = []): ValidationPlan {
    return { projectFolder: dir, commands, deliverables };
  }

  it('passes when every command exits 0, and streams output live', async () => {
    const live: string[] = [];
    const result = await runValidation(plan(['echo hello', 'echo world >&2']), options({ listener: { onOutput: (i, text) => live.push(`${i}:${text}`) } }));
    assert.equal(result.outcome, 'passed');
    assert.deepEqual(
      result.commands.map((c) => [c.exitCode, c.passed, c.output]),
      [
        [0, true, 'hello\n'],
        [0, true, 'world\n'],
      ],
    );
    assert.deepEqual(live, ['0:hello\n', '1:world\n']);
    assert.ok(result.commands.every((c) => c.durationMs >= 0 && c.startedAt > 0 && !c.timedOut && !c.cancelled));
  });

  it('stops at the first failure, or runs on with continueOnFailure', async () => {
    const commands = ['echo before', 'echo broken >&2; exit 3', 'touch ran-after'];
    const stopped = await runValidation(plan(commands), options());
    assert.equal(stopped.outcome, 'failed');
    assert.equal(stopped.commands.length, 2);
    assert.equal(stopped.commands[1].exitCode, 3);
    assert.equal(stopped.commands[1].output, 'broken\n');
    assert.deepEqual(stopped.skippedCommands, [2]);
    assert.equal(existsSync(path.join(dir, 'ran-after')), false);

    const onward = await runValidation(plan(commands), options({ continueOnFailure: true }));
    assert.equal(onward.outcome, 'failed');
    assert.equal(onward.commands.length, 3);
    assert.ok(existsSync(path.join(dir, 'ran-after')));
  });

  it('kills a command that times out, with its whole process tree', async () => {
    const started = Date.now();
    // The background sleep is a grandchild: it must die with the group too.
    const result = await runValidation(plan(['sleep 30 & echo $!; sleep 30']), options({ timeoutMs: 1000 }));
    const elapsed = Date.now() - started;
    const [command] = result.commands;
    assert.equal(result.outcome, 'failed');
    assert.equal(command.timedOut, true);
    assert.equal(command.passed, false);
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
    const grandchild = Number(command.output.trim());
    assert.ok(grandchild > 0, `grandchild pid in ${JSON.stringify(command.output)}`);
    assert.equal(await stillAliveAfterKill(() => isAlive(command.pid!)), false, 'the shell is gone');
    assert.equal(await stillAliveAfterKill(() => isAlive(grandchild)), false, 'the background sleep is gone');
    assert.equal(await stillAliveAfterKill(() => groupAlive(command.pid!)), false, 'the process group is gone');
    assert.match(describeEnd(command), /timed out after 1\.\d s and was killed/);
  });

  it('follows SIGTERM with SIGKILL for a command that ignores it', async () => {
    const result = await runValidation(plan(['trap "" TERM; sleep 30']), options({ timeoutMs: 500, killGraceMs: 300 }));
    const [command] = result.commands;
    assert.equal(command.timedOut, true);
    assert.ok(command.durationMs < 4000, `took ${command.durationMs} ms`);
    assert.equal(await stillAliveAfterKill(() => groupAlive(command.pid!)), false);
  });

  it('cancels: kills the running command and skips the rest', async () => {
    const controller = new AbortController();
    const result = await runValidation(plan(['echo started; sleep 30', 'touch never']), {
      ...options({ signal: controller.signal }),
      listener: { onOutput: () => controller.abort() },
    });
    const [command] = result.commands;
    assert.equal(result.outcome, 'cancelled');
    assert.equal(command.cancelled, true);
    assert.ok(command.durationMs < 4000, `took ${command.durationMs} ms`);
    assert.deepEqual(result.skippedCommands, [1]);
    assert.equal(existsSync(path.join(dir, 'never')), false);
    assert.equal(await stillAliveAfterKill(() => groupAlive(command.pid!)), false);
  });

  it('ends processes a command left running in the background', async () => {
    const result = await runValidation(plan(['sleep 30 & echo $!']), options());
    const leftover = Number(result.commands[0].output.trim());
    assert.equal(result.outcome, 'passed');
    assert.ok(result.commands[0].durationMs < 4000);
    assert.equal(await stillAliveAfterKill(() => isAlive(leftover)), false);
  });

  it('keeps only a bounded tail of a huge output, and stays fast', async () => {
    const bytes = 200_000_000;
    let liveChars = 0;
    const started = Date.now();
    const result = await runValidation(plan([`yes | head -c ${bytes}`]), options({ timeoutMs: 60_000, listener: { onOutput: (_i, text) => (liveChars += text.length) } }));
    const elapsed = Date.now() - started;
    const [command] = result.commands;
    assert.equal(result.outcome, 'passed');
    assert.equal(command.outputChars, bytes);
    assert.equal(liveChars, bytes);
    assert.ok(command.output.length <= 64 * 1024, `tail of ${command.output.length} chars`);
    assert.ok(command.output.length > 60 * 1024);
    assert.match(command.output, /^(y\n)+$/);
    assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
  });

  it('fails on a missing deliverable, names it, and runs no command', async () => {
    mkdirSync(path.join(dir, 'docs'));
    writeFileSync(path.join(dir, 'docs', 'api.md'), '# API\n');
    writeFileSync(path.join(dir, 'notes.txt'), '');
    const result = await runValidation(
      plan(
        ['touch ran'],
        [
          { type: 'docs', path: 'docs/api.md' },
          { type: 'file', path: 'src/missing.ts' },
          { type: 'design', path: 'whiteboard photo' },
          { type: 'refactor', path: 'notes.txt/' },
          { path: 'docs/' },
          { type: 'test', path: '../outside.ts' },
          { type: 'file', path: 'src/**/*.ts' },
        ],
      ),
      options(),
    );
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(
      result.deliverables.map((d) => [d.index, d.path, d.passed, d.reason]),
      [
        [0, 'docs/api.md', true, undefined],
        [1, 'src/missing.ts', false, 'src/missing.ts does not exist'],
        [3, 'notes.txt/', false, 'notes.txt/ is not a folder'],
        [4, 'docs/', true, undefined],
        [5, '../outside.ts', false, '../outside.ts is outside the project folder'],
      ],
    );
    assert.equal(result.commands.length, 0);
    assert.deepEqual(result.skippedCommands, [0]);
    assert.equal(existsSync(path.join(dir, 'ran')), false);
    assert.equal(failureFeedback(result), 'Validation failed: deliverable src/missing.ts does not exist. (2 more checks failed)');
  });

  it('says nothing was checked when there is nothing to check', async () => {
    const result = await runValidation(plan([], [{ type: 'design', path: 'ideas' }, { type: 'docs' }]), options());
    assert.equal(result.outcome, 'nothing-checked');
    assert.deepEqual(result.deliverables, []);
  });

  it('reports exit 127 for a command that does not exist', async () => {
    const result = await runValidation(plan(['contracts-no-such-command-xyz --flag']), options());
    const [command] = result.commands;
    assert.equal(command.exitCode, 127);
    assert.match(command.output, /not found/);
    assert.match(describeEnd(command), /^exited with 127 \(command not found\)/);
  });

  it('runs in a working directory with spaces', async () => {
    const spaced = path.join(dir, 'my project', 'sub dir');
    mkdirSync(spaced, { recursive: true });
    writeFileSync(path.join(spaced, 'a file.txt'), 'x');
    const result = await runValidation({ projectFolder: spaced, commands: ['pwd', 'test -f "a file.txt"'], deliverables: [{ type: 'file', path: 'a file.txt' }] }, options({ cwd: spaced }));
    assert.equal(result.outcome, 'passed', JSON.stringify(result));
    assert.equal(result.commands[0].output.trim(), spaced);
  });

  it('fails clearly when the working directory is missing', async () => {
    const result = await runValidation(plan(['true']), options({ cwd: path.join(dir, 'gone') }));
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /does not exist/);
    assert.match(failureFeedback(result), /working folder .*gone does not exist/);
  });

  it('hands pipes, && and quotes to the shell', async () => {
    const result = await runValidation(plan([`printf 'a\\nb\\nc\\n' | grep -c b && echo "ok then" | tr a-z A-Z`, 'false || echo recovered']), options());
    assert.equal(result.outcome, 'passed');
    assert.equal(result.commands[0].output, '1\nOK THEN\n');
    assert.equal(result.commands[1].output, 'recovered\n');
  });

  it('keeps ANSI colors in the output, and strips them from feedback', async () => {
    const result = await runValidation(plan([`printf '\\033[31mred failure\\033[0m\\n'; exit 2`]), options());
    assert.equal(result.commands[0].output, '\x1b[31mred failure\x1b[0m\n');
    assert.equal(failureFeedback(result), 'Validation failed: `printf \'\\033[31mred failure\\033[0m\\n\'; exit 2` exited with 2 after ' + result.commands[0].durationMs + ' ms.\nred failure');
  });

  it('writes a short feedback: the failed command, its exit code and its last lines', async () => {
    const result = await runValidation(plan([`for i in $(seq 1 200); do echo "line $i of a long and chatty log that goes on and on"; done; exit 4`]), options());
    const feedback = failureFeedback(result);
    assert.ok(feedback.length <= MAX_FEEDBACK_CHARS, `${feedback.length} chars`);
    assert.match(feedback, /^Validation failed: `for i in .*` exited with 4 after/);
    assert.match(feedback, /line 200 of a long/);
    assert.doesNotMatch(feedback, /line 150 of/);
  });
});

describe('validation runner helpers', () => {
  it('keeps a bounded tail', () => {
    const tail = new TailBuffer(10);
    ['abc', 'defg', 'hijkl', 'mn'].forEach((t) => tail.push(t));
    assert.equal(tail.text(), 'efghijklmn');
    assert.equal(tail.total, 14);
    assert.equal(tail.truncated, true);
    tail.push('0123456789ABC');
    assert.equal(tail.text(), '3456789ABC');
    assert.deepEqual(lastLines('a\n\nb\r\nc\n', 2), ['b', 'c']);
    assert.equal(stripAnsi('\x1b[1;32mok\x1b[0m'), 'ok');
  });

  it('limits live output and then shows the end', () => {
    const written: string[] = [];
    const limiter = new LiveOutputLimiter((t) => written.push(t), 10);
    limiter.push('12345');
    limiter.push('67890');
    limiter.push('lost');
    limiter.push('lost');
    limiter.finish('x\ny\nlast\n', 2);
    assert.equal(written[0] + written[1], '1234567890');
    assert.match(written[2], /more output than the terminal should hold/);
    assert.match(written[3], /8 B not shown; the last 2 lines:\x1b\[0m\ny\nlast\n$/);
  });

  it('finds the project folder of a board', () => {
    assert.equal(projectFolderOfBoard('/ws/app/brainfile.md'), '/ws/app');
    assert.equal(projectFolderOfBoard('/ws/app/.brainfile/brainfile.md'), '/ws/app');
    assert.equal(projectFolderOfBoard('/ws/app/.brainfile/board/task-1.md'), '/ws/app');
  });

  it('checks deliverables relative to the project folder', async () => {
    const results = await checkDeliverables(path.resolve(__dirname), [{ type: 'file', path: path.basename(__filename) }]);
    assert.equal(results[0].passed, true);
  });

  it('asks again when the command list changes', async () => {
    const store = new Map<string, unknown>();
    const memento = { get: <T>(key: string) => store.get(key) as T | undefined, update: async (key: string, value: unknown) => void store.set(key, value) };
    assert.equal(isApproved(memento, 'file:///b.md', ['a']), false);
    await rememberApproval(memento, 'file:///b.md', ['a']);
    assert.equal(isApproved(memento, 'file:///b.md', ['a']), true);
    assert.equal(isApproved(memento, 'file:///b.md', ['a', 'b']), false);
    assert.equal(isApproved(memento, 'file:///other.md', ['a']), false);
    assert.notEqual(commandsHash(['a b']), commandsHash(['a', 'b']));
    assert.match(approvalKey('file:///b.md', ['a']), /^contracts\.validation\.approved:file:\/\/\/b\.md#[0-9a-f]{64}$/);
  });
});
