import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateBoard, generateV2Board } from '../../bench/boards';
import { cacheFileContent, cachedDataFor } from '../../server/src/cliLoader';
import { repoRoot } from './helpers';

/** dist/cli.js starts the CLI bundle from V8's code cache of it (dist/cli.cache), and from nothing else. */
describe('the CLI loader and its code cache', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'contracts-code-cache-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps V8's data only for the bundle it was made from, and only whole", () => {
    const bundle = Buffer.from('exports.x = 1;');
    const data = Buffer.from('data V8 made');
    const content = cacheFileContent(bundle, data);
    assert.deepEqual(cachedDataFor(bundle, content), data);
    assert.equal(cachedDataFor(Buffer.from('exports.x = 2;'), content), undefined, 'another bundle');
    const damaged = Buffer.from(content);
    damaged[damaged.length - 3] ^= 1;
    assert.equal(cachedDataFor(bundle, damaged), undefined, 'a changed byte');
    assert.equal(cachedDataFor(bundle, content.subarray(0, content.length - 1)), undefined, 'cut short');
    assert.equal(cachedDataFor(bundle, content.subarray(0, content.length - data.length)), undefined, 'no data');
    assert.equal(cachedDataFor(bundle, Buffer.alloc(0)), undefined, 'empty');
    assert.equal(cachedDataFor(bundle, Buffer.concat([Buffer.from('#'), content])), undefined, 'not the tag');
  });

  it('runs a bundle from its cache, and the same without one, with a damaged one or with one V8 refuses', () => {
    // Each load in a fresh process: V8 would find a script compiled before in the same isolate without the cache.
    const loader = path.join(repoRoot, 'out', 'server', 'src', 'cliLoader.js');
    const load = (file: string, cache: string | undefined, entry?: string, write?: string) => {
      const script = `const { cacheFileContent, loadBundle } = require(${JSON.stringify(loader)});
        const loaded = loadBundle(...${JSON.stringify([file, cache, entry])});
        ${write ? `require('node:fs').writeFileSync(${JSON.stringify(write)}, cacheFileContent(require('node:fs').readFileSync(${JSON.stringify(path.join(dir, 'bundle.js'))}), loaded.script.createCachedData()));` : ''}
        process.stdout.write(JSON.stringify({ cached: loaded.cached, sum: loaded.exports.sum?.(2, 3), file: loaded.exports.file, dir: loaded.exports.dir }));`;
      const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      return JSON.parse(run.stdout) as { cached: boolean; sum?: number; file?: string; dir?: string };
    };
    const file = path.join(dir, 'bundle.js');
    const cache = path.join(dir, 'bundle.cache');
    writeFileSync(file, '#!/usr/bin/env node\nexports.sum = (a, b) => a + b;\nexports.file = __filename;\nexports.dir = __dirname;\n');
    const works = { sum: 5, file, dir };
    assert.deepEqual(load(file, cache, undefined, cache), { cached: false, ...works }, 'no cache yet: it is written');
    assert.deepEqual(load(file, cache, '/the/entry.js'), { cached: true, ...works, file: '/the/entry.js' }, "the entry is the bundle's __filename: where its workers start");
    assert.deepEqual(load(file, cache), { cached: true, ...works });

    // V8's data of another script under this bundle's hashes: V8 refuses it, and the bundle is compiled as usual.
    const other = path.join(dir, 'other.js');
    writeFileSync(other, 'exports.other = function () { return [1, 2, 3].map((n) => n * 2); };\n');
    load(other, undefined, undefined, cache);
    assert.deepEqual(load(file, cache), { cached: false, ...works });
    writeFileSync(cache, 'not a cache');
    assert.deepEqual(load(file, cache), { cached: false, ...works });
  });

  describe('dist/cli.js', () => {
    const dist = path.join(repoRoot, 'dist');
    const node = (args: string[], cwd = repoRoot) => spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });

    it('takes the dist/cli.cache the build wrote, for check and the other commands but mcp', () => {
      const flags = path.join(repoRoot, 'out', 'server', 'src', 'cliFlags.js');
      for (const [command, expected] of [['check', 'true'], ['list', 'true'], ['mcp', 'false']]) {
        const script = `require(${JSON.stringify(flags)}).setCliV8Flags([${JSON.stringify(command)}]);
          const { loadBundle } = require('./dist/cli.js');
          process.stdout.write(String(loadBundle('dist/cli-main.js', 'dist/cli.cache').cached));`;
        const run = node(['-e', script]);
        assert.equal(run.stdout, expected, `${command}: ${run.stderr}`);
      }
    });

    it('checks the same with the cache, a damaged one, one V8 refuses and none, on one thread and on two', () => {
      const cli = path.join(dir, 'cli');
      mkdirSync(cli, { recursive: true });
      for (const name of ['cli.js', 'cli-main.js', 'cli.cache']) copyFileSync(path.join(dist, name), path.join(cli, name));
      const folder = path.join(dir, 'repo');
      for (let b = 0; b < 2; b++) {
        for (const [rel, text] of Object.entries(generateV2Board(60))) {
          const file = path.join(folder, `project-${b}`, rel);
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, rel.endsWith('task-7.md') ? text.replace('id: task-7', 'id: task-6') : text);
        }
      }
      writeFileSync(path.join(folder, 'brainfile.md'), generateBoard({ tasks: 30, errorEvery: 4, variety: true }));
      const check = (jobs: number) => {
        const run = node([path.join(cli, 'cli.js'), 'check', '.', '--jobs', String(jobs)], folder);
        // Without the timing line of --jobs.
        return { status: run.status, stdout: run.stdout, stderr: run.stderr.replace(/^checked .*\n/m, '') };
      };
      const expected = check(1);
      assert.equal(expected.status, 1, expected.stdout + expected.stderr);
      assert.match(expected.stdout, /duplicate-id/);
      const good = readFileSync(path.join(cli, 'cli.cache'));
      const damaged = Buffer.from(good);
      damaged[damaged.length >> 1] ^= 0xff;
      const bundle = readFileSync(path.join(cli, 'cli-main.js'));
      // V8's data of the bundle compiled without the CLI's flags: the hashes fit, V8 refuses it.
      const unflagged = node(['-e', `const l = require(${JSON.stringify(path.join(cli, 'cli.js'))}); process.stdout.write(l.loadBundle(${JSON.stringify(path.join(cli, 'cli-main.js'))}, undefined).script.createCachedData().toString('base64'))`]);
      const refused = cacheFileContent(bundle, Buffer.from(unflagged.stdout, 'base64'));
      for (const [name, cache] of [['the build', good], ['damaged', damaged], ['refused by V8', refused], ['none', undefined]] as const) {
        if (cache) writeFileSync(path.join(cli, 'cli.cache'), cache);
        else rmSync(path.join(cli, 'cli.cache'));
        for (const jobs of [1, 2]) assert.deepEqual(check(jobs), expected, `${name}, --jobs ${jobs}`);
      }
    });
  });
});
