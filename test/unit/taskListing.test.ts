import { strict as assert } from 'node:assert';
import type { BoardListing, TaskSummary } from '../../shared/protocol';
import { mergeListing, packListing, packTask } from '../../shared/taskListing';

const URI = 'file:///ws/brainfile.md';

/** A task of `lines` lines starting at `line`, its id on the first. */
function task(n: number, line: number, extra: Partial<TaskSummary> = {}, lines = 2): TaskSummary {
  return {
    uri: URI,
    documentVersion: 1,
    id: `task-${n}`,
    title: `Task ${n}`,
    hasContract: false,
    boardTitle: 'Board',
    boardUri: URI,
    version: 1,
    location: 'column',
    range: { start: { line, character: 6 }, end: { line: line + lines, character: 0 } },
    idRange: { start: { line, character: 12 }, end: { line, character: 12 + `task-${n}`.length } },
    deliverables: [],
    commands: [],
    constraints: [],
    ...extra,
  };
}

const listing = (changes: BoardListing['changes']): BoardListing => ({ key: URI, revision: 'r2', changes });

describe('mergeListing: a board listing as changes to the tasks held', () => {
  const held = [task(1, 6), task(2, 8), task(3, 10), task(4, 12)];

  it('a whole listing replaces what is held; an unchanged one keeps it; changes without held tasks need a full answer', () => {
    const whole = [task(9, 3), task(10, 5)];
    assert.deepEqual(mergeListing(held, { key: URI, revision: 'r2', ...packListing(whole) }), whole);
    assert.deepEqual(mergeListing(held, { key: URI, revision: 'r2' }), held);
    assert.equal(mergeListing(undefined, listing({ count: 4, changed: [], versions: {} })), undefined);
  });

  it('replaces the changed tasks by index and gives every other one the new document version', () => {
    const edited = task(2, 8, { title: 'Task 2 edited', documentVersion: 2 });
    const merged = mergeListing(held, listing({ count: 4, changed: [[1, packTask(edited)]], versions: { [URI]: 2 } }));
    assert.deepEqual(merged, [task(1, 6, { documentVersion: 2 }), edited, task(3, 10, { documentVersion: 2 }), task(4, 12, { documentVersion: 2 })]);
    assert.deepEqual(held[0].documentVersion, 1, 'the held tasks are not modified');
  });

  it('a document no longer open: its tasks lose their version', () => {
    const merged = mergeListing(held, listing({ count: 4, changed: [], versions: {} }))!;
    assert.ok(merged.every((t) => !('documentVersion' in t)));
  });

  it('moves the shifted runs: a line added inside task 1 grows it and moves every task after it', () => {
    const grown = task(1, 6, { documentVersion: 2 }, 3);
    const merged = mergeListing(held, listing({ count: 4, changed: [[0, packTask(grown)]], shifted: [[1, 4, 1]], versions: { [URI]: 2 } }));
    assert.deepEqual(merged, [grown, task(2, 9, { documentVersion: 2 }), task(3, 11, { documentVersion: 2 }), task(4, 13, { documentVersion: 2 })]);
    assert.equal(held[1].range.start.line, 8, 'the held ranges are not moved in place');
  });

  it('several runs, up and down, and tasks left in place between them', () => {
    const merged = mergeListing(held, listing({ count: 4, changed: [], shifted: [[0, 1, -2], [2, 4, 5]], versions: { [URI]: 3 } }));
    assert.deepEqual(
      merged!.map((t) => [t.range.start.line, t.range.end.line, t.idRange.start.line, t.idRange.end.line, t.documentVersion]),
      [
        [4, 6, 4, 4, 3],
        [8, 10, 8, 8, 3],
        [15, 17, 15, 15, 3],
        [17, 19, 17, 17, 3],
      ],
    );
  });

  it('a board that lost tasks at its end, and one that gained tasks, by count', () => {
    assert.deepEqual(mergeListing(held, listing({ count: 2, changed: [], versions: { [URI]: 1 } })), held.slice(0, 2));
    const added = task(5, 14);
    assert.deepEqual(mergeListing(held, listing({ count: 5, changed: [[4, packTask(added)]], versions: { [URI]: 1 } })), [...held, added]);
  });

  it('packs the fields every task has alike once, ranges as four numbers, and unpacks them exactly', () => {
    const mixed = [task(1, 6), task(2, 8, { boardMissing: true, location: 'archive' }), task(3, 10, { boardTitle: 'Other' })];
    const packed = packListing(held);
    assert.deepEqual(packed.shared, { boardTitle: 'Board', boardUri: URI, version: 1, location: 'column' });
    assert.deepEqual(packed.tasks[0].range, [6, 6, 8, 0]);
    assert.ok(!('boardTitle' in packed.tasks[0]));
    assert.deepEqual(mergeListing(undefined, { key: URI, revision: 'r1', ...packed }), held);
    const packedMixed = packListing(mixed);
    assert.deepEqual(packedMixed.shared, { boardUri: URI, version: 1 });
    assert.deepEqual(mergeListing(undefined, { key: URI, revision: 'r1', ...packedMixed }), mixed);
    assert.deepEqual(mergeListing(undefined, { key: URI, revision: 'r1', ...packListing([]) }), []);
    // A listing of changes carries its shared fields too.
    const edited = task(2, 8, { title: 'Edited' });
    assert.deepEqual(mergeListing(held, { key: URI, revision: 'r2', shared: packed.shared, changes: { count: 4, changed: [[1, packTask(edited, packed.shared)]], versions: { [URI]: 1 } } })![1], edited);
  });

  it('a shift or an unchanged task beyond what is held: undefined (the client asks for everything)', () => {
    assert.equal(mergeListing(held, listing({ count: 5, changed: [], shifted: [[3, 5, 1]], versions: {} })), undefined);
    assert.equal(mergeListing(held, listing({ count: 5, changed: [], versions: {} })), undefined);
  });
});
