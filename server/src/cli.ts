#!/usr/bin/env node
// `contracts`: the engine's diagnostics for terminals and CI (`check`), and the
// contract lifecycle for workers and agents (`list`, `show`, the moves, `validate`).
import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { version } from '../../package.json';
import { analyzeDocument, checkV2Board, skippedAsTooLarge, type AnalyzeOptions, type DocumentAnalysis } from './engine/analyze';
import { isInsideFolder } from '../../shared/paths';
import { BOARD_FILE_NAMES, classifyByContent, classifyDocument, dirName, isDotBrainfileTaskFolder, isTaskFolderName, projectFolderOf, toPosix, type DocumentKind } from './engine/classify';
import type { EngineDiagnostic } from './engine/diagnostics';
import { LIMITS } from './engine/limits';
import { escapePath, escapeText } from './cliText';
import { SafeFiles } from './safeFiles';
import { AGENT_COMMANDS, runAgentCommand } from './cli/commands';
import { toGithubAnnotations } from './cli/githubAnnotations';
import { toSarif } from './cli/sarif';

const USAGE = `Usage: contracts check [paths or globs...] [--format text|json|sarif|github] [--max-size-kb N] [--follow-links-outside]

Checks Brainfile boards (brainfile.md, brainfile.*.md, *.bb.md), Brainfile v2 task
files and ledgers (board/, logs/ and logs/ledger.jsonl beside a board) and deployment
contracts (glassops-contract.json, *deployment-contract*.json, *.deployment.json, and
contracts inside .glassops/). Folders are searched; node_modules and .git are skipped.
A file named on the command line is checked whatever its name, by its content.
With no path, checks ".".

Options:
  --format FORMAT      text (default): file:line:col severity code message
                       json: an array of {file, line, column, endLine, endColumn, severity, code, message}
                       sarif: SARIF 2.1.0, for GitHub code scanning and other code hosts
                       github: GitHub Actions annotations (::error file=...,line=...::message)
  --max-size-kb N      skip files over N KB (default 5120), judged before reading
  --follow-links-outside
                       follow symbolic links that lead outside the folders named
                       (by default they are reported and not read)
  -h, --help           show this help
  -v, --version        show the version

Only regular files are read: FIFOs, devices, sockets and files that cannot be
read get a warning line (on stderr) and a count, and the run goes on.
Exit status: 0 no errors, 1 errors found, 2 bad usage or could not check
everything (a file or folder could not be read, or a file named is neither a
Brainfile file nor a deployment contract).

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

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type CliFormat = (typeof FORMATS)[number];

export interface CliOptions {
  paths: string[];
  format: CliFormat;
  maxFileBytes?: number;
  followLinksOutside?: boolean;
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
      if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, found "${format}"`);
      options.format = format as CliFormat;
    } else if (flag === '--max-size-kb') {
      const raw = value();
      const kb = Number(raw);
      if (!/^\d+(\.\d+)?$/.test(raw) || !(kb > 0)) throw new UsageError(`--max-size-kb must be a positive number, found "${raw}"`);
      options.maxFileBytes = Math.floor(kb * 1024);
    } else if (flag === '--follow-links-outside') {
      options.followLinksOutside = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      options.paths.push(arg);
    }
  }
  if (!options.paths.length) options.paths.push('.');
  return options;
}

/**
 * Every read of `check` goes through one SafeFiles (see safeFiles.ts): the
 * repository may be hostile. Callers that make none get one for the folders
 * of the files they name.
 */
function safeFor(files: string[], options: AnalyzeOptions = {}): SafeFiles {
  return new SafeFiles({ roots: [...new Set(files.map((file) => path.dirname(file)))], maxFileBytes: options.maxFileBytes ?? LIMITS.defaultMaxFileBytes });
}

/** A v2 task folder is `board/` or `logs/` beside a board file (or inside `.brainfile/`). */
export function isTaskFolder(folder: string, safe?: SafeFiles): boolean {
  if (isDotBrainfileTaskFolder(folder)) return true;
  const files = safe ?? safeFor([path.join(folder, 'x')]);
  return isTaskFolderName(folder) && BOARD_FILE_NAMES.some((name) => files.stat(path.join(dirName(folder), name))?.kind === 'file');
}

/** What a file is, by its path, or for JSON by the `$schema` at its start (read through `safe`). */
function kindOf(file: string, safe: SafeFiles, texts: Map<string, string>): DocumentKind {
  const name = file.toLowerCase();
  if (!name.endsWith('.md') && !name.endsWith('.json') && !name.endsWith('.jsonl')) return 'none';
  const classify = { isTaskFolder: (folder: string) => isTaskFolder(folder, safe) };
  const byPath = classifyDocument(file, undefined, classify);
  if (byPath !== 'none' || !name.endsWith('.json')) return byPath;
  // Too large to peek at, or unreadable (`safe` reports that): not known to be a contract.
  const read = safe.read(file);
  if (!('text' in read)) return 'none';
  texts.set(file, read.text);
  return classifyDocument(file, read.text.slice(0, 4096), classify);
}

