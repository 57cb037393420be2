#!/usr/bin/env node
// `contracts`: the engine's diagnostics for terminals and CI (`check`), and the
// contract lifecycle for workers and agents (`list`, `show`, the moves, `validate`).
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { version } from '../../package.json';
import { analyzeDocument, checkV2Board, type AnalyzeOptions, type DocumentAnalysis } from './engine/analyze';
import { BOARD_FILE_NAMES, classifyByContent, classifyDocument, dirName, isDotBrainfileTaskFolder, isTaskFolderName, toPosix, type DocumentKind } from './engine/classify';
import type { EngineDiagnostic } from './engine/diagnostics';
import { AGENT_COMMANDS, runAgentCommand } from './cli/commands';

const USAGE = `Usage: contracts check [paths or globs...] [--format text|json] [--max-size-kb N]

Checks Brainfile boards (brainfile.md, brainfile.*.md, *.bb.md), Brainfile v2 task
files and ledgers (board/, logs/ and logs/ledger.jsonl beside a board) and deployment
contracts (glassops-contract.json, *deployment-contract*.json, *.deployment.json, and
contracts inside .glassops/). Folders are searched; node_modules and .git are skipped.
A file named on the command line is checked whatever its name, by its content.
With no path, checks ".".

Options:
  --format text|json   text (default): file:line:col severity code message
                       json: an array of {file, line, column, endLine, endColumn, severity, code, message}
  --max-size-kb N      skip files over N KB (default 5120)
  -h, --help           show this help
  -v, --version        show the version

Exit status: 0 no errors, 1 errors found, 2 bad usage or a named file that is
neither a Brainfile file nor a deployment contract.

Lifecycle (for workers and agents; the same minimal edits as the editor):
  contracts list [paths...] [--status s] [--assignee a] [--format text|json]
  contracts show <task-id> [--board path]          the pickup brief, in Markdown
  contracts publish|claim|deliver|approve|reject|rework|block|unblock|cancel <task-id>
      [--board path] [--expect-status s] [--assignee a] [--feedback text]
      [--no-complete] [--format text|json]
  contracts validate <task-id> [--board path] [--timeout s] [--continue-on-failure]
      [--dry-run] [--no-complete] [--format text|json]

  --board path     a board file, a v2 .brainfile/brainfile.md or a folder to
                   look for the task in (default: the working folder)
  --no-complete    approving a v2 task in board/ moves it to logs/ with
                   completedAt and appends logs/ledger.jsonl; this keeps it in board/
  A move writes the file atomically, only if it still holds the bytes that were
  read. Exit status: 0 done, 1 refused (the message names the allowed moves) or
  validation failed, 2 bad usage, 3 changed since read, 130 interrupted.`;

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

export interface CliOptions {
  paths: string[];
  format: 'text' | 'json';
  maxFileBytes?: number;
}

export interface CliIo {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** One finding as the CLI reports it: 1-based positions, path relative to cwd. */
export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: EngineDiagnostic['severity'];
  code: string;
  message: string;
}

export class UsageError extends Error {}

