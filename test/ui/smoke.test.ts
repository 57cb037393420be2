import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openFile, page, screenshot, workbench } from './workbench';

/** brainfile.md when the demo workspace has one at its root, else its first file. */
function demoFile(): string {
  const root = workbench().workspaceDir;
  if (fs.existsSync(path.join(root, 'brainfile.md'))) return 'brainfile.md';
  const first = fs.readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((rel) => fs.statSync(path.join(root, rel)).isFile())
    .sort()[0];
  assert.ok(first, `the demo workspace ${root} has no files`);
  return first.split(path.sep).join('/');
}

describe('workbench smoke', () => {
  it('shows the demo folder in the explorer', async () => {
    const rows = page().locator('.explorer-folders-view .monaco-list-row');
    await rows.first().waitFor({ timeout: 10_000 }).catch(() => {});
    assert.ok((await rows.count()) > 0, `the explorer shows no files of ${workbench().workspaceDir}`);
  });

  it('opens a file of the demo workspace', async () => {
    const file = demoFile();
    await openFile(file);
    const tab = await page().locator('.tabs-container .tab.active .label-name').innerText();
    assert.equal(tab.trim(), path.posix.basename(file));
    await screenshot('smoke-open-file');
  });
});
