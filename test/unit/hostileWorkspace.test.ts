import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDeliverables, projectFolderOfBoard, validationPlaceProblem } from '../../shared/validation/deliverables';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { provideCompletions } from '../../server/src/features/completion';
import { provideDocumentLinks } from '../../server/src/features/documentLinks';
import { provideHover } from '../../server/src/features/hover';
import { codeSpan, escapeMarkdown } from '../../server/src/features/markdown';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { summarizeTasks } from '../../server/src/summaries';
import { pathToUri } from '../../server/src/uris';
import { Workspace } from '../../server/src/workspace';
import { FixtureWorkspace, repoRoot, timed, withCursor } from './helpers';

/** Issue 13, items 7-11: a repository someone else wrote, opened in the editor. */

const posix = process.platform !== 'win32';

describe('hostile repositories in the editor (issue 13)', function () {
  this.timeout(60_000);
  const temps: string[] = [];
  const tempFolder = (): string => {
    const folder = realpathSync(mkdtempSync(path.join(tmpdir(), 'contracts-i13-')));
    temps.push(folder);
    return folder;
  };
  after(() => temps.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it('#7 settings that change what is read or run are restricted in untrusted workspaces', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    for (const setting of ['contracts.deploymentGlobs', 'contracts.maxFileSizeKB', 'contracts.validation.workingDirectory', 'contracts.validation.timeoutSeconds', 'contracts.validation.continueOnFailure']) {
      assert.ok(trust.restrictedConfigurations?.includes(setting), `${setting} is not in restrictedConfigurations`);
      assert.ok(manifest.contributes.configuration.properties[setting], `${setting} is not a contributed setting`);
    }
  });

  it('#8 completion grows with the square of a line: one line of `- - - …` (781 KB) completes in linear time', () => {
    const line = '- '.repeat(400_000);
    const text = `---\ntitle: T\ncolumns:\n  ${line}`;
    const analysis = analyzeDocument('/ws/brainfile.md', text);
    const ws = new FixtureWorkspace({});
    const { ms } = timed(() => provideCompletions(analysis, { line: 3, character: line.length + 2 }, ws));
    // Before: 27 s (path.unshift in a loop). A freeze guard, far above the linear time.
    assert.ok(ms < 10_000, `took ${ms} ms`);
  });

  (posix ? describe : describe.skip)('#9 links and checks outside the workspace', () => {
    function linkTexts(workspaceFolder: string, board: string): string[] {
      const ws = new Workspace(DEFAULT_SETTINGS);
      void ws.scan([workspaceFolder]);
      const file = path.join(workspaceFolder, 'brainfile.md');
      writeFileSync(file, board);
      const uri = pathToUri(file);
      ws.setOpen(TextDocument.create(uri, 'markdown', 1, board));
      const analysis = ws.analysisFor(uri)!;
      return provideDocumentLinks(analysis, ws).map((link) => board.slice(analysis.lines.offsetAt(link.range.start), analysis.lines.offsetAt(link.range.end)));
    }

    it('document links: none to /etc/passwd, ../../etc/passwd or a symlink out; `..foo/x` inside is linked', () => {
      const root = tempFolder();
      mkdirSync(path.join(root, '..foo'));
      writeFileSync(path.join(root, '..foo', 'x'), 'inside');
      writeFileSync(path.join(root, 'real.ts'), 'inside');
      symlinkSync('/etc', path.join(root, 'etc-link'));
      const up = '../'.repeat(root.split('/').length);
      const board = [
        '---',
        'title: T',
        'columns:',
        '  - id: todo',
        '    title: To Do',
        '    tasks:',
        '      - id: task-1',
        '        title: T',
        '        contract:',
        '          status: ready',
        '          deliverables:',
        '            - { type: file, path: /etc/passwd }',
        `            - { type: file, path: ${up}etc/passwd }`,
        '            - { type: file, path: etc-link/passwd }',
        '            - { type: file, path: ..foo/x }',
        '            - { type: file, path: real.ts }',
        '---',
        '',
      ].join('\n');
      assert.deepEqual(linkTexts(root, board), ['..foo/x', 'real.ts']);
    });

    it('the deliverable check: a symlink out of the project fails, `..foo/x` inside passes', async () => {
      const root = tempFolder();
      mkdirSync(path.join(root, '..foo'));
      writeFileSync(path.join(root, '..foo', 'x'), 'inside');
      symlinkSync('/etc', path.join(root, 'etc-link'));
      const results = await checkDeliverables(root, [
        { type: 'file', path: 'etc-link/passwd' },
        { type: 'file', path: '..foo/x' },
        { type: 'file', path: '../outside.ts' },
      ]);
      assert.deepEqual(
        results.map((r) => [r.path, r.passed, r.reason]),
        [
          ['etc-link/passwd', false, 'etc-link/passwd leads outside the project folder (a symbolic link)'],
          ['..foo/x', true, undefined],
          ['../outside.ts', false, '../outside.ts is outside the project folder'],
        ],
      );
    });
  });

  describe('#10 unescaped task titles in hover and completion docs', () => {
    const hostileTitle = '[click](https://evil.example/x) <img src="https://evil.example/p.png"> **bold** `code`\n# heading';
    const board = (cursorLine: string) =>
      [
        '---',
        'title: T',
        'columns:',
        '  - id: todo',
        '    title: To Do',
        '    tasks:',
        '      - id: task-1',
        `        title: ${JSON.stringify(hostileTitle)}`,
        '        contract:',
        '          status: ready',
        '          deliverables: []',
        '      - id: task-2',
        '        title: Next',
        cursorLine,
        '---',
        '',
      ].join('\n');

    /** True when the Markdown has a link, an image or an HTML tag that is not escaped. */
    function rendersActiveContent(markdown: string): boolean {
      const unescaped = markdown.replace(/\\[\s\S]/g, '');
      return /\]\(|<[a-z]/i.test(unescaped) || /https?:\/\//.test(unescaped);
    }

    it('the blockedBy hover shows the title as text', () => {
      const { text, offset } = withCursor(board('        blockedBy: [ta<|>sk-1]'));
      const ws = new FixtureWorkspace({ '/ws/brainfile.md': text });
      const analysis = ws.get('/ws/brainfile.md');
      const hover = provideHover(analysis, analysis.lines.positionAt(offset), ws);
      const markdown = (hover!.contents as MarkupContent).value;
      assert.ok(markdown.includes(escapeMarkdown(hostileTitle)), markdown);
      assert.ok(!rendersActiveContent(markdown), markdown);
    });

    it('blockedBy completion docs show the title as text', () => {
      const { text, offset } = withCursor(board('        blockedBy: [<|>]'));
      const ws = new FixtureWorkspace({ '/ws/brainfile.md': text });
      const analysis = ws.get('/ws/brainfile.md');
      const items: CompletionItem[] = provideCompletions(analysis, analysis.lines.positionAt(offset), ws);
      const item = items.find((i) => i.label === 'task-1');
      assert.ok(item, items.map((i) => i.label).join(', '));
      const markdown = (item.documentation as MarkupContent).value;
      assert.ok(markdown.includes(escapeMarkdown(hostileTitle)), markdown);
      assert.ok(!rendersActiveContent(markdown), markdown);
    });

    it('code spans hold any backticks, and text keeps no line break', () => {
      assert.equal(codeSpan('a`b'), '``a`b``');
      assert.equal(codeSpan('`x`'), '`` `x` ``');
      assert.equal(escapeMarkdown('a\n# b'), 'a \\# b');
      assert.equal(escapeMarkdown('task-1 in www.x.org: a.md'), 'task-1 in www\\.x.org\\: a.md');
      assert.equal(escapeMarkdown('- 1. item'), '\\- 1. item');
    });
  });

  describe('#11 validation in the wrong folder', () => {
    it('a v2 task whose .brainfile/brainfile.md is missing names the missing board file, never the project folder', () => {
      const ws = new Workspace(DEFAULT_SETTINGS);
      const file = '/work/proj/.brainfile/board/task-1.md';
      const text = ['---', 'id: task-1', 'title: T', 'column: todo', 'contract:', '  status: delivered', '  deliverables: []', '---', ''].join('\n');
      ws.setOpen(TextDocument.create(pathToUri(file), 'markdown', 1, text));
      const [summary] = summarizeTasks(ws);
      assert.equal(summary.boardMissing, true);
      assert.equal(summary.boardUri, pathToUri('/work/proj/.brainfile/brainfile.md'));
      // What the client derives from it: the project folder, not the folder above it.
      assert.equal(projectFolderOfBoard('/work/proj/.brainfile/brainfile.md'), '/work/proj');
    });

    it('the client refuses to validate a task without its board file, or outside the workspace folder', () => {
      const place = { boardFile: '/work/proj/.brainfile/brainfile.md', projectFolder: '/work/proj', cwd: '/work/proj', workspaceFolder: '/work/proj' };
      assert.equal(validationPlaceProblem({ id: 'task-1' }, place), undefined);
      assert.match(validationPlaceProblem({ id: 'task-1', boardMissing: true }, place)!, /task-1 has no board file \(\/work\/proj\/\.brainfile\/brainfile\.md is missing\)/);
      assert.match(validationPlaceProblem({ id: 'task-1' }, { ...place, projectFolder: '/work', cwd: '/work' })!, /would run in \/work, outside the workspace folder \/work\/proj/);
      assert.match(validationPlaceProblem({ id: 'task-1' }, { ...place, workspaceFolder: undefined })!, /not inside a workspace folder/);
    });
  });
});