const GLOB_CHARS = /[*?[\]{}!]/;

/**
 * The folders a check may read in: each folder named, a glob's base, and for
 * a named file the working folder holding it (else its project folder, where
 * its board file lives).
 */
export function checkRoots(paths: string[], cwd: string): string[] {
  return paths.map((given) => {
    const absolute = path.resolve(cwd, given);
    if (isFolder(absolute)) return absolute;
    if (pathExists(absolute)) return isInsideFolder(absolute, cwd) ? cwd : projectFolderOf(absolute, classifyDocument(absolute, undefined));
    return path.resolve(cwd, picomatch.scan(toPosix(given)).base || '.');
  });
}

function pathExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** A folder, or a link to one: a path named on the command line is followed, since its user named it. */
function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The files to check: named files as they are, folders and globs searched for
 * contract files. `named` gets each file named on the command line with the
 * kind its content shows.
 */
export function collectFiles(
  paths: string[],
  cwd: string,
  safe = new SafeFiles({ roots: checkRoots(paths, cwd), maxFileBytes: LIMITS.defaultMaxFileBytes }),
  texts = new Map<string, string>(),
  named = new Map<string, DocumentKind>(),
): string[] {
  const files = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    if (pathExists(absolute)) {
      if (isFolder(absolute)) safe.walk(absolute, (file) => kindOf(file, safe, texts) !== 'none' && files.add(file), SKIPPED_FOLDERS);
      else {
        files.add(absolute);
        named.set(absolute, namedKind(absolute, safe, texts));
      }
      continue;
    }
    if (!GLOB_CHARS.test(given)) throw new UsageError(`no such file or folder: ${given}`);
    const pattern = toPosix(given);
    const { base } = picomatch.scan(pattern);
    const root = path.resolve(cwd, base || '.');
    const matches = picomatch(toPosix(path.resolve(cwd, pattern)), { dot: true });
    const before = files.size;
    if (isFolder(root)) safe.walk(root, (file) => matches(toPosix(file)) && kindOf(file, safe, texts) !== 'none' && files.add(file), SKIPPED_FOLDERS);
    if (files.size === before && !safe.problems.some((p) => p.severity === 'warning')) throw new UsageError(`no files match ${given}`);
  }
  return [...files].sort();
}

/** A named file is what its path says, else what its content shows (unreadable: not known, `safe` says why). */
function namedKind(file: string, safe: SafeFiles, texts: Map<string, string>): DocumentKind {
  const byPath = kindOf(file, safe, texts);
  if (byPath !== 'none') return byPath;
  const cached = texts.get(file);
  const read = cached !== undefined ? { text: cached } : safe.read(file);
  if (!('text' in read)) return 'tooLarge' in read ? 'board' : 'none';
  texts.set(file, read.text);
  return classifyByContent(file, read.text, { isTaskFolder: (folder: string) => isTaskFolder(folder, safe) });
}

/** A file's analysis, or undefined when it could not be read (`safe` records why). */
export function analyzeFile(file: string, options: AnalyzeOptions, safe = safeFor([file], options), texts?: Map<string, string>): DocumentAnalysis | undefined {
  const classify = { ...options, isTaskFolder: (folder: string) => isTaskFolder(folder, safe) };
  const cached = texts?.get(file);
  const read = cached !== undefined ? { text: cached } : safe.read(file);
  if ('tooLarge' in read) return skippedAsTooLarge(toPosix(file), read.tooLarge, classify);
  if (!('text' in read)) return undefined;
  // Editors drop the BOM from the text they show; so do we, so columns match.
  return analyzeDocument(toPosix(file), read.text.replace(/^\uFEFF/, ''), classify);
}

/**
 * The board file and task files of the v2 board at `boardHome`. A board file
 * name that is not a regular file inside (a folder, a FIFO, a link to a
 * device or out of the folder) is read anyway, through `safe`, so it is reported.
 */
function boardMembers(boardHome: string, safe: SafeFiles): string[] {
  const members: string[] = [];
  for (const name of BOARD_FILE_NAMES) {
    const file = path.join(boardHome, name);
    const info = safe.stat(file);
    if (info?.kind === 'file') members.push(file);
    else if (info) safe.read(file);
  }
  for (const folder of ['board', 'logs']) {
    const full = path.join(boardHome, folder);
    if (safe.stat(full)?.kind !== 'folder') continue;
    for (const entry of safe.list(full) ?? []) {
      const file = path.join(full, entry.name);
      const member = entry.name.endsWith('.md') || (folder === 'logs' && entry.name === 'ledger.jsonl');
      if (member && safe.stat(file)?.kind === 'file') members.push(file);
    }
  }
  return members;
}

