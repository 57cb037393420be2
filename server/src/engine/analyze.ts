import { copyArrayNode, copyObjectNode, describeNode, getValue, propertyWithValue, type ArrayNode, type DataNode, type ObjectNode } from './dataNode';
import { diagnostic, normalizeDiagnostics, type EngineDiagnostic } from './diagnostics';
import { classifyDocument, toPosix, type ClassifyOptions, type DocumentKind } from './classify';
import { analyzeLedger } from './ledger';
import { LIMITS } from './limits';
import { looksLikeV2Board, readBoardSteps, readTask, type BoardInfo, type TaskInfo } from './model';
import { parseJsonDocument } from './parseJson';
import { parseFrontMatterInChunksSteps } from './chunkedParse';
import { parseYamlRegion, type ParsedValue } from './parseYaml';
import { mayHoldContract, scanFrontMatter, scanYamlFences, type Region } from './regions';
import { checkDeployment, checkDuplicateColumnsSteps, checkTaskSet, checkTaskSetSteps, type TaskSet } from './rules';
import { statusNote } from './statuses';
import { SchemaIds, type SchemaId } from './schemaStore';
import { runToEnd, type Steps } from './steps';
import { LineIndex, type TextReader } from './text';
import { checkAgainstSchema, checkAgainstSchemaSteps } from './validateSchema';

export interface AnalyzeOptions extends ClassifyOptions {
  /** Files larger than this are skipped with a `file-too-large` notice. */
  maxFileBytes?: number;
  /** Board front matter of at least this many characters is parsed task by task (default `CHUNKED_PARSE_MIN_CHARS`). */
  chunkedParseMinChars?: number;
  /** What the file is, when the caller already knows (the CLI classifies files it is given by content). */
  kind?: DocumentKind;
}

/**
 * From this size on a board's front matter is parsed task by task
 * (`chunkedParse.ts`), with the same result: the whole document's YAML tree
 * would cost far more memory than the analysis it leads to.
 */
export const CHUNKED_PARSE_MIN_CHARS = 256 * 1024;

export interface AnalyzedRegion {
  region: Region;
  root?: DataNode;
  /** The schema the region's root was checked against. */
  schemaId: SchemaId;
}

/** Everything the editor features need to know about one version of one document. */
export interface DocumentAnalysis {
  path: string;
  text: string;
  lines: LineIndex;
  kind: DocumentKind;
  version?: 1 | 2;
  regions: AnalyzedRegion[];
  /** Board files: columns and tasks (v1), columns only (v2 configs). */
  board?: BoardInfo;
  /** v2 task files: the one task. */
  task?: TaskInfo;
  /** Deployment contracts: the root value. */
  deployment?: DataNode;
  /** Ledgers: the ids of the completed tasks they record. */
  ledgerIds?: Set<string>;
  /** Findings within this document alone (cross-file findings come from the board model, `boards.ts`). */
  diagnostics: EngineDiagnostic[];
  skipped?: 'too-large' | 'binary';
}

export function analyzeDocument(path: string, text: string, options: AnalyzeOptions = {}): DocumentAnalysis {
  return runToEnd(analyzeDocumentSteps(path, text, options));
}

/** `analyzeDocument` in small steps (see `steps.ts`): the same result, with pauses between task items, tasks and columns. */
export function* analyzeDocumentSteps(path: string, text: string, options: AnalyzeOptions = {}): Steps<DocumentAnalysis> {
  const kind = options.kind ?? classifyDocument(path, text, options);
  if (kind === 'none') return { path: toPosix(path), text, lines: new LineIndex(text), kind, regions: [], diagnostics: [] };
  // The line index of a 4 MB text takes steps too.
  const analysis: DocumentAnalysis = { path: toPosix(path), text, lines: yield* LineIndex.inSteps(text), kind, regions: [], diagnostics: [] };
  yield;

  const maxBytes = options.maxFileBytes ?? LIMITS.defaultMaxFileBytes;
  const firstLine = { start: 0, end: Math.max(1, Math.min(text.length, firstLineEnd(text))) };
  if (text.length > maxBytes) {
    analysis.skipped = 'too-large';
    analysis.diagnostics.push(
      diagnostic('file-too-large', 'information', firstLine, `This file is ${formatSize(text.length)}, over the ${formatSize(maxBytes)} limit (setting contracts.maxFileSizeKB), so it is not checked.`),
    );
    return analysis;
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    analysis.skipped = 'binary';
    analysis.diagnostics.push(diagnostic('binary-content', 'warning', { start: nul, end: nul + 1 }, 'This file holds binary bytes (NUL), so it is not checked. Expected a text file.'));
    return analysis;
  }

  if (kind === 'deployment') analyzeDeployment(analysis);
  else if (kind === 'task') analyzeTaskFile(analysis);
  else if (kind === 'ledger') analyzeLedgerFile(analysis);
  else yield* analyzeBoard(analysis, options);
  analysis.diagnostics = normalizeDiagnostics(analysis.diagnostics);
  return analysis;
}

