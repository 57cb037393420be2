import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { generateBoard, generateColumnBoard, generateDeployment, generateV2Board } from '../../bench/boards';
import { analyzeDocument, type AnalyzeOptions, type DocumentAnalysis } from '../../server/src/engine/analyze';
import { decodeAnalysis, decodeAnalysisSteps, encodeAnalysis, transferList } from '../../server/src/engine/analysisTransfer';
import { assertSameAnalysis } from './helpers';
import { BOARDS, mutate, random, STYLES } from './yamlMutations';

// Issue 14: big documents are analyzed on a worker thread and cross back
// flattened (engine/analysisTransfer.ts). What the main thread rebuilds must be
// the analysis the engine gives in process: trees with parents, keys and
// offsets, the board model, diagnostics, regions, line index.

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const asTaskFile: AnalyzeOptions = { isTaskFolder: () => true };

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const full = path.join(folder, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The analysis after a trip through a worker's message: encoded, cloned as `postMessage` does (its buffers moved), rebuilt. */
function roundTrip(analysis: DocumentAnalysis): DocumentAnalysis | undefined {
  const transferred = encodeAnalysis(analysis);
  if (!transferred) return undefined;
  return decodeAnalysis(structuredClone(transferred, { transfer: transferList(transferred) }), analysis.text);
}

function assertRebuilt(file: string, text: string, options: AnalyzeOptions = {}): DocumentAnalysis {
  const analysis = analyzeDocument(file, text, options);
  const rebuilt = roundTrip(analysis);
  assert.ok(rebuilt, `${file} was not flattened`);
  assertSameAnalysis(rebuilt, analysis, file);
  return analysis;
}

describe('Analyses rebuilt from their transferred form', function () {
  this.timeout(120_000);

  it('rebuilds every fixture (boards v1 and v2, task files, deployments, ledgers, broken YAML, fences) as analyzed in process', () => {
    const kinds = new Set<string>();
    let rebuilt = 0;
    for (const file of filesUnder(FIXTURES)) {
      const text = readFileSync(file, 'utf8');
      for (const options of [{}, asTaskFile]) {
        const analysis = analyzeDocument(file, text, options);
        const back = roundTrip(analysis);
        // Only trees that share nodes stay behind.
        if (!back) {
          assert.match(text, /[*]|<</, `${file} was not flattened`);
          continue;
        }
        assert.deepStrictEqual(back, analysis, file);
        kinds.add(`${analysis.kind}${analysis.version ?? ''}${analysis.regions.some((r) => r.region.kind === 'fence') ? '+fence' : ''}`);
        rebuilt++;
      }
    }
    assert.ok(rebuilt >= 200, `only ${rebuilt} analyses rebuilt`);
    for (const kind of ['board1', 'board1+fence', 'board2', 'task2', 'deployment', 'ledger2', 'none']) assert.ok(kinds.has(kind), `no ${kind} among the fixtures: ${[...kinds]}`);
  });

  it('rebuilds the fixtures written with CRLF line ends and a BOM', () => {
    for (const file of filesUnder(FIXTURES).filter((f) => /\.(md|json|jsonl)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      for (const variant of [text.replace(/\r?\n/g, '\r\n'), '\ufeff' + text]) {
        const analysis = analyzeDocument(file, variant, asTaskFile);
        const back = roundTrip(analysis);
        if (back) assertSameAnalysis(back, analysis, file);
      }
    }
  });

  it('rebuilds the bench boards: 5,000 tasks, 40,000 columns valid and invalid, a v2 board, a deployment', () => {
    const tasks = assertRebuilt('/ws/tasks/brainfile.md', generateBoard({ tasks: 5000 }));
    assert.ok(tasks.board!.tasks.length >= 5000);
    assertRebuilt('/ws/columns/brainfile.md', generateColumnBoard(40_000));
    const invalid = assertRebuilt('/ws/invalid/brainfile.md', generateColumnBoard(40_000, { invalid: true }));
    assert.ok(invalid.diagnostics.length >= 40_000, `${invalid.diagnostics.length} findings`);
    for (const [file, text] of Object.entries(generateV2Board(300))) assertRebuilt(path.join('/ws/v2', file), text);
    assertRebuilt('/ws/.glassops/deployment.json', generateDeployment());
  });

  it('rebuilds the generated boards in every style, and hundreds of random mutations of them', () => {
    for (const board of BOARDS) {
      for (const style of STYLES) {
        const text = style.apply(generateBoard(board.options));
        assertRebuilt('/ws/brainfile.md', text);
        const next = random(board.name.length * 31 + style.name.length);
        let mutated = text;
        for (let n = 0; n < 12; n++) {
          mutated = mutate(mutated, next);
          const analysis = analyzeDocument('/ws/brainfile.md', mutated);
          const back = roundTrip(analysis);
          if (back) assertSameAnalysis(back, analysis, `${board.name}, ${style.name}, mutation ${n}`);
          else assert.match(mutated, /[*]|<</);
        }
      }
    }
  });

  it('rebuilds scalars of every kind: quoted, escaped, block, numbers (NaN, -0, hex), booleans, nulls, long keys', () => {
    const text = [
      '---',
      'title: "Scalars \\"quoted\\" \\u00e9"',
      "single: 'it''s'",
      'block: |\n  two\n  lines',
      'folded: >-\n  folded\n  text',
      'numbers: [0x1F, -0, .nan, -.inf, 1e3, 007]',
      'flags: [true, False, ~, null, ""]',
      `${'k'.repeat(60)}: long key`,
      'columns:\n  - id: todo\n    title: To Do\n    tasks:\n      - id: t-1\n        title: \'One\'',
      '---',
      '```yaml\ncontract:\n  status: ready\nid: fenced\n```',
    ].join('\n');
    assertRebuilt('/ws/brainfile.md', text);
  });

  it('leaves trees that share nodes (aliases, merges) to the main thread', () => {
    const aliased = '---\ntitle: A\nbase: &base\n  id: x\ncolumns:\n  - *base\n---\n';
    const merged = '---\ntitle: A\nbase: &base\n  id: x\ncolumns:\n  - <<: *base\n    title: T\n---\n';
    const duplicate = '---\ntitle: A\nid: &same x\nid: *same\ncolumns: []\n---\n';
    assert.equal(encodeAnalysis(analyzeDocument('/ws/brainfile.md', aliased)), undefined);
    assert.equal(encodeAnalysis(analyzeDocument('/ws/brainfile.md', merged)), undefined);
    // A scalar alias under a duplicate key shares nothing that matters, but is no plain tree either.
    const back = roundTrip(analyzeDocument('/ws/brainfile.md', duplicate));
    if (back) assert.deepStrictEqual(back, analyzeDocument('/ws/brainfile.md', duplicate));
  });

  it('rebuilds a 40,000-column board in steps of a few thousand nodes', () => {
    const text = generateColumnBoard(40_000, { invalid: true });
    const analysis = analyzeDocument('/ws/brainfile.md', text);
    const steps = decodeAnalysisSteps(encodeAnalysis(analysis)!, text);
    let count = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) count++;
    // The tree (200,000 nodes), the line index, the board read 500 columns a step and the findings 2,000 a part.
    assert.ok(count >= 100, `${count} steps`);
    assertSameAnalysis(next.value, analysis, 'in steps');
  });

  it('the comparison sees a node out of place', () => {
    const text = generateBoard({ tasks: 30 });
    const analysis = analyzeDocument('/ws/brainfile.md', text);
    const rebuilt = roundTrip(analysis)!;
    const task = rebuilt.board!.tasks[3].node;
    task.start++;
    assert.throws(() => assertSameAnalysis(rebuilt, analysis, 'moved'));
    task.start--;
    rebuilt.board!.tasks[3].node = rebuilt.board!.tasks[4].node;
    assert.throws(() => assertSameAnalysis(rebuilt, analysis, 'another node'));
  });
});
