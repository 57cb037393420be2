import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { provideHover } from '../../server/src/features/hover';
import { FixtureWorkspace, readText, sharedExamples, withCursor } from './helpers';

/** Hovers at the `<|>` marker in `file` (other files make up the workspace). */
function hoverAt(file: string, textWithCursor: string, others: Record<string, string> = {}) {
  const { text, offset } = withCursor(textWithCursor);
  const workspace = new FixtureWorkspace({ ...others, [file]: text });
  const analysis = workspace.get(file);
  const hover = provideHover(analysis, analysis.lines.positionAt(offset), workspace);
  return { hover, text, analysis, markdown: hover ? (hover.contents as MarkupContent).value : '', covered: hover ? coveredText(hover, text, analysis.lines) : '' };
}

function coveredText(hover: Hover, text: string, lines: { offsetAt(p: { line: number; character: number }): number }): string {
  assert.ok(hover.range, 'hover has a range');
  return text.slice(lines.offsetAt(hover.range.start), lines.offsetAt(hover.range.end));
}

/** Puts the cursor marker before the `nth` occurrence of `needle` (plus `shift` characters). */
function mark(text: string, needle: string, shift = 0, nth = 0): string {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `fixture has no ${needle}`);
  return text.slice(0, index + shift) + '<|>' + text.slice(index + shift);
}

const BOARD = `---
# Payments board, edited by hand
title: "Payments"
protocolVersion: 1.0.0
columns:
  - id: todo
    title: To Do
    tasks:
      - id: task-1   # the first one
        title: 'Add idempotency keys'
        priority: high
        tags: [api, reliability]
        contract:
          status: ready  # the PM marked it ready on Monday
          deliverables:
            - {type: file, path: "src/charges/idempotency.ts"}
      - id: task-2
        title: Draft the retry policy
        contract: {status: draft, deliverables: [{type: docs, path: docs/retries.md}]}
  - id: in-progress
    title: In Progress
    tasks:
      - id: task-3
        title: Rate-limit the public API
        blockedBy: [task-1, "task-9"]
        contract:
          status: "in-progres"
          extraNote: kept by another tool
  - id: done
    title: Done
    tasks:
      - id: task-4
        title: Old work
        blockedBy:
          - 'task-3'
        contract:
          status: done
---

# Notes

\`\`\`yaml
id: task-60
title: Example from the design doc
blockedBy: [task-2]
contract:
  status: failed
\`\`\`
`;

const V2_CONFIG = readText(path.join(sharedExamples, 'board-v2/.brainfile/brainfile.md'));
const V2_TASK_10 = readText(path.join(sharedExamples, 'board-v2/.brainfile/board/task-10.md'));
const V2_TASK_11 = readText(path.join(sharedExamples, 'board-v2/.brainfile/board/task-11.md'));
const V2_FILES = {
  '/p/.brainfile/brainfile.md': V2_CONFIG,
  '/p/.brainfile/board/task-10.md': V2_TASK_10,
};
const DEPLOYMENT = readText(path.join(sharedExamples, 'deployments/.glassops/glassops-contract.json'));

