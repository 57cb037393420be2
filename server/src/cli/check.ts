// `contracts check`: the engine's diagnostics for terminals and CI. Every read
// goes through one SafeFiles (the repository may be hostile), which is the
// engine's FileAccess; which files form which board is the engine's board model.
import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { isInsideFolder } from '../../../shared/paths';
import { plural } from '../../../shared/text';
import { analyzeDocument, skippedAsTooLarge, type AnalyzeOptions, type DocumentAnalysis } from '../engine/analyze';
import { BoardIndex } from '../engine/boards';
import { BOARD_CONFIG_NAMES, classifyByContent, classifyDocument, dirName, projectFolderOf, toPosix, type DocumentKind } from '../engine/classify';
import type { EngineDiagnostic } from '../engine/diagnostics';
import { boardMemberPaths, classifyOptionsFor, mayBeContractFile, SKIPPED_FOLDERS } from '../engine/files';
import { LIMITS } from '../engine/limits';
import { escapePath, escapeText } from '../cliText';
import { SafeFiles } from '../safeFiles';
import { version } from '../../../package.json';
import { parseArgs } from './args';
import { toGithubAnnotations } from './githubAnnotations';
import { toSarif } from './sarif';
import { UsageError, type CliIo } from './command';
import { CheckPool, defaultJobs, parallelFrom } from './parallelCheck';

export const CHECK_USAGE = `Usage: contracts check [paths or globs...] [--format text|json|sarif|github] [--max-size-kb N] [--follow-links-outside] [--jobs N]

Checks Brainfile boards (brainfile.md, brainfile.*.md, *.bb.md), Brainfile v2 task
files and ledgers (board/, logs/ and logs/ledger.jsonl beside a board) and deployment
contracts (glassops-contract.json, *deployment-contract*.json, *.deployment.json, and
contracts inside .glassops/). Folders are searched; node_modules, .git and other
tool folders are skipped. A file named on the command line is checked whatever
its name, by its content. With no path, checks ".".

Options:
  --format FORMAT      text (default): file:line:col severity code message
                       json: an array of {file, line, column, endLine, endColumn, severity, code, message}
                       sarif: SARIF 2.1.0, for GitHub code scanning and other code hosts
                       github: GitHub Actions annotations (::error file=...,line=...::message)
  --max-size-kb N      skip files over N KB (default 5120), judged before reading
  --follow-links-outside
                       follow symbolic links that lead outside the folders named
                       (by default they are reported and not read)
  --jobs N             threads to check with, the main thread and N - 1
                       workers (default: one per core on folders big enough
                       to pay for the workers, 10,600 files on 2 cores,
                       7,100 on 4; else one); with --jobs N from 64 files
                       on, and the files per second and CPU time go to stderr
  -h, --help           show this help
  -v, --version        show the version

Only regular files are read: FIFOs, devices, sockets and files that cannot be
read get a warning line (on stderr) and a count, and the run goes on.
Exit status: 0 no errors, 1 errors found, 2 bad usage or could not check
everything (a file or folder could not be read, or a file named is neither a
Brainfile file nor a deployment contract).`;

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type CliFormat = (typeof FORMATS)[number];

