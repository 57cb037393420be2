import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateBoard, generateV2Board } from '../../bench/boards';
import type { TasksParams, TasksResult } from '../../shared/protocol';
import { fetchListings, mergeListing, type HeldListings } from '../../shared/taskListing';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { summarizeTasks, tasksAnswer } from '../../server/src/summaries';
import { pathToUri } from '../../server/src/uris';
import { Workspace } from '../../server/src/workspace';
import { Random } from '../fuzz/random';
import { MemoryFiles } from './helpers';

/** Four v1 boards (one without tasks, one with an archive) and a v2 board of task files, scanned; `a` and `b` open. */
async function workspace() {
  const texts = new Map<string, string>([
    ['/ws/a/brainfile.md', generateBoard({ tasks: 7 })],
    ['/ws/b/brainfile.md', generateBoard({ tasks: 12, archive: 3 })],
    ['/ws/c/brainfile.md', generateBoard({ tasks: 0 })],
    ['/ws/d/brainfile.md', generateBoard({ tasks: 2 })],
    ...Object.entries(generateV2Board(5)).map(([rel, text]): [string, string] => [`/ws/v2/${rel}`, text]),
  ]);
  const ws = new Workspace(DEFAULT_SETTINGS, new MemoryFiles(texts));
  await ws.scan(['/ws']);
  const documents = new Map<string, TextDocument>();
  for (const name of ['a', 'b']) {
    const uri = pathToUri(`/ws/${name}/brainfile.md`);
    const document = TextDocument.create(uri, 'markdown', 1, texts.get(`/ws/${name}/brainfile.md`)!);
    documents.set(name, document);
    ws.setOpen(document);
  }
  /** Types `text` at `line`, `character` of open board `name` (removing `removed` lines first), as the server receives a change. */
  const edit = (name: string, line: number, character: number, text: string, removed = 0) => {
    const document = documents.get(name)!;
    const changes = [{ range: { start: { line, character }, end: { line: line + removed, character: removed ? 0 : character } }, text }];
    ws.recordChanges(document.uri, document.version, document.version + 1, changes);
    const next = TextDocument.update(document, changes, document.version + 1);
    documents.set(name, next);
    ws.setOpen(next);
  };
  /** The lines of open board `name` with the title of a task in a column. */
  const titleLines = (name: string) => documents.get(name)!.getText().split('\n').flatMap((line, index) => (/^ {8}title: /.test(line) ? [index] : []));
  return { ws, edit, titleLines };
}

/** `contracts/tasks` answered in process, each answer recorded; `between` runs before every answer but the first. */
function asker(ws: Workspace, between: (page: number) => void = () => undefined) {
  const answers: Array<{ params: TasksParams; result: TasksResult }> = [];
  const ask = async (params: TasksParams) => {
    if (answers.length) between(answers.length);
    const result = tasksAnswer(ws, params);
    answers.push({ params, result });
    return result;
  };
  return { ask, answers };
}

const flatten = (listings: HeldListings) => [...listings.values()].flatMap((listing) => listing.tasks);
/** Tasks an answer carries: whole, or changed. */
const sent = (result: TasksResult) => result.boards!.reduce((n, board) => n + (board.tasks?.length ?? board.changes?.changed.length ?? 0), 0);