describe('hover', () => {
  describe('on keys', () => {
    it('shows the path, type, description and allowed values of a contract status key', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, 'status: ready', 2));
      assert.equal(covered, 'status');
      assert.match(markdown, /^\*\*`columns\[0\]\.tasks\[0\]\.contract\.status`\*\* · \*enum, required\*/);
      assert.match(markdown, /Where the contract is in its lifecycle/);
      assert.match(markdown, /Allowed values:/);
      for (const status of ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled']) assert.match(markdown, new RegExp(`- \`${status}\`: `));
    });

    it('covers the key when the cursor is at its first or last character', () => {
      assert.equal(hoverAt('/ws/brainfile.md', mark(BOARD, 'priority: high')).covered, 'priority');
      assert.equal(hoverAt('/ws/brainfile.md', mark(BOARD, 'priority: high', 8)).covered, 'priority');
    });

    it('documents a key at the top of the front matter', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, 'title: "Payments"', 1));
      assert.equal(covered, 'title');
      assert.match(markdown, /^\*\*`title`\*\* · \*string, required\*/);
      assert.match(markdown, /Name of the board/);
    });

    it('documents keys of a column, of a task and of a deliverable via the task schema', () => {
      assert.match(hoverAt('/ws/brainfile.md', mark(BOARD, 'id: in-progress')).markdown, /^\*\*`columns\[1\]\.id`\*\*.*\n\nColumn id in kebab-case/);
      const priority = hoverAt('/ws/brainfile.md', mark(BOARD, 'priority: high', 3)).markdown;
      assert.match(priority, /`columns\[0\]\.tasks\[0\]\.priority`/);
      assert.match(priority, /- `critical`/);
      const deliverablePath = hoverAt('/ws/brainfile.md', mark(BOARD, 'path: "src', 1));
      assert.equal(deliverablePath.covered, 'path');
      assert.match(deliverablePath.markdown, /`columns\[0\]\.tasks\[0\]\.contract\.deliverables\[0\]\.path`/);
    });

    it('works on keys inside a flow mapping', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, 'status: draft', 1));
      assert.equal(covered, 'status');
      assert.match(markdown, /`columns\[0\]\.tasks\[1\]\.contract\.status`/);
    });

    it('works in a fenced task block, with the task schema at the root', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, 'title: Example'));
      assert.equal(covered, 'title');
      assert.match(markdown, /^\*\*`title`\*\*/);
      assert.match(markdown, /Short one-line summary of the task/);
    });

    it('works in a v2 task file, and says when a key is deprecated', () => {
      const { markdown, covered } = hoverAt('/p/.brainfile/board/task-10.md', mark(V2_TASK_10, 'outOfScope'), V2_FILES);
      assert.equal(covered, 'outOfScope');
      assert.match(markdown, /`contract\.outOfScope`/);
      const context = hoverAt('/p/.brainfile/board/task-9.md', mark('---\nid: task-9\ntitle: T\ncolumn: todo\ncontract:\n  status: ready\n  context:\n    background: x\n---\n', 'context'), V2_FILES);
      assert.equal(context.covered, 'context');
      assert.match(context.markdown, /\*\*Deprecated:\*\*/);
    });

    it('documents a deployment JSON key, with the quotes in its range', () => {
      const { markdown, covered } = hoverAt('/ws/.glassops/deploy.deployment.json', mark(DEPLOYMENT, '"met"', 2));
      assert.equal(covered, '"met"');
      assert.match(markdown, /^\*\*`quality\.coverage\.met`\*\* · \*boolean/);
      assert.match(markdown, /true when the actual coverage reaches the required coverage/);
    });

    it('lists the allowed values of a deployment enum key', () => {
      const { markdown } = hoverAt('/ws/.glassops/deploy.deployment.json', mark(DEPLOYMENT, '"status"', 3));
      assert.match(markdown, /- `Succeeded`: The deployment completed/);
      assert.match(markdown, /- `Blocked`: /);
    });

    it('returns null for keys the schema does not know, comments, blank space and delimiters', () => {
      assert.equal(hoverAt('/ws/brainfile.md', mark(BOARD, 'extraNote', 2)).hover, null);
      assert.equal(hoverAt('/ws/brainfile.md', mark(BOARD, '# Payments board', 3)).hover, null);
      assert.equal(hoverAt('/ws/brainfile.md', mark(BOARD, '# the first one', 4)).hover, null);
      assert.equal(hoverAt('/ws/brainfile.md', '<|>' + BOARD).hover, null);
      assert.equal(hoverAt('/ws/brainfile.md', mark(BOARD, 'Notes')).hover, null);
    });

    it('returns null in files that are neither boards, task files nor deployments', () => {
      assert.equal(hoverAt('/ws/README.md', mark(BOARD, 'status: ready')).hover, null);
    });

    it('finds keys on CRLF lines', () => {
      const crlf = BOARD.replace(/\n/g, '\r\n');
      const { markdown, covered, hover } = hoverAt('/ws/brainfile.md', mark(crlf, 'deliverables', 4));
      assert.equal(covered, 'deliverables');
      assert.deepEqual(hover!.range, { start: { line: 14, character: 10 }, end: { line: 14, character: 22 } });
      assert.match(markdown, /`columns\[0\]\.tasks\[0\]\.contract\.deliverables`/);
    });
  });

  describe('on contract status values', () => {
    it('explains ready and the Claim transition, covering the token exactly', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, 'ready  #', 2));
      assert.equal(covered, 'ready');
      assert.match(markdown, /^\*\*`ready`\*\* · contract status/);
      assert.match(markdown, /waiting for a worker to claim it/);
      assert.match(markdown, /- Claim → in_progress \(`contracts\.claim`\)/);
      assert.doesNotMatch(markdown, /Deliver/);
    });

    it('offers Publish from draft in a flow mapping (v1)', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, 'draft,'));
      assert.equal(covered, 'draft');
      assert.match(markdown, /- Publish → ready \(`contracts\.publish`\)/);
    });

    it('says a done contract is final', () => {
      const { markdown } = hoverAt('/ws/brainfile.md', mark(BOARD, 'status: done', 9));
      assert.match(markdown, /closed/);
      assert.match(markdown, /No transition leads out of done/);
    });

    it('offers Rework from failed in a fenced block', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, 'failed'));
      assert.equal(covered, 'failed');
      assert.match(markdown, /- Rework → reworking \(`contracts\.rework`\)/);
    });

    it('offers Deliver and Block from in_progress in a v2 task file', () => {
      const { markdown, covered } = hoverAt('/p/.brainfile/board/task-10.md', mark(V2_TASK_10, 'in_progress'), V2_FILES);
      assert.equal(covered, 'in_progress');
      assert.match(markdown, /- Deliver → delivered \(`contracts\.deliver`\)/);
      assert.match(markdown, /- Block → blocked \(`contracts\.block`\)/);
    });

    it('offers Unblock from blocked in v2', () => {
      const { markdown } = hoverAt('/p/.brainfile/board/task-11.md', mark(V2_TASK_11, 'status: blocked', 9), V2_FILES);
      assert.match(markdown, /- Unblock → in_progress \(`contracts\.unblock`\)/);
    });

    it('shows the allowed values for a status that is not one, covering the quotes', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, '"in-progres"', 3));
      assert.equal(covered, '"in-progres"');
      assert.match(markdown, /Allowed values:/);
      assert.match(markdown, /- `in_progress`: /);
      assert.doesNotMatch(markdown, /→/);
    });
  });

  describe('on other enum values', () => {
    it('shows what a priority means', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, 'high', 1));
      assert.equal(covered, 'high');
      assert.match(markdown, /^\*\*`high`\*\* · value of `columns\[0\]\.tasks\[0\]\.priority`/);
      assert.ok(markdown.split('\n').length >= 3, 'has a meaning line');
      assert.doesNotMatch(markdown, /→/);
    });

    it('shows what a deployment status means, covering the quoted token', () => {
      const { markdown, covered } = hoverAt('/ws/.glassops/deploy.deployment.json', mark(DEPLOYMENT, '"Succeeded"', 4));
      assert.equal(covered, '"Succeeded"');
      assert.match(markdown, /The deployment completed and its quality gates passed/);
    });

    it("explains on a Succeeded status with failed tests why a team may still call it a success (glassops' own valid contract)", () => {
      const conflicted = DEPLOYMENT.replace(/"failed":\s*\d+/, '"failed": 5').replace(/"passed":\s*(\d+)/, (_m, n: string) => `"passed": ${Number(n) - 5}`);
      const { markdown } = hoverAt('/ws/.glassops/deploy.deployment.json', mark(conflicted, '"Succeeded"', 4));
      assert.match(markdown, /A team may still call such a deployment a success/);
      assert.match(markdown, /5 of 100 tests failed/);
      assert.doesNotMatch(hoverAt('/ws/.glassops/deploy.deployment.json', mark(DEPLOYMENT, '"Succeeded"', 4)).markdown, /may still call/);
    });

    it('shows a plain value its field documentation and ignores list entries without one', () => {
      assert.match(hoverAt('/ws/brainfile.md', mark(BOARD, 'Rate-limit the', 3)).markdown, /Short one-line summary/);
      assert.equal(hoverAt('/ws/brainfile.md', mark(BOARD, 'reliability')).hover, null);
    });
  });

  describe('on dependsOn and parentId ids', () => {
    it('shows the task a dependsOn entry or a parentId names', () => {
      const board = BOARD.replace(/(\n(\s+)title: Rate-limit the[^\n]*)/, '$1\n$2dependsOn: [task-2]\n$2parentId: task-2');
      const depends = hoverAt('/ws/brainfile.md', mark(board, 'task-2]', 2));
      assert.equal(depends.covered, 'task-2');
      assert.match(depends.markdown, /^\*\*task-2\*\*/);
      const parent = hoverAt('/ws/brainfile.md', mark(board, 'parentId: task-2', 12));
      assert.equal(parent.covered, 'task-2');
      assert.match(parent.markdown, /^\*\*task-2\*\*/);
    });
  });

  describe('on blockedBy ids', () => {
    it('shows the title, contract status and column of the task named in a flow list', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, 'task-1,', 2));
      assert.equal(covered, 'task-1');
      assert.match(markdown, /^\*\*task-1\*\* · Add idempotency keys/);
      assert.match(markdown, /Contract status: `ready`: The work is fully defined/);
      assert.match(markdown, /In column `todo`\./);
    });

    it('says when the id does not exist, covering the quotes', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, '"task-9"', 1));
      assert.equal(covered, '"task-9"');
      assert.match(markdown, /Task `task-9` does not exist in this board/);
    });

    it('resolves a quoted id in a block list', () => {
      const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(BOARD, "'task-3'", 2));
      assert.equal(covered, "'task-3'");
      assert.match(markdown, /Rate-limit the public API/);
      assert.match(markdown, /Contract status: `in-progres` \(not a valid status\)/);
    });

    it('resolves ids from a fenced block against the board tasks', () => {
      const { markdown } = hoverAt('/ws/brainfile.md', mark(BOARD, 'task-2]'));
      assert.match(markdown, /Draft the retry policy/);
      assert.match(markdown, /Contract status: `draft`/);
    });

    it('does not treat a fenced example as a task that exists', () => {
      const text = BOARD.replace('blockedBy: [task-1, "task-9"]', 'blockedBy: [task-60]');
      assert.match(hoverAt('/ws/brainfile.md', mark(text, 'task-60]')).markdown, /does not exist/);
    });

    it('finds the task in another v2 task file', () => {
      const task12 = '---\nid: task-12\ntitle: Show auth status\ncolumn: todo\nblockedBy:\n  - task-10\n  - task-99\ncontract:\n  status: ready\n---\n';
      const { markdown, covered } = hoverAt('/p/.brainfile/board/task-12.md', mark(task12, 'task-10', 3), V2_FILES);
      assert.equal(covered, 'task-10');
      assert.match(markdown, /^\*\*task-10\*\* · Stream tool-call events to the dashboard/);
      assert.match(markdown, /Contract status: `in_progress`/);
      assert.match(markdown, /In column `in-progress`, in task-10\.md\./);
      assert.match(hoverAt('/p/.brainfile/board/task-12.md', mark(task12, 'task-99'), V2_FILES).markdown, /does not exist/);
    });

    it('says when the named task has no contract', () => {
      const text = BOARD.replace("- 'task-3'", '- task-5').replace('      - id: task-4\n', '      - id: task-5\n        title: Plain task\n      - id: task-4\n');
      const { markdown } = hoverAt('/ws/brainfile.md', mark(text, '- task-5', 2));
      assert.match(markdown, /\*\*task-5\*\* · Plain task/);
      assert.match(markdown, /No contract\./);
    });
  });

  it('hovers on the shared v1 example (comment after the status)', () => {
    const text = readText(path.join(sharedExamples, 'board-v1/brainfile.md'));
    const { markdown, covered } = hoverAt('/ws/brainfile.md', mark(text, 'ready  #'));
    assert.equal(covered, 'ready');
    assert.match(markdown, /Claim → in_progress/);
    const blocked = hoverAt('/ws/brainfile.md', mark(text, 'task-3]'));
    assert.match(blocked.markdown, /Rate-limit the public API/);
    assert.match(blocked.markdown, /`in_progress`/);
  });
});