/** Parses `check`'s arguments; throws UsageError on anything it does not know. */
export function parseCheckArgs(args: string[]): CliOptions {
  const options: CliOptions = { paths: [], format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, found "${format}"`);
      options.format = format;
    } else if (flag === '--max-size-kb') {
      const raw = value();
      const kb = Number(raw);
      if (!/^\d+(\.\d+)?$/.test(raw) || !(kb > 0)) throw new UsageError(`--max-size-kb must be a positive number, found "${raw}"`);
      options.maxFileBytes = Math.floor(kb * 1024);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      options.paths.push(arg);
    }
  }
  if (!options.paths.length) options.paths.push('.');
  return options;
}

/** A v2 task folder is `board/` or `logs/` beside a board file (or inside `.brainfile/`). */
export function isTaskFolder(folder: string): boolean {
  if (isDotBrainfileTaskFolder(folder)) return true;
  return isTaskFolderName(folder) && BOARD_FILE_NAMES.some((name) => existsSync(path.join(dirName(folder), name)));
}

function kindOf(file: string): DocumentKind {
  const name = file.toLowerCase();
  if (!name.endsWith('.md') && !name.endsWith('.json') && !name.endsWith('.jsonl')) return 'none';
  const byPath = classifyDocument(file, undefined, { isTaskFolder });
  if (byPath !== 'none' || !name.endsWith('.json')) return byPath;
  // A JSON file may name our deployment schema in `$schema`: peek at its start.
  return classifyDocument(file, readStart(file), { isTaskFolder });
}

function readStart(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').slice(0, 4096);
  } catch {
    return undefined;
  }
}

const GLOB_CHARS = /[*?[\]{}!]/;

export interface CollectedFiles {
  files: string[];
  /** Files named on the command line, with the kind their content shows. */
  named: Map<string, DocumentKind>;
}

/** The files to check: named files as they are, folders and globs searched for contract files. */
export function collectFiles(paths: string[], cwd: string): CollectedFiles {
  const files = new Set<string>();
  const named = new Map<string, DocumentKind>();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    if (existsSync(absolute)) {
      if (statSync(absolute).isDirectory()) walk(absolute, (file) => kindOf(file) !== 'none' && files.add(file));
      else {
        files.add(absolute);
        named.set(absolute, namedKind(absolute));
      }
      continue;
    }
    if (!GLOB_CHARS.test(given)) throw new UsageError(`no such file or folder: ${given}`);
    const pattern = toPosix(given);
    const { base } = picomatch.scan(pattern);
    const root = path.resolve(cwd, base || '.');
    const matches = picomatch(toPosix(path.resolve(cwd, pattern)), { dot: true });
    const before = files.size;
    if (existsSync(root) && statSync(root).isDirectory()) walk(root, (file) => matches(toPosix(file)) && kindOf(file) !== 'none' && files.add(file));
    if (files.size === before) throw new UsageError(`no files match ${given}`);
  }
  return { files: [...files].sort(), named };
}

/** A named file is what its path says, else what its content shows. */
function namedKind(file: string): DocumentKind {
  const byPath = kindOf(file);
  if (byPath !== 'none') return byPath;
  try {
    return classifyByContent(file, readFileSync(file, 'utf8').slice(0, 64 * 1024), { isTaskFolder });
  } catch {
    return 'none';
  }
}

/** Depth-first walk that follows symlinks but visits each real folder once. */
function walk(folder: string, visit: (file: string) => unknown, seen = new Set<string>()): void {
  let real: string;
  try {
    real = realpathSync(folder);
  } catch {
    return;
  }
  if (seen.has(real)) return;
  seen.add(real);
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (SKIPPED_FOLDERS.has(name)) continue;
    const full = path.join(folder, name);
    let stats;
    try {
      stats = statSync(full);
    } catch {
      continue; // a dangling symlink
    }
    if (stats.isDirectory()) walk(full, visit, seen);
    else if (stats.isFile()) visit(full);
  }
}

export function analyzeFile(file: string, options: AnalyzeOptions, kind?: DocumentKind): DocumentAnalysis {
  // Editors drop the BOM from the text they show; so do we, so columns match.
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return analyzeDocument(toPosix(file), text, { ...options, isTaskFolder, ...(kind && kind !== 'none' ? { kind } : {}) });
}

/** The task files of the v2 board that a task folder belongs to, and its board file. */
/** False for folders, dangling links and link loops (statSync throws ELOOP). */
function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function boardMembers(boardHome: string): string[] {
  const members: string[] = [];
  for (const name of BOARD_FILE_NAMES) {
    const file = path.join(boardHome, name);
    if (existsSync(file)) members.push(file);
  }
  for (const folder of ['board', 'logs']) {
    const full = path.join(boardHome, folder);
    if (!existsSync(full) || !statSync(full).isDirectory()) continue;
    for (const name of readdirSync(full)) {
      if ((name.endsWith('.md') || (folder === 'logs' && name === 'ledger.jsonl')) && isRegularFile(path.join(full, name))) members.push(path.join(full, name));
    }
  }
  return members;
}

/**
 * Analyzes the files, then runs the v2 cross-file rules per board: every task
 * file of the board takes part, but only the requested files are reported.
 */
export function checkFiles(files: string[], options: AnalyzeOptions, named: ReadonlyMap<string, DocumentKind> = new Map()): Map<string, { analysis: DocumentAnalysis; diagnostics: EngineDiagnostic[] }> {
  const results = new Map<string, { analysis: DocumentAnalysis; diagnostics: EngineDiagnostic[] }>();
  for (const file of files) {
    const analysis = analyzeFile(file, options, named.get(file));
    results.set(analysis.path, { analysis, diagnostics: [...analysis.diagnostics] });
  }
  const boardHomes = new Set([...results.values()].filter((r) => r.analysis.kind === 'task').map((r) => dirName(dirName(r.analysis.path))));
  for (const home of boardHomes) {
    const analyses = boardMembers(home).map((file) => results.get(toPosix(file))?.analysis ?? analyzeFile(file, options));
    const config = analyses.find((a) => a.kind === 'board' && a.version === 2);
    const cross = checkV2Board(config, analyses.filter((a) => a.kind === 'task'), analyses.find((a) => a.kind === 'ledger'));
    for (const [file, list] of cross) results.get(file)?.diagnostics.push(...list);
  }
  return results;
}

export function toCliDiagnostics(results: ReturnType<typeof checkFiles>, cwd: string): CliDiagnostic[] {
  const out: CliDiagnostic[] = [];
  for (const { analysis, diagnostics } of results.values()) {
    const file = toPosix(path.relative(cwd, analysis.path) || analysis.path);
    const sorted = [...diagnostics].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.code.localeCompare(b.code));
    for (const d of sorted) {
      const start = analysis.lines.positionAt(d.range.start);
      const end = analysis.lines.positionAt(d.range.end);
      out.push({ file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1, severity: d.severity, code: d.code, message: d.message });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function summary(diagnostics: CliDiagnostic[], checked: number): string {
  const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
  const others = count('information') + count('hint');
  const files = new Set(diagnostics.map((d) => d.file)).size;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(others, 'note')} in ${plural(files, 'file')} (${plural(checked, 'file')} checked)`;
}

/** Runs the CLI; returns the exit code (a promise for the lifecycle commands). */
export function main(argv: string[], io: CliIo): number | Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && Object.hasOwn(AGENT_COMMANDS, command)) {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    return runAgentCommand(command, rest, io);
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    io.out(version);
    return 0;
  }
  if (command !== 'check') {
    io.err(command ? `contracts: unknown command "${command}"\n\n${USAGE}` : USAGE);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  let options: CliOptions;
  let collected: CollectedFiles;
  try {
    options = parseCheckArgs(rest);
    collected = collectFiles(options.paths, io.cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`contracts check: ${error.message}\nRun "contracts --help" for usage.`);
    return 2;
  }
  // A file named on the command line that is no contract of any kind is a mistake to say out loud, not "0 files checked".
  const unknown = [...collected.named].filter(([, kind]) => kind === 'none').map(([file]) => file);
  for (const file of unknown) {
    io.err(`contracts check: ${toPosix(path.relative(io.cwd, file) || file)} is neither a Brainfile board, task file or ledger nor a deployment contract, so it was not checked.`);
  }
  const files = collected.files.filter((file) => !unknown.includes(file));
  const results = checkFiles(files, { maxFileBytes: options.maxFileBytes }, collected.named);
  const checked = [...results.values()].filter((r) => r.analysis.kind !== 'none').length;
  const diagnostics = toCliDiagnostics(results, io.cwd);
  if (options.format === 'json') {
    io.out(JSON.stringify(diagnostics, null, 2));
  } else {
    for (const d of diagnostics) io.out(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
    io.out(summary(diagnostics, checked));
  }
  if (unknown.length) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

if (require.main === module) {
  void Promise.resolve(
    main(process.argv.slice(2), {
      cwd: process.cwd(),
      out: (text) => process.stdout.write(text + '\n'),
      err: (text) => process.stderr.write(text + '\n'),
    }),
  ).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`contracts: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
