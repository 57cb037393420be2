import type { OffsetRange } from './text';

/**
 * Every diagnostic code the engine emits. The codes are stable: quick fixes,
 * tests and users' suppressions depend on them, so never rename one.
 */
export const DIAGNOSTIC_CODES = {
  'yaml-syntax': 'The YAML cannot be parsed.',
  'json-syntax': 'The JSON cannot be parsed.',
  'frontmatter-unclosed': 'The front matter opens with `---` but never closes.',
  'frontmatter-unopened': 'The file starts with YAML keys and a lone `---` closes them, but the opening `---` is missing.',
  'invalid-type': 'A value has the wrong type (for example a list where an object belongs).',
  'invalid-enum': 'A value is not one of the allowed values.',
  'missing-field': 'A required field is missing.',
  'unknown-field': 'A key looks like a typo of a known key.',
  'invalid-format': 'A string does not have the expected format (date-time, date, id pattern).',
  'out-of-range': 'A number is outside its allowed range.',
  'empty-value': 'A string or list that must not be empty is empty.',
  'duplicate-key': 'A key appears twice in one object.',
  'duplicate-id': 'Two tasks share one id.',
  'unknown-task-ref': 'A `blockedBy`, `dependsOn` or `parentId` entry names a task that does not exist in the board.',
  'dependency-cycle': 'A chain of `blockedBy`/`dependsOn` leads back to the task it starts from.',
  'unknown-column': 'A v2 task names a column that its board does not declare (an error only on a `strict: true` board).',
  'duplicate-column': 'Two columns of a board share one id.',
  'status-column-mismatch': 'The contract status does not fit the column the task sits in.',
  'deprecated-field': 'A field that Brainfile v2 deprecates.',
  'version-mismatch': 'A contract status that the published schema of this Brainfile version does not list (core accepts it).',
  'coverage-met-mismatch': '`quality.coverage.met` disagrees with `actual >= required`.',
  'test-count-mismatch': '`passed + failed` differs from `total`.',
  'status-quality-conflict': 'A deployment marked Succeeded has failed tests or unmet coverage (a note: teams may accept that).',
  'file-too-large': 'The file is over the size limit and is not checked.',
  'binary-content': 'The file holds binary bytes and is not checked.',
  'nesting-too-deep': 'The document nests deeper than the engine checks.',
  'alias-limit': 'YAML aliases expand to more nodes than the engine checks.',
  'schema-violation': 'Any other JSON Schema rule.',
  'too-many-findings': 'The file has more findings than are shown (`contracts.maxDiagnostics`).',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Structured data a quick fix is built from. Never parse the message. */
export interface DiagnosticData {
  /** The replacement text for the diagnostic's range, when one is obvious. */
  replacement?: string;
  /** The allowed values, for enums. */
  allowed?: string[];
  /** The missing field's name and a placeholder line to insert. */
  missingField?: string;
  /** Every missing field when one object lacks several; `insertText` then adds them all. */
  missingFields?: string[];
  insertText?: string;
  insertOffset?: number;
}

export interface EngineDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  range: OffsetRange;
  data?: DiagnosticData;
  tags?: Array<'deprecated' | 'unnecessary'>;
}

export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  range: OffsetRange,
  message: string,
  data?: DiagnosticData,
): EngineDiagnostic {
  return data ? { code, severity, range, message, data } : { code, severity, range, message };
}

/** One wording for YAML and JSON alike. */
export function duplicateKeyMessage(key: string): string {
  return `Duplicate key "${key}": it already appears earlier in this object, and this later value would silently win. Expected each key once.`;
}

/** Sorts by position then code, and drops exact repeats, so output is stable. */
export function normalizeDiagnostics(list: EngineDiagnostic[]): EngineDiagnostic[] {
  const sorted = [...list].sort(
    (a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
  );
  const out: EngineDiagnostic[] = [];
  for (const d of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.range.start === d.range.start && prev.range.end === d.range.end && prev.code === d.code) continue;
    out.push(d);
  }
  return out;
}

/** Default of `contracts.maxDiagnostics`: more findings than this help nobody and cost every keystroke. */
export const DEFAULT_MAX_DIAGNOSTICS = 1000;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * At most `max` findings of one file, the most severe first (then by
 * position), and one information finding, where the first left-out finding
 * sits, saying how many more there are.
 */
export function capDiagnostics(list: EngineDiagnostic[], max = DEFAULT_MAX_DIAGNOSTICS): EngineDiagnostic[] {
  if (list.length <= max) return list;
  // By severity, then position: one pass into severity buckets over the list in position order (an analysis's findings
  // already are, `normalizeDiagnostics`), the same order as a stable sort on both, without sorting 40,000 findings.
  const inOrder = list.every((d, i) => i === 0 || list[i - 1].range.start <= d.range.start) ? list : [...list].sort((a, b) => a.range.start - b.range.start);
  const buckets: EngineDiagnostic[][] = [[], [], [], []];
  for (const d of inOrder) buckets[SEVERITY_RANK[d.severity]].push(d);
  const ranked = buckets.flat();
  const kept = ranked.slice(0, max).sort((a, b) => a.range.start - b.range.start);
  const more = list.length - max;
  const notice = diagnostic(
    'too-many-findings',
    'information',
    ranked[max].range,
    `${more.toLocaleString('en-US')} more finding${more === 1 ? '' : 's'} in this file ${more === 1 ? 'is' : 'are'} not shown: at most ${max.toLocaleString('en-US')} are (setting contracts.maxDiagnostics). Fix these first, or raise the setting.`,
  );
  return [...kept, notice];
}
