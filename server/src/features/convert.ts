import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Range } from 'vscode-languageserver';
import type { EngineDiagnostic } from '../engine/diagnostics';
import type { LineIndex, OffsetRange } from '../engine/text';

export const DIAGNOSTIC_SOURCE = 'contracts';

export function toRange(lines: LineIndex, range: OffsetRange): Range {
  return { start: lines.positionAt(range.start), end: lines.positionAt(range.end) };
}

const SEVERITIES = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

export function toLspDiagnostic(lines: LineIndex, d: EngineDiagnostic): Diagnostic {
  const result: Diagnostic = {
    range: toRange(lines, d.range),
    severity: SEVERITIES[d.severity],
    code: d.code,
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
  };
  if (d.data) result.data = d.data;
  if (d.tags?.includes('deprecated')) result.tags = [DiagnosticTag.Deprecated];
  return result;
}
