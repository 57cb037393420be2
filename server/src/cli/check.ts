// `contracts check`: the engine's diagnostics for terminals and CI.
import path from 'node:path';
import picomatch from 'picomatch';
import { plural } from '../../../shared/text';
import { analyzeDocument, type AnalyzeOptions, type DocumentAnalysis } from '../engine/analyze';
import { BoardIndex } from '../engine/boards';
import { classifyDocument, dirName, toPosix } from '../engine/classify';
import type { EngineDiagnostic } from '../engine/diagnostics';
import { boardMemberPaths, classifyOptionsFor, contractFileCandidates, type FileAccess } from '../engine/files';
import { nodeFiles } from '../nodeFiles';
import { formatOption, parseArgs } from './args';
import { UsageError, type CliIo } from './command';

export const CHECK_USAGE = `Usage: contracts check [paths or globs...] [--format text|json] [--max-size-kb N]

Checks Brainfile boards (brainfile.md), Brainfile v2 task files (board/ and logs/
beside a board) and deployment contracts (.glassops/*.json, *.deployment.json).
Folders are searched; node_modules, .git and other tool folders are skipped.
With no path, checks ".".

Options:
  --format text|json   text (default): file:line:col severity code message
                       json: an array of {file, line, column, endLine, endColumn, severity, code, message}
  --max-size-kb N      skip files over N KB (default 5120)
  -h, --help           show this help
  -v, --version        show the version

Exit status: 0 no errors, 1 errors found, 2 bad usage.`;

export interface CheckOptions {
  paths: string[];
  format: 'text' | 'json';
  maxFileBytes?: number;
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
  const parsed = parseArgs(args, { values: ['format', 'max-size-kb'] });
  const options: CheckOptions = { paths: parsed.positional.length ? parsed.positional : ['.'], format: formatOption(parsed) };
  const raw = parsed.values.get('max-size-kb');
  if (raw !== undefined) {
    const kb = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || !(kb > 0)) throw new UsageError(`--max-size-kb must be a positive number, found "${raw}"`);
    options.maxFileBytes = Math.floor(kb * 1024);
  }
  return options;
}

const GLOB_CHARS = /[*?[\]{}!]/;

/** The files to check: named files as they are, folders and globs searched for contract files (the board model's walk). */
export function collectFiles(paths: string[], cwd: string, files: FileAccess = nodeFiles): string[] {
  const found = new Set<string>();
  const walk = (root: string, keep: (file: string) => boolean = () => true) => {
    for (const file of contractFileCandidates(root, files, { followLinks: true })) if (keep(file) && isContract(file, files)) found.add(file);
  };
  for (const given of paths) {
    const absolute = toPosix(path.resolve(cwd, given));
    const kind = files.stat(absolute)?.kind;
    if (kind === 'folder') walk(absolute);
    else if (kind !== undefined) found.add(absolute);
    else {
      if (!GLOB_CHARS.test(given)) throw new UsageError(`no such file or folder: ${given}`);
      const pattern = toPosix(given);
      const { base } = picomatch.scan(pattern);
      const root = toPosix(path.resolve(cwd, base || '.'));
      const matches = picomatch(toPosix(path.resolve(cwd, pattern)), { dot: true });
      const before = found.size;
      if (files.stat(root)?.kind === 'folder') walk(root, matches);
      if (found.size === before) throw new UsageError(`no files match ${given}`);
    }
  }
  return [...found].sort();
}

/** The walk yields board and task files by their path, and every JSON file: a JSON file counts by its path or a `$schema` in its first 4 KB. */
function isContract(file: string, files: FileAccess): boolean {
  if (!file.toLowerCase().endsWith('.json')) return true;
  const options = classifyOptionsFor(files);
  return classifyDocument(file, undefined, options) !== 'none' || classifyDocument(file, files.readText(file)?.slice(0, 4096), options) !== 'none';
}

function analyzeFile(file: string, options: AnalyzeOptions, files: FileAccess): DocumentAnalysis {
  const read = files.readText(file);
  if (read === undefined) throw new Error(`cannot read ${file}`);
  // Editors drop the BOM from the text they show; so do we, so columns match.
  const text = read.replace(/^\uFEFF/, '');
  return analyzeDocument(toPosix(file), text, { ...classifyOptionsFor(files), ...options });
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
 */
export function checkFiles(paths: string[], options: AnalyzeOptions, files: FileAccess = nodeFiles): CheckResult {
  const requested = new Map<string, DocumentAnalysis>();
  for (const file of paths) {
    const analysis = analyzeFile(file, options, files);
    requested.set(analysis.path, analysis);
  }
  const all = new Map(requested);
  const homes = new Set([...requested.values()].filter((a) => a.kind === 'task').map((a) => dirName(dirName(a.path))));
  for (const home of homes) {
    for (const member of boardMemberPaths(home, files)) if (!all.has(member)) all.set(member, analyzeFile(member, options, files));
  }
  const boards = new BoardIndex(all.values());
  const results: CheckResult['files'] = new Map();
  for (const analysis of requested.values()) results.set(analysis.path, { analysis, diagnostics: boards.diagnosticsFor(analysis) });
  return { files: results, boards };
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

function summary(diagnostics: CliDiagnostic[], checked: number): string {
  const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
  const others = count('information') + count('hint');
  const files = new Set(diagnostics.map((d) => d.file)).size;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(others, 'note')} in ${plural(files, 'file')} (${plural(checked, 'file')} checked)`;
}

/** `contracts check`. */
export function checkCommand(args: string[], io: CliIo): number {
  const options = parseCheckArgs(args);
  const results = checkFiles(collectFiles(options.paths, io.cwd), { maxFileBytes: options.maxFileBytes }).files;
  const checked = [...results.values()].filter((r) => r.analysis.kind !== 'none').length;
  const diagnostics = toCliDiagnostics(results, io.cwd);
  if (options.format === 'json') {
    io.out(JSON.stringify(diagnostics, null, 2));
  } else {
    for (const d of diagnostics) io.out(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
    io.out(summary(diagnostics, checked));
  }
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