describe('contracts/tasks in pages (TasksParams.pageSize, resume)', () => {
  it('a paged listing, merged, equals the whole one, for every page size; no answer carries more than a page', async () => {
    const { ws } = await workspace();
    const whole = summarizeTasks(ws);
    assert.equal(whole.length, 7 + 15 + 2 + 5);
    for (const pageSize of [1, 2, 3, 5, 8, 15, 100]) {
      const { ws } = await workspace();
      const { ask, answers } = asker(ws);
      const fetched = await fetchListings(ask, new Map(), pageSize);
      assert.deepEqual(flatten(fetched!.listings), whole, `page size ${pageSize}`);
      assert.ok(answers.every(({ result }) => sent(result) <= pageSize), `page size ${pageSize}: at most a page per answer`);
      assert.equal(answers.length, Math.max(1, Math.ceil(whole.length / pageSize)), `page size ${pageSize}: full pages, one after the other`);
      assert.deepEqual([...fetched!.listings.keys()], answers[0].result.boards!.map((b) => b.key), 'every board, in order');
    }
  });

  it('from listings held: an edit comes as its changes, paged, and merged equals a fresh listing', async () => {
    const { ws, edit, titleLines } = await workspace();
    const first = await fetchListings(asker(ws).ask, new Map(), 4);
    edit('b', titleLines('b')[5], 15, 'x'); // inside one task
    edit('a', 1, 0, 'note: x\n'); // every task of a moves a line
    const { ask, answers } = asker(ws);
    const second = await fetchListings(ask, first!.listings, 4);
    assert.deepEqual(flatten(second!.listings), summarizeTasks(ws));
    assert.equal(answers.reduce((n, { result }) => n + sent(result), 0), 1, 'one task changed: one task sent; the moved ones as runs');
    assert.ok(answers.length > 1, 'the changed boards were still built a page at a time');
  });

  it('changes to a listing already built are paged too: no answer carries more than a page of changed tasks', async () => {
    const { ws, edit, titleLines } = await workspace();
    const first = await fetchListings(asker(ws).ask, new Map(), 100);
    for (const k of [0, 3, 6, 9, 11]) edit('b', titleLines('b')[k], 15, 'w');
    const whole = summarizeTasks(ws); // built whole meanwhile (a flat request)
    const { ask, answers } = asker(ws);
    const second = await fetchListings(ask, first!.listings, 2);
    assert.deepEqual(flatten(second!.listings), whole);
    const before = flatten(first!.listings);
    const changed = whole.filter((task, index) => task.title !== before[index].title).length;
    assert.equal(changed, 5);
    assert.deepEqual(answers.map(({ result }) => sent(result)), [...Array(Math.floor(changed / 2)).fill(2), ...(changed % 2 ? [1] : [])]);
  });

  it('boards changing between pages: the fetch ends with complete listings equal to a fresh one', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = new Random(seed);
      const { ws, edit, titleLines } = await workspace();
      const changes = [
        () => edit('b', random.pick(titleLines('b')), 15, 'y'), // a title typed in
        () => edit('a', 1, 0, `note${seed}: x\n`), // a line on top: a new analysis, every task moved
        () => edit('b', titleLines('b')[random.int(3)] - 1, 0, '', 2), // a task's id and title removed: the board shrinks
        () => edit('a', titleLines('a')[0] + 1, 0, '        priority: high\n'), // a line inside the first task: the rest move
      ];
      let held: HeldListings = new Map();
      // Two fetches: the first from nothing held, the second from what the first gave.
      for (let fetch = 0; fetch < 2; fetch++) {
        const pageSize = 1 + random.int(6);
        const { ask, answers } = asker(ws, () => {
          if (random.int(3) === 0) random.pick(changes)();
        });
        const fetched = await fetchListings(ask, held, pageSize);
        if (!fetched) {
          // A page that needs tasks not held: the store asks again holding nothing (never expected here).
          assert.fail(`seed ${seed}: a page could not be merged`);
        }
        assert.deepEqual(flatten(fetched.listings), summarizeTasks(ws), `seed ${seed}, fetch ${fetch}, page size ${pageSize}, ${answers.length} answers`);
        assert.ok(answers.every(({ result }) => sent(result) <= pageSize));
        held = fetched.listings;
      }
    }
  });

  it('a page of a revision no longer current starts the board again; a page never comes out of order', async () => {
    const { ws, edit, titleLines } = await workspace();
    const key = pathToUri('/ws/a/brainfile.md');
    const first = tasksAnswer(ws, { known: {}, pageSize: 3 });
    const a = first.boards!.find((b) => b.key === key)!;
    assert.ok(a.next !== undefined && a.next < 7);
    const resume = { [key]: { revision: a.revision, from: a.next } };
    const second = tasksAnswer(ws, { known: {}, pageSize: 3, resume });
    assert.equal(second.boards!.find((b) => b.key === key)!.from, a.next, 'resumed where the last page ended');
    edit('a', titleLines('a')[4], 15, 'z');
    summarizeTasks(ws); // the new listing built whole (as for the CLI): a resume of the old one must still not apply to it
    const restarted = tasksAnswer(ws, { known: {}, pageSize: 3, resume }).boards!.find((b) => b.key === key)!;
    assert.notEqual(restarted.revision, a.revision);
    assert.equal(restarted.from, undefined, 'from the start');
    assert.ok(restarted.tasks!.length > 0 && restarted.tasks!.length <= 3);
    // A client merging a page after the wrong number of tasks gets nothing, never a shuffled board.
    assert.equal(mergeListing(undefined, { ...restarted, from: 2 }, []), undefined);
  });

  it('without pageSize every board comes whole; without known, the flat list (the CLI, MCP and tests)', async () => {
    const { ws } = await workspace();
    const grouped = tasksAnswer(ws, { known: {} });
    assert.ok(grouped.boards!.every((b) => b.next === undefined && b.from === undefined));
    assert.equal(sent(grouped), 29);
    const flat = tasksAnswer(ws, undefined);
    assert.equal(flat.boards, undefined);
    assert.deepEqual(flat.tasks, summarizeTasks(ws));
  });
});
