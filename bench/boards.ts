/**
 * Generated inputs for the benchmark (`npm run bench`) and the incremental
 * analysis test: Brainfile v1 boards of any size (about 22 lines per task, every
 * task with a full contract and a sprinkling of errors), a v2 board folder and a
 * deployment contract. Deterministic: the same options give the same text.
 */

export interface BoardOptions {
  tasks: number;
  /** One task in `errorEvery` carries a fault (0: none). */
  errorEvery?: number;
  /** Comments, flow sequences and quoted values here and there. */
  variety?: boolean;
  eol?: '\n' | '\r\n';
  /** A Markdown body with a fenced task block after the front matter. */
  body?: boolean;
  /** Tasks in a top-level `archive` list after the columns (default none). */
  archive?: number;
}

const COLUMNS = [
  { id: 'todo', title: 'To Do', status: 'ready' },
  { id: 'in-progress', title: 'In Progress', status: 'in_progress' },
  { id: 'review', title: 'Review', status: 'delivered' },
  { id: 'done', title: 'Done', status: 'done' },
];

const AREAS = ['payments', 'billing', 'search', 'auth', 'reports', 'webhooks', 'ledger'];
const PRIORITIES = ['low', 'medium', 'high', 'critical'];

/** The faults sprinkled over a board, one per faulty task, in turn. */
const FAULTS = ['bad-status', 'typo-key', 'unknown-ref', 'duplicate-id', 'bad-priority', 'missing-path', 'column-mismatch', 'bad-id'] as const;
type Fault = (typeof FAULTS)[number];

function taskLines(n: number, column: (typeof COLUMNS)[number], fault: Fault | undefined, variety: boolean): string[] {
  const area = AREAS[n % AREAS.length];
  const id = fault === 'duplicate-id' ? `task-${n - 1}` : fault === 'bad-id' ? `Task_${n}` : `task-${n}`;
  const status = fault === 'bad-status' ? 'in-progres' : fault === 'column-mismatch' ? (column.status === 'done' ? 'ready' : 'done') : column.status;
  const priority = fault === 'bad-priority' ? 'urgent' : PRIORITIES[n % PRIORITIES.length];
  const blockedBy = fault === 'unknown-ref' ? `task-${n + 1_000_000}` : `task-${Math.max(1, n - 1)}`;
  const quote = (text: string) => (variety && n % 3 === 0 ? `"${text}"` : text);
  return [
    `- id: ${id}`,
    `  ${fault === 'typo-key' ? 'tilte' : 'title'}: ${quote(`Implement ${area} feature ${n}`)}`,
    `  priority: ${priority}${variety && n % 5 === 0 ? '  # raised in planning' : ''}`,
    variety && n % 4 === 0 ? `  tags:\n    - ${area}` : `  tags: [${area}, api]`,
    n > 1 ? `  blockedBy: [${blockedBy}]` : '  blockedBy: []',
    '  contract:',
    `    status: ${status}`,
    '    deliverables:',
    '      - type: file',
    `        path: src/${area}/feature${n}.ts`,
    `        description: ${quote(`The ${area} change for feature ${n}`)}`,
    '      - type: test',
    fault === 'missing-path' ? `        description: tests for feature ${n}` : `        path: test/${area}/feature${n}.test.ts`,
    '    validation:',
    '      commands:',
    `        - npm test -- test/${area}/feature${n}.test.ts`,
    '        - npm run lint',
    '    constraints:',
    '      - Keep the public API unchanged',
    `      - ${quote('No new runtime dependencies')}`,
    '    context:',
    `      background: ${quote(`Customers asked for ${area} feature ${n} in the last review.`)}`,
  ].flatMap((line) => line.split('\n'));
}

