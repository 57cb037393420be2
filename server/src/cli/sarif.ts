import { DIAGNOSTIC_CODES, type DiagnosticCode, type Severity } from '../engine/diagnostics';

/** Where each rule's code is explained; the anchors are the codes. */
export const DIAGNOSTIC_DOCS_URL = 'https://github.com/contract-workbench/contract-workbench/blob/main/docs/diagnostic-codes.md';
const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** A finding as the CLI reports it: 1-based lines and UTF-16 columns, end column exclusive. */
export interface ReportedDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * SARIF 2.1.0 for code hosts (GitHub code scanning and others): one run, a
 * rule per diagnostic code with its description and a help link, a result per
 * finding with its exact region. Paths stay relative to `%SRCROOT%`, the
 * folder the check ran in, as GitHub expects.
 */
export function toSarif(diagnostics: readonly ReportedDiagnostic[], tool: { version: string; srcRoot: string }): object {
  const codes = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];
  const ruleIndex = new Map<string, number>(codes.map((code, i) => [code, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'contracts',
            fullName: 'Contract Workbench (contracts check)',
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: 'https://github.com/contract-workbench/contract-workbench',
            rules: codes.map((code) => ({
              id: code,
              name: ruleName(code),
              shortDescription: { text: plain(DIAGNOSTIC_CODES[code]) },
              fullDescription: { text: plain(DIAGNOSTIC_CODES[code]) },
              helpUri: `${DIAGNOSTIC_DOCS_URL}#${code}`,
              help: { text: `${plain(DIAGNOSTIC_CODES[code])} See ${DIAGNOSTIC_DOCS_URL}#${code}`, markdown: `${DIAGNOSTIC_CODES[code]} [Diagnostic codes](${DIAGNOSTIC_DOCS_URL}#${code})` },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(tool.srcRoot) } },
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((d) => {
          const result: Record<string, unknown> = {
            ruleId: d.code,
            level: LEVELS[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: encodeURI(d.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
                },
              },
            ],
          };
          const index = ruleIndex.get(d.code);
          if (index !== undefined) result.ruleIndex = index;
          return result;
        }),
      },
    ],
  };
}

/** `unknown-task-ref` → `UnknownTaskRef`: SARIF's rule names are identifiers. */
function ruleName(code: string): string {
  return code.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

/** Descriptions without the Markdown backticks, for plain-text fields. */
function plain(text: string): string {
  return text.replace(/`/g, '');
}

function directoryUri(folder: string): string {
  const posix = folder.replace(/\\/g, '/');
  const withSlash = posix.endsWith('/') ? posix : posix + '/';
  return 'file://' + (withSlash.startsWith('/') ? '' : '/') + encodeURI(withSlash);
}