/**
 * The analysis of a file that was not read because its size (known from the
 * file system) is over the limit: the same notice as for a text over it.
 */
export function skippedAsTooLarge(path: string, size: number, options: AnalyzeOptions = {}): DocumentAnalysis {
  const kind = options.kind ?? classifyDocument(path, undefined, options);
  const maxBytes = options.maxFileBytes ?? LIMITS.defaultMaxFileBytes;
  const analysis: DocumentAnalysis = { path: toPosix(path), text: '', lines: new LineIndex(''), kind, regions: [], diagnostics: [], skipped: 'too-large' };
  analysis.diagnostics.push(
    diagnostic('file-too-large', 'information', { start: 0, end: 0 }, `This file is ${formatSize(size)}, over the ${formatSize(maxBytes)} limit (setting contracts.maxFileSizeKB), so it is not checked.`),
  );
  return analysis;
}

function firstLineEnd(text: string): number {
  const newline = text.search(/[\r\n]/);
  return newline < 0 ? text.length : newline;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function analyzeDeployment(analysis: DocumentAnalysis): void {
  // A BOM is not JSON, but editors write it; blank it out so offsets stay put.
  const text = analysis.text.charCodeAt(0) === 0xfeff ? ' ' + analysis.text.slice(1) : analysis.text;
  const parsed = parseJsonDocument(text);
  analysis.diagnostics.push(...parsed.diagnostics);
  // Faults of the whole object go on its opening brace, past any BOM or leading space.
  const rootStart = parsed.root ? parsed.root.range.start : 0;
  const region: Region = { kind: 'json', content: { start: 0, end: text.length }, open: { start: rootStart, end: Math.min(rootStart + 1, text.length) } };
  analysis.regions.push({ region, root: parsed.root, schemaId: SchemaIds.deployment });
  analysis.deployment = parsed.root;
  if (!parsed.root || !isCheckable(parsed)) return;
  if (parsed.root.type !== 'object') {
    analysis.diagnostics.push(diagnostic('invalid-type', 'error', parsed.root.range, `Expected a deployment contract object at the top level, found ${describeNode(parsed.root)}.`));
    return;
  }
  analysis.diagnostics.push(...checkAgainstSchema(parsed.root, SchemaIds.deployment, { text, rootAnchor: region.open, rootLabel: 'the deployment contract' }));
  analysis.diagnostics.push(...checkDeployment(parsed.root));
}

function analyzeLedgerFile(analysis: DocumentAnalysis): void {
  analysis.version = 2;
  const ledger = analyzeLedger(analysis.text);
  analysis.ledgerIds = ledger.ids;
  for (const line of ledger.lines) analysis.regions.push({ region: line.region, root: line.root, schemaId: SchemaIds.ledgerRecord });
  analysis.diagnostics.push(...ledger.diagnostics);
}

/** Schema and semantic checks need a complete tree without syntax errors, or they repeat the syntax fault. */
function isCheckable(parsed: ParsedValue | undefined): boolean {
  return !!parsed && parsed.complete && !parsed.syntaxErrors;
}

/** How messages name a task's root object. */
function taskLabel(task: TaskInfo): string {
  return task.id !== undefined ? `task "${task.id}"` : 'this task';
}

/** Parses the front matter; reports an unclosed or non-mapping one. */
function* parseFrontMatter(analysis: DocumentAnalysis, what: 'board' | 'task', chunkedMinChars = Infinity): Steps<{ region?: Region; parsed?: ParsedValue; bodyStart: number }> {
  const scan = scanFrontMatter(analysis.text);
  if (scan.unopened) {
    // Core cannot load such a file; the YAML above the lone --- is still checked.
    analysis.diagnostics.push(
      diagnostic('frontmatter-unopened', 'error', scan.unopened, `The front matter has no opening ---: the file starts with YAML and a lone --- line closes it later. Expected a first line with only --- before the ${what}'s YAML.`, {
        insertText: '---' + lineBreakOf(analysis.text),
        insertOffset: scan.unopened.start,
      }),
    );
  }
  if (scan.unclosed) {
    analysis.diagnostics.push(
      diagnostic('frontmatter-unclosed', 'error', scan.unclosed, `The front matter opens with --- but never closes. Expected a line with only --- after the ${what}'s YAML.`),
    );
    return { bodyStart: scan.bodyStart };
  }
  if (!scan.region) return { bodyStart: scan.bodyStart };
  const { content } = scan.region;
  const chunked = content.end - content.start >= chunkedMinChars ? yield* parseFrontMatterInChunksSteps(analysis.text, content) : undefined;
  const parsed = chunked ?? parseYamlRegion(analysis.text, content);
  analysis.diagnostics.push(...parsed.diagnostics);
  const empty = !parsed.root || (parsed.root.type === 'null' && parsed.root.range.end === parsed.root.range.start);
  if (empty && isCheckable(parsed)) {
    const required = what === 'board' ? '"title" and "columns"' : '"id" and "title"';
    analysis.diagnostics.push(
      diagnostic('missing-field', 'error', scan.region.open, `The front matter is empty. Expected the ${what}'s fields, at least ${required}.`, { missingFields: what === 'board' ? ['title', 'columns'] : ['id', 'title'] }),
    );
  } else if (parsed.root && isCheckable(parsed) && parsed.root.type !== 'object') {
    analysis.diagnostics.push(
      diagnostic('invalid-type', 'error', parsed.root.range.end > parsed.root.range.start ? parsed.root.range : scan.region.open, `Expected the front matter to be a mapping of ${what} fields, found ${describeNode(parsed.root)}.`),
    );
  }
  return { region: scan.region, parsed, bodyStart: scan.bodyStart };
}

function lineBreakOf(text: string): string {
  return /\r\n/.test(text.slice(0, 4096)) ? '\r\n' : '\n';
}

function* analyzeBoard(analysis: DocumentAnalysis, options: AnalyzeOptions): Steps<void> {
  const { region, parsed, bodyStart } = yield* parseFrontMatter(analysis, 'board', options.chunkedParseMinChars ?? CHUNKED_PARSE_MIN_CHARS);
  yield;
  const root = parsed?.root;
  const version = looksLikeV2Board(root, /(^|\/)\.brainfile\/brainfile\.md$/.test(analysis.path)) ? 2 : 1;
  analysis.version = version;
  const boardSchema = version === 1 ? SchemaIds.boardV1 : SchemaIds.boardV2;
  const taskSchema = version === 1 ? SchemaIds.taskV1 : SchemaIds.taskV2;
  if (region) analysis.regions.push({ region, root, schemaId: boardSchema });
  const board = yield* readBoardSteps(root?.type === 'object' ? root : undefined, region, version);
  analysis.board = board;
  yield;

  if (region && root?.type === 'object' && isCheckable(parsed)) {
    // v1 tasks are checked one by one, so the board check neither converts nor walks them.
    const boardFindings = yield* checkAgainstSchemaSteps(version === 1 ? yield* withoutTasks(root) : root, boardSchema, { text: analysis.text, rootAnchor: region.open, version });
    analysis.diagnostics.push(...(isArchiveFile(analysis.path) ? allowEmptyColumns(boardFindings, root) : boardFindings));
    analysis.diagnostics.push(...(yield* checkDuplicateColumnsSteps(board.columns)));
    yield;
    if (version === 1) {
      for (const task of board.tasks) {
        analysis.diagnostics.push(...checkFrontMatterTask(analysis.text, task, region));
        yield;
      }
    }
  }

  for (const fence of scanYamlFences(analysis.text, bodyStart)) {
    if (!mayHoldContract(analysis.text, fence)) continue;
    const fenced = parseYamlRegion(analysis.text, fence.content);
    // A line starting with `contract:` makes it a task block: its syntax errors count even when they spoil the tree.
    analysis.diagnostics.push(...fenced.diagnostics);
    if (fenced.root?.type !== 'object' || !getValue(fenced.root, 'contract')) continue;
    analysis.regions.push({ region: fence, root: fenced.root, schemaId: taskSchema });
    const task = readTask(fenced.root, fence, 'fence');
    board.tasks.push(task);
    if (isCheckable(fenced)) {
      analysis.diagnostics.push(...checkAgainstSchema(fenced.root, taskSchema, { text: analysis.text, rootAnchor: fence.open, version, rootLabel: `the fenced ${taskLabel(task)}` }));
      const note = statusNote(task, version);
      if (note) analysis.diagnostics.push(note);
    }
  }

  yield;
  if (version === 1) analysis.diagnostics.push(...((yield* checkTaskSetSteps(v1TaskSet(analysis.path, board))).get(analysis.path) ?? []));
}

/** The schema check of one task in a v1 board's front matter. */
export function checkFrontMatterTask(text: TextReader, task: TaskInfo, region: Region): EngineDiagnostic[] {
  const findings = checkAgainstSchema(task.node, SchemaIds.taskV1, { text, rootAnchor: region.open, version: 1, rootLabel: taskLabel(task) });
  const note = statusNote(task, 1);
  return note ? [...findings, note] : findings;
}

/** Archives (`brainfile-archive.md`, `brainfile.*-archive.md`) keep finished tasks only: the official CLI writes `columns: []`. */
export function isArchiveFile(path: string): boolean {
  return /(^|\/)brainfile(\.[^/]*)?-archive\.md$/.test(path);
}

function allowEmptyColumns(findings: EngineDiagnostic[], root: ObjectNode): EngineDiagnostic[] {
  const columns = getValue(root, 'columns');
  if (columns?.type !== 'array' || columns.items.length) return findings;
  return findings.filter((d) => !(d.code === 'empty-value' && d.range.start === columns.range.start));
}

/** Board-wide rules of a v1 board (unique ids, blockedBy, status and column), over all its tasks. */
export function checkV1TaskSet(path: string, board: BoardInfo): EngineDiagnostic[] {
  return checkTaskSet(v1TaskSet(path, board)).get(path) ?? [];
}

function v1TaskSet(path: string, board: BoardInfo): TaskSet {
  return { tasks: board.tasks.map((task) => ({ path, task })), columns: board.columns, version: 1 };
}

/** Columns copied per step by `withoutTasks`. */
const COPY_STEP_ITEMS = 1000;

/**
 * A view of the board whose column task lists and archive are empty: tasks are
 * checked one by one. Only the copied nodes get new parents; the rest is shared.
 */
function* withoutTasks(root: ObjectNode): Steps<ObjectNode> {
  const copy = copyObjectNode(root, root.parent, []);
  for (const property of root.properties) {
    let value = property.value;
    if (!property.merged && property.key === 'columns' && value.type === 'array') {
      const columns = copyArrayNode(value, copy, []);
      for (const column of value.items) {
        columns.items.push(column.type === 'object' ? emptyTaskList(column, columns) : column);
        // 40,000 columns are copied in steps too.
        if (columns.items.length % COPY_STEP_ITEMS === 0) yield;
      }
      value = columns;
    } else if (!property.merged && property.key === 'archive' && value.type === 'array') {
      value = copyArrayNode(value, copy, []);
    }
    copy.properties.push(value === property.value ? property : propertyWithValue(property, value));
  }
  return copy;
}

function emptyTaskList(column: ObjectNode, parent: ArrayNode): ObjectNode {
  const copy = copyObjectNode(column, parent, []);
  for (const property of column.properties) {
    const value = !property.merged && property.key === 'tasks' && property.value.type === 'array' ? copyArrayNode(property.value, copy, []) : property.value;
    copy.properties.push(value === property.value ? property : propertyWithValue(property, value));
  }
  return copy;
}

function analyzeTaskFile(analysis: DocumentAnalysis): void {
  analysis.version = 2;
  const { region, parsed } = runToEnd(parseFrontMatter(analysis, 'task'));
  if (!region) {
    if (!analysis.diagnostics.length) {
      analysis.diagnostics.push(
        diagnostic('missing-field', 'error', { start: 0, end: Math.min(analysis.text.length, Math.max(1, firstLineEnd(analysis.text))) }, 'A v2 task file starts with YAML front matter between --- lines holding the task (id, title, contract). Found none.'),
      );
    }
    return;
  }
  const root = parsed?.root;
  analysis.regions.push({ region, root, schemaId: SchemaIds.taskV2 });
  if (root?.type !== 'object') return;
  const task = readTask(root, region, 'file');
  analysis.task = task;
  if (!isCheckable(parsed)) return;
  analysis.diagnostics.push(...checkAgainstSchema(root, SchemaIds.taskV2, { text: analysis.text, rootAnchor: region.open, version: 2 }));
  const note = statusNote(task, 2);
  if (note) analysis.diagnostics.push(note);
  // The protocol's task.json: an active task (in board/) names its column unless it is completed.
  if (/(^|\/)board\/[^/]+$/.test(analysis.path) && !getValue(root, 'column') && !getValue(root, 'completedAt')) {
    analysis.diagnostics.push(
      diagnostic('missing-field', 'error', region.open, `Missing required field "column" in ${taskLabel(task)}. Expected the key "column" (the id of the board column it sits in): a task in board/ needs one unless it has completedAt.`, {
        missingField: 'column',
      }),
    );
  }
}
