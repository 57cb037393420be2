import { strict as assert } from 'node:assert';
import { pathToFileURL } from 'node:url';
import { pathToUri, uriToPath } from '../../server/src/uris';

// The listing names every task's file: pathToUri writes plain POSIX paths itself (issue 14), and must say what pathToFileURL says.
describe('pathToUri', () => {
  const posix = process.platform !== 'win32';

  (posix ? it : it.skip)('gives what pathToFileURL gives, for plain paths and for every kind of character', () => {
    const paths = [
      '/',
      '/a',
      '/ws/.brainfile/board/task-1.md',
      '/ws/.brainfile/brainfile.md',
      '/a/b/',
      '/a//b',
      '/a/./b',
      '/a/../b',
      '/a/..',
      '/a/.',
      '/a/..b/.c/c.',
      '/a/~x/_y/-z',
      '/my project/board/x.md',
      '/a/ü/ß.md',
      '/a/%41/#/?/x',
      '/a/b\\c',
      '/a/\t/\n',
      "/a/[x]/{y}/'z'/\"q\"/`w`/;/=/&/$/@/!/,/+/*/(/)",
    ];
    for (const path of paths) assert.equal(pathToUri(path), pathToFileURL(path).href, path);
    for (let code = 32; code < 127; code++) {
      const path = `/ws/x${String.fromCharCode(code)}y/t.md`;
      assert.equal(pathToUri(path), pathToFileURL(path).href, path);
    }
  });

  it('keeps uris of other schemes, and round-trips with uriToPath', () => {
    assert.equal(pathToUri('untitled:Untitled-1'), 'untitled:Untitled-1');
    if (posix) assert.equal(uriToPath(pathToUri('/ws/.brainfile/board/task-1.md')), '/ws/.brainfile/board/task-1.md');
  });
});