export interface CheckOptions {
  paths: string[];
  format: CliFormat;
  maxFileBytes?: number;
  followLinksOutside?: boolean;
  /** Worker threads for the check (default: one per core on a big folder). */
  jobs?: number;
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

/** Parses `check`'s arguments; throws UsageError on anything it does not know. */
export function parseCheckArgs(args: string[]): CheckOptions {
  const parsed = parseArgs(args, { values: ['format', 'max-size-kb', 'jobs'], flags: ['follow-links-outside'] });
  const format = parsed.values.get('format') ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, found "${format}"`);
  const options: CheckOptions = { paths: parsed.positional.length ? parsed.positional : ['.'], format: format as CliFormat };
  const raw = parsed.values.get('max-size-kb');
  if (raw !== undefined) {
    const kb = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || !(kb > 0)) throw new UsageError(`--max-size-kb must be a positive number, found "${raw}"`);
    options.maxFileBytes = Math.floor(kb * 1024);
  }
  if (parsed.flags.has('follow-links-outside')) options.followLinksOutside = true;
  const jobs = parsed.values.get('jobs');
  if (jobs !== undefined) {
    if (!/^[1-9]\d*$/.test(jobs)) throw new UsageError(`--jobs must be a positive whole number, found "${jobs}"`);
    options.jobs = Number(jobs);
  }
  return options;
}

/** A SafeFiles for the folders of the files named, for callers that make none. */
function safeFor(files: string[], options: AnalyzeOptions = {}): SafeFiles {
  return new SafeFiles({ roots: [...new Set(files.map((file) => path.dirname(file)))], maxFileBytes: options.maxFileBytes ?? LIMITS.defaultMaxFileBytes });
}

/** Whether a file the walk found is a contract: board and task files by path, JSON by path or the `$schema` at its start. */
function isContract(file: string, safe: SafeFiles, texts: Map<string, string>): boolean {
  const classify = classifyOptionsFor(safe);
  if (!mayBeContractFile(file, classify)) return false;
  if (classifyDocument(file, undefined, classify) !== 'none') return true;
  // Too large to peek at, or unreadable (`safe` reports that): not known to be a contract.
  const read = safe.read(file);
  if (!('text' in read)) return false;
  texts.set(file, read.text);
  return classifyDocument(file, read.text.slice(0, 4096), classify) !== 'none';
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
 * kind its content shows; `onFound` hears the count as it grows (to start
 * workers while the walk goes on).
 */
export function collectFiles(
  paths: string[],
  cwd: string,
  safe = new SafeFiles({ roots: checkRoots(paths, cwd), maxFileBytes: LIMITS.defaultMaxFileBytes }),
  texts = new Map<string, string>(),
  named = new Map<string, DocumentKind>(),
  onFound: (count: number) => void = () => undefined,
): string[] {
  const files = new Set<string>();
  const add = (file: string) => {
    files.add(file);
    onFound(files.size);
  };
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    if (pathExists(absolute)) {
      if (isFolder(absolute)) safe.walk(absolute, (file) => isContract(file, safe, texts) && add(file), SKIPPED_FOLDERS);
      else {
        add(absolute);
        const kind = namedKind(absolute, safe, texts);
        if (kind) named.set(absolute, kind);
      }
      continue;
    }
    if (!GLOB_CHARS.test(given)) throw new UsageError(`no such file or folder: ${given}`);
    const pattern = toPosix(given);
    const { base } = picomatch.scan(pattern);
    const root = path.resolve(cwd, base || '.');
    const matches = picomatch(toPosix(path.resolve(cwd, pattern)), { dot: true });
    const before = files.size;
    if (isFolder(root)) safe.walk(root, (file) => matches(toPosix(file)) && isContract(file, safe, texts) && add(file), SKIPPED_FOLDERS);
    if (files.size === before && !safe.problems.some((p) => p.severity === 'warning')) throw new UsageError(`no files match ${given}`);
  }
  return [...files].sort();
}

/** A named file is what its path says, else what its content shows; undefined when it cannot be read (`safe` says why). */
function namedKind(file: string, safe: SafeFiles, texts: Map<string, string>): DocumentKind | undefined {
  const classify = classifyOptionsFor(safe);
  const byPath = classifyDocument(file, undefined, classify);
  if (byPath !== 'none') return byPath;
  const cached = texts.get(file);
  const read = cached !== undefined ? { text: cached } : safe.read(file);
  // Too large to read: still checked (it gets its file-too-large notice), as a board unless its name says JSON.
  if (!('text' in read)) return 'tooLarge' in read ? (file.toLowerCase().endsWith('.json') ? 'deployment' : 'board') : undefined;
  texts.set(file, read.text);
  return classifyByContent(file, read.text, classify);
}

/** A file's analysis, or undefined when it could not be read (`safe` records why). */
export function analyzeFile(file: string, options: AnalyzeOptions, safe = safeFor([file], options), texts?: Map<string, string>): DocumentAnalysis | undefined {
  const classify = { ...options, ...classifyOptionsFor(safe) };
  const cached = texts?.get(file);
  const read = cached !== undefined ? { text: cached } : safe.read(file);
  if ('tooLarge' in read) return skippedAsTooLarge(toPosix(file), read.tooLarge, classify);
  if (!('text' in read)) return undefined;
  // Editors drop the BOM from the text they show; so do we, so columns match.
  return analyzeDocument(toPosix(file), read.text.replace(/^\uFEFF/, ''), classify);
}

/**
 * The files of the v2 board at `home` its cross-file rules read. A board file
 * name that is not a regular file (a folder, a FIFO, a link out of the
 * folder) is read anyway, so `safe` reports it.
 */
export function boardMembers(home: string, safe: SafeFiles): string[] {
  for (const name of BOARD_CONFIG_NAMES) {
    const kind = safe.stat(`${home}/${name}`)?.kind;
    if (kind !== undefined && kind !== 'file') safe.read(`${home}/${name}`);
  }
  return boardMemberPaths(home, safe);
}

export interface CheckResult {
  /** Each requested file's analysis and findings (its own and its board's cross-file ones), by path. */
  files: Map<string, { analysis: DocumentAnalysis; diagnostics: EngineDiagnostic[] }>;
  /** The boards of the requested files and of every member their rules read. */
  boards: BoardIndex;
}

/**
 * Analyzes the files, then runs the board model's cross-file rules: every
 * member of a v2 board takes part, but only the requested files are reported.
 * Files that cannot be read are left out; `safe.problems` says which and why.
 */
export function checkFiles(
  paths: string[],
  options: AnalyzeOptions,
  safe = safeFor(paths, options),
  texts?: Map<string, string>,
  named: ReadonlyMap<string, DocumentKind> = new Map(),
): CheckResult {
  const requested = new Map<string, DocumentAnalysis>();
  for (const file of paths) {
    const kind = named.get(file);
    const analysis = analyzeFile(file, kind && kind !== 'none' ? { ...options, kind } : options, safe, texts);
    if (analysis) requested.set(analysis.path, analysis);
  }
  const all = new Map(requested);
  const homes = new Set([...requested.values()].filter((a) => a.kind === 'task' || a.kind === 'ledger').map((a) => dirName(dirName(a.path))));
  for (const home of homes) {
    for (const member of boardMembers(home, safe)) {
      if (all.has(member)) continue;
      const analysis = analyzeFile(member, options, safe);
      if (analysis) all.set(member, analysis);
    }
  }
  const boards = new BoardIndex(all.values());
  const files: CheckResult['files'] = new Map();
  for (const analysis of requested.values()) files.set(analysis.path, { analysis, diagnostics: boards.diagnosticsFor(analysis) });
  return { files, boards };
}

export function toCliDiagnostics(results: CheckResult['files'], cwd: string): CliDiagnostic[] {
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

function summary(diagnostics: CliDiagnostic[], checked: number, unreadable: number): string {
  const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
  const others = count('information') + count('hint');
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const notRead = unreadable ? `; ${plural(unreadable, 'file')} could not be read` : '';
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(others, 'note')} in ${plural(files, 'file')} (${plural(checked, 'file')} checked${notRead})`;
}

/** `contracts check`. */
export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const options = parseCheckArgs(args);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const texts = new Map<string, string>();
  const named = new Map<string, DocumentKind>();
  const safeOptions = { roots: checkRoots(options.paths, io.cwd), maxFileBytes: options.maxFileBytes ?? LIMITS.defaultMaxFileBytes, followOutside: options.followLinksOutside };
  const safe = new SafeFiles(safeOptions);
  const jobs = options.jobs ?? defaultJobs();
  const from = parallelFrom(jobs, options.jobs !== undefined);
  // The workers start loading as soon as the walk has found enough files for them, and load while it walks on.
  let pool: CheckPool | undefined;
  const onFound = (count: number) => {
    if (count >= from && !pool) pool = new CheckPool(jobs, safeOptions, options.maxFileBytes, io.cwd);
  };
  let found: string[];
  try {
    found = collectFiles(options.paths, io.cwd, safe, texts, named, onFound);
  } catch (error) {
    await pool?.close();
    throw error;
  }
  // A file named on the command line that is no contract of any kind is a mistake to say out loud, not "0 files checked".
  const unknown = new Set([...named].filter(([, kind]) => kind === 'none').map(([file]) => file));
  for (const file of unknown) {
    io.err(`contracts check: ${escapePath(toPosix(path.relative(io.cwd, file) || file))} is neither a Brainfile board, task file or ledger nor a deployment contract, so it was not checked.`);
  }
  const files = found.filter((file) => !unknown.has(file));
  if (pool && files.length < from) {
    await pool.close();
    pool = undefined;
  }
  let checked: number;
  let diagnostics: CliDiagnostic[];
  const problems = [...safe.problems];
  const threads = pool?.size ?? 1;
  if (pool) {
    const result = await pool.check(files, named);
    ({ checked, diagnostics } = result);
    // Once per path and reason, as one SafeFiles records them: a worker may meet a file the walk already could not read.
    const seen = new Set(problems.map((p) => `${p.path}\0${p.reason}`));
    for (const problem of result.problems) {
      const key = `${problem.path}\0${problem.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
    }
  } else {
    const results = checkFiles(files, { maxFileBytes: options.maxFileBytes }, safe, texts, named).files;
    checked = [...results.values()].filter((r) => r.analysis.kind !== 'none').length;
    diagnostics = toCliDiagnostics(results, io.cwd);
    problems.splice(0, problems.length, ...safe.problems);
  }
  const seconds = (performance.now() - started) / 1000;
  if (options.jobs !== undefined) {
    // CPU of every thread of the process: with the work divided, about what one thread spends.
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    io.err(`checked ${plural(files.length, 'file')} in ${seconds.toFixed(2)} s (${Math.round(files.length / Math.max(seconds, 0.001))} files/s, ${plural(threads, 'thread')}, ${cpuSeconds.toFixed(2)} s CPU)`);
  }
  // What could not be read: one line each on stderr (stdout stays JSON with --format json), and a count.
  // In path order, so workers finishing in any order print what one thread prints.
  const relative = (file: string) => escapePath(toPosix(path.relative(io.cwd, file) || file));
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const problem of problems) io.err(`${problem.severity}: ${relative(problem.path)}: ${escapeText(problem.reason)}`);
  const unreadable = problems.filter((p) => p.severity === 'warning').length;
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
  if (unreadable || unknown.size) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