/** A v1 board: front matter with four columns holding `tasks` tasks, and a short body. */
export function generateBoard(options: BoardOptions): string {
  const { tasks, errorEvery = 50, variety = false, eol = '\n', body = true, archive = 0 } = options;
  const lines: string[] = [
    '---',
    `title: Generated board with ${tasks} tasks`,
    'schema: https://brainfile.md/v1/board.json',
    'protocolVersion: 1.0.0',
    'agent:',
    '  instructions:',
    '    - Claim a contract before you start work on it',
    'columns:',
  ];
  const perColumn = Math.ceil(tasks / COLUMNS.length);
  let n = 1;
  let faults = 0;
  for (const column of COLUMNS) {
    lines.push(`  - id: ${column.id}`, `    title: ${column.title}`);
    if (variety && column.id === 'review') lines.push('    # tasks waiting for a reviewer');
    lines.push('    tasks:');
    for (let i = 0; i < perColumn && n <= tasks; i++, n++) {
      const fault = errorEvery > 0 && n % errorEvery === 0 ? FAULTS[faults++ % FAULTS.length] : undefined;
      for (const line of taskLines(n, column, fault, variety)) lines.push(`      ${line}`);
      if (variety && n % 11 === 0) lines.push('');
    }
    if (n > tasks && column !== COLUMNS[COLUMNS.length - 1]) lines.push(`    # nothing more in ${column.id}`);
  }
  if (archive > 0) {
    lines.push('archive:');
    const done = COLUMNS[COLUMNS.length - 1];
    for (let i = 0; i < archive; i++, n++) for (const line of taskLines(n, done, undefined, variety)) lines.push(`  ${line}`);
  }
  lines.push('---');
  if (body) {
    lines.push('', '# Notes', '', 'An example task block:', '', '```yaml', 'id: example-1', 'title: An example', 'contract:', '  status: ready', '```', '');
  }
  return lines.join(eol);
}

/** The front matter of a board alone, as a plain YAML file (for yaml-language-server). */
export function frontMatterOf(board: string): string {
  const start = board.indexOf('\n') + 1;
  const end = board.indexOf('\n---', start);
  return board.slice(start, end + 1);
}

/** A v2 board: `.brainfile/brainfile.md` and one file per task in `.brainfile/board/`. */
export function generateV2Board(tasks: number): Record<string, string> {
  const files: Record<string, string> = {
    '.brainfile/brainfile.md': [
      '---',
      'title: Generated v2 board',
      'schema: https://brainfile.md/v2/board.json',
      'columns:',
      ...COLUMNS.flatMap((c) => [`  - id: ${c.id}`, `    title: ${c.title}`]),
      '---',
      '',
    ].join('\n'),
  };
  for (let n = 1; n <= tasks; n++) {
    const column = COLUMNS[n % COLUMNS.length];
    const area = AREAS[n % AREAS.length];
    files[`.brainfile/board/task-${n}.md`] = [
      '---',
      `id: task-${n}`,
      `title: Implement ${area} feature ${n}`,
      `column: ${column.id}`,
      'contract:',
      `  status: ${column.status === 'done' ? 'done' : column.status}`,
      '  deliverables:',
      '    - type: file',
      `      path: src/${area}/feature${n}.ts`,
      '  validation:',
      '    commands:',
      `      - npm test -- test/${area}/feature${n}.test.ts`,
      '---',
      '',
      `Notes for task ${n}.`,
      '',
    ].join('\n');
  }
  return files;
}

/** A deployment contract with a few faults (coverage flag, test count). */
export function generateDeployment(): string {
  return JSON.stringify(
    {
      schemaVersion: '1.0',
      meta: { adapter: 'glassops-native', engine: 'native', timestamp: '2026-01-15T10:00:00Z', trigger: 'push' },
      status: 'Succeeded',
      quality: { coverage: { actual: 71, required: 80, met: true }, tests: { total: 120, passed: 118, failed: 1 } },
      audit: { triggeredBy: 'ci', repository: 'acme/payments', commit: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0' },
    },
    null,
    2,
  );
}

/**
 * A v1 board of `columns` columns and no tasks (about 100 bytes a column, so
 * 40,000 make 4 MB): the shape the chunked parse does not cover. With
 * `invalid`, every column id breaks the kebab-case pattern (one finding each).
 */
export function generateColumnBoard(columns: number, options: { invalid?: boolean } = {}): string {
  const lines = ['---', `title: Generated board with ${columns} columns`, 'schema: https://brainfile.md/v1/board.json', 'columns:'];
  for (let n = 1; n <= columns; n++) {
    const id = options.invalid ? `stage_${n}` : `stage-${letters(n)}`;
    lines.push(`  - id: ${id}`, `    title: Stage ${n} of the release pipeline`, `    order: ${n}`, '    tasks: []');
  }
  lines.push('---', '', '# Notes', '');
  return lines.join('\n');
}

/** 1 → a, 26 → z, 27 → aa: a number as lowercase letters, for ids that must be kebab-case. */
function letters(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(97 + ((k - 1) % 26)) + out;
  return out;
}
