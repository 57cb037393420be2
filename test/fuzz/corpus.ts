import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One real-looking document to mutate, by its path inside a fuzz workspace. */
export interface SeedDocument {
  /** Posix path relative to the workspace root; it decides how the file is classified. */
  relativePath: string;
  text: string;
}

/** A v1 board with what real boards hold: comments, flow lists, quotes, anchors, CRLF-free fences. */
const INLINE_V1 = `---
title: "Billing: Q3"   # quoted, with a colon
schema: https://brainfile.md/v1/board.json
x-defaults: &defaults
  priority: medium
columns:
  - id: todo
    title: 'To Do'
    tasks:
      - id: task-1
        <<: *defaults
        title: Retry failed webhooks
        tags: [api, "retries", 'ops']
        blockedBy: [task-2]
        contract:
          status: ready
          deliverables: [{type: file, path: src/webhooks/retry.ts}]
          validation: {commands: ["npm test", 'npm run lint']}
          constraints:
            - Keep the public API
  - id: in-progress
    title: In Progress
    tasks:
      - id: task-2
        title: >-
          Folded title
          over two lines
        assignee: alice
        contract:
          status: in_progress
          feedback: |
            Literal block
            kept as is
---

# Notes

\`\`\`yaml
id: task-3
title: Fenced task
contract:
  status: draft
  deliverables:
    - type: docs
      path: docs/retry.md
\`\`\`
`;

const INLINE_V2_LOG = `---
id: task-31
title: "Archived: old importer"
column: done
priority: low
blockedBy: []
contract:
  status: done
  deliverables:
    - {type: file, path: src/import.ts}
  metrics: {pickedUpAt: "2026-10-01T10:00:00Z", reworkCount: 1}
---

Closed.
`;

function listFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

/**
 * The seed documents: the sample boards in test/fixtures/examples, every diagnostics fixture (they
 * cover the syntax faults and edge cases we already know) and a few inline
 * boards, each under its own folder so v2 boards keep their layout.
 */
export function loadCorpus(repoRoot: string): SeedDocument[] {
  const seeds: SeedDocument[] = [];
  const addFolder = (folder: string, prefix: string) => {
    for (const file of listFiles(folder).sort()) {
      if (path.basename(file) === 'expected.json') continue;
      seeds.push({ relativePath: `${prefix}/${toPosix(path.relative(folder, file))}`, text: readFileSync(file, 'utf8') });
    }
  };
  addFolder(path.join(repoRoot, 'test', 'fixtures', 'examples'), 'examples');
  addFolder(path.join(repoRoot, 'test', 'fixtures', 'diagnostics'), 'fixtures');
  seeds.push({ relativePath: 'inline/brainfile.md', text: INLINE_V1 });
  seeds.push({ relativePath: 'inline/.brainfile/logs/task-31.md', text: INLINE_V2_LOG });
  return seeds;
}