/**
 * Analyzes the files, then runs the v2 cross-file rules per board: every task
 * file of the board takes part, but only the requested files are reported.
 * Files that cannot be read are left out; `safe.problems` says which and why.
 */
export function checkFiles(
  files: string[],
  options: AnalyzeOptions,
  safe = safeFor(files, options),
  texts?: Map<string, string>,
  named: ReadonlyMap<string, DocumentKind> = new Map(),
): Map<string, { analysis: DocumentAnalysis; diagnostics: EngineDiagnostic[] }> {
  const results = new Map<string, { analysis: DocumentAnalysis; diagnostics: EngineDiagnostic[] }>();
  for (const file of files) {
    const kind = named.get(file);
    const analysis = analyzeFile(file, kind && kind !== 'none' ? { ...options, kind } : options, safe, texts);
    if (analysis) results.set(analysis.path, { analysis, diagnostics: [...analysis.diagnostics] });
  }
  const boardHomes = new Set([...results.values()].filter((r) => r.analysis.kind === 'task').map((r) => dirName(dirName(r.analysis.path))));
  for (const home of boardHomes) {
    const analyses = boardMembers(home, safe).flatMap((file) => results.get(toPosix(file))?.analysis ?? analyzeFile(file, options, safe) ?? []);
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

function summary(diagnostics: CliDiagnostic[], checked: number, unreadable: number): string {
  const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
  const others = count('information') + count('hint');
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const notRead = unreadable ? `; ${plural(unreadable, 'file')} could not be read` : '';
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(others, 'note')} in ${plural(files, 'file')} (${plural(checked, 'file')} checked${notRead})`;
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
  let files: string[];
  let safe: SafeFiles;
  const texts = new Map<string, string>();
  const named = new Map<string, DocumentKind>();
  try {
    options = parseCheckArgs(rest);
    const maxFileBytes = options.maxFileBytes ?? LIMITS.defaultMaxFileBytes;
    safe = new SafeFiles({ roots: checkRoots(options.paths, io.cwd), maxFileBytes, followOutside: options.followLinksOutside });
    files = collectFiles(options.paths, io.cwd, safe, texts, named);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`contracts check: ${escapeText(error.message)}\nRun "contracts --help" for usage.`);
    return 2;
  }
  // A file named on the command line that is no contract of any kind is a mistake to say out loud, not "0 files checked".
  const unknown = [...named].filter(([, kind]) => kind === 'none').map(([file]) => file);
  for (const file of unknown) {
    io.err(`contracts check: ${escapePath(toPosix(path.relative(io.cwd, file) || file))} is neither a Brainfile board, task file or ledger nor a deployment contract, so it was not checked.`);
  }
  const results = checkFiles(
    files.filter((file) => !unknown.includes(file)),
    { maxFileBytes: options.maxFileBytes },
    safe,
    texts,
    named,
  );
  const checked = [...results.values()].filter((r) => r.analysis.kind !== 'none').length;
  const diagnostics = toCliDiagnostics(results, io.cwd);
  // What could not be read: one line each on stderr (stdout stays JSON with --format json), and a count.
  const relative = (file: string) => escapePath(toPosix(path.relative(io.cwd, file) || file));
  for (const problem of safe.problems) io.err(`${problem.severity}: ${relative(problem.path)}: ${escapeText(problem.reason)}`);
  const unreadable = safe.problems.filter((p) => p.severity === 'warning').length;
  if (options.format === 'json') {
    io.out(JSON.stringify(diagnostics, null, 2));
  } else if (options.format === 'sarif') {
    io.out(JSON.stringify(toSarif(diagnostics, { version, srcRoot: io.cwd }), null, 2));
  } else if (options.format === 'github') {
    for (const line of toGithubAnnotations(diagnostics)) io.out(line);
  } else {
    // File names and messages are someone else's text: escaped, so no line can forge a CI command.
    for (const d of diagnostics) io.out(`${escapePath(d.file)}:${d.line}:${d.column} ${d.severity} ${d.code} ${escapeText(d.message)}`);
    io.out(summary(diagnostics, checked, unreadable));
  }
  if (unreadable || unknown.length) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

/**
 * A reader that stops early (`contracts check . | head`) closes the pipe: the
 * rest of the output has nowhere to go, so it is dropped without a stack trace,
 * and the command still ends with its own exit status.
 */
function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
}

if (require.main === module) {
  process.stdout.on('error', ignoreClosedPipe);
  process.stderr.on('error', ignoreClosedPipe);
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
