import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DIAGNOSTIC_CODES } from '../../server/src/engine/diagnostics';
import { CONTRACT_STATUSES } from '../../shared/lifecycle';
import { repoRoot } from './helpers';

const read = (relative: string) => readFileSync(path.join(repoRoot, relative), 'utf8');
const manifest = JSON.parse(read('package.json'));
const readme = read('README.md');
const reference = read('docs/reference.md');
const codesDoc = read('docs/diagnostic-codes.md');

/** Folders that hold no documentation of ours. */
const NOT_DOCS = new Set(['node_modules', '.git', 'out', 'dist', '.vscode-test', 'test-results']);

/** The Markdown files git tracks; a copy without git (an unpacked archive) walks the tree instead. */
function markdownFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) return NOT_DOCS.has(entry.name) ? [] : walk(relative);
        return entry.name.endsWith('.md') ? [relative] : [];
      });
    return walk('.').map((file) => path.posix.normalize(file));
  }
}

/** Relative link targets of a Markdown text: inline links and images, and reference definitions; code is skipped. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const targets = [
    ...[...prose.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...prose.matchAll(/^\s*\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/gm)].map((m) => m[1]),
  ];
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'));
}

describe('docs', () => {
  it('docs/reference.md documents every command of package.json', () => {
    const commands: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(commands.length > 10);
    const missing = commands.filter((id) => !reference.includes(`\`${id}\``));
    assert.deepEqual(missing, [], 'add these to the command table of docs/reference.md');
  });

  it('docs/agents.md documents every language model tool, and the list tool filters by the lifecycle\'s statuses', () => {
    const agentsDoc = read('docs/agents.md');
    const tools: Array<{ name: string; inputSchema: { properties: Record<string, { enum?: string[] }> } }> = manifest.contributes.languageModelTools;
    assert.deepEqual(tools.map((t) => t.name).filter((name) => !agentsDoc.includes(`\`${name}\``)), [], 'add these to docs/agents.md');
    const list = tools.find((t) => t.name === 'contracts_listTasks')!;
    assert.deepEqual(list.inputSchema.properties.status.enum, [...CONTRACT_STATUSES, 'none']);
  });

  it('docs/reference.md documents every setting of package.json', () => {
    const settings = Object.keys(manifest.contributes.configuration.properties);
    assert.ok(settings.length > 5);
    const missing = settings.filter((key) => !reference.includes(`\`${key}\``));
    assert.deepEqual(missing, [], 'add these to the settings table of docs/reference.md');
  });

  it('docs/diagnostic-codes.md lists every code the engine emits, and no other', () => {
    const codes = Object.keys(DIAGNOSTIC_CODES);
    const rows = [...codesDoc.matchAll(/^\| (?:<a id="[a-z0-9-]+"><\/a>)?`([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual([...rows].sort(), [...codes].sort());
  });

  it('gives every code an anchor named after it, which the SARIF rules link to', () => {
    const anchored = [...codesDoc.matchAll(/^\| <a id="([a-z0-9-]+)"><\/a>`([a-z0-9-]+)` \|/gm)];
    assert.deepEqual(anchored.map((m) => m[1]).sort(), Object.keys(DIAGNOSTIC_CODES).sort());
    for (const [, id, code] of anchored) assert.equal(id, code);
  });

  it('the README keeps no second copy of the code list', () => {
    assert.doesNotMatch(readme, /^\| `yaml-syntax` \|/m);
  });

  it('every relative link in every tracked Markdown file resolves', () => {
    const files = markdownFiles().filter((file) => !file.startsWith('test/fixtures/'));
    assert.ok(files.includes('README.md') && files.includes('docs/architecture.md'), files.join(', '));
    const broken: string[] = [];
    for (const file of files) {
      for (const target of relativeLinks(read(file))) {
        const withoutAnchor = decodeURI(target.replace(/[#?].*$/, ''));
        if (!withoutAnchor) continue;
        const resolved = path.resolve(repoRoot, path.dirname(file), withoutAnchor);
        if (!resolved.startsWith(repoRoot + path.sep) && resolved !== repoRoot) broken.push(`${file}: ${target} (outside the repository)`);
        else if (!existsSync(resolved)) broken.push(`${file}: ${target}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('no Markdown file points outside the repository', () => {
    const outside = markdownFiles().filter((file) => /\.\.\/shared\/|\/work\/shared/.test(read(file)));
    assert.deepEqual(outside, []);
  });
});
