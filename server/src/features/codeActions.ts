import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import type { DiagnosticCode, DiagnosticData } from '../engine/diagnostics';
import { DIAGNOSTIC_SOURCE } from './convert';
import type { FeatureContext } from './featureContext';

/**
 * Quick fixes for the diagnostics the client sends back. Every fix is built
 * from the diagnostic's `code` and `data`, never from its message.
 */
export function provideCodeActions(analysis: DocumentAnalysis, _range: Range, diagnostics: Diagnostic[], context: FeatureContext): CodeAction[] {
  const uri = context.uriOf(analysis.path);
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== undefined && d.source !== DIAGNOSTIC_SOURCE) continue;
    for (const fix of fixesFor(analysis, d)) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: fix.preferred || undefined,
        edit: { changes: { [uri]: [fix.edit] } },
      });
    }
  }
  return actions;
}

interface Fix {
  title: string;
  edit: TextEdit;
  preferred: boolean;
}

function fixesFor(analysis: DocumentAnalysis, d: Diagnostic): Fix[] {
  const data = (d.data ?? {}) as DiagnosticData;
  const replace = (title: string, newText: string, preferred = true): Fix => ({ title, edit: { range: d.range, newText }, preferred });
  switch (d.code as DiagnosticCode) {
    case 'invalid-enum':
    case 'version-mismatch':
      return enumFixes(analysis, d, data);
    case 'coverage-met-mismatch':
      return data.replacement !== undefined ? [replace(`Set met to ${data.replacement}`, data.replacement)] : [];
    case 'test-count-mismatch':
      return data.replacement !== undefined ? [replace(`Set total to ${data.replacement}`, data.replacement)] : [];
    case 'missing-field': {
      if (data.insertText === undefined || data.insertOffset === undefined) return [];
      const at = analysis.lines.positionAt(data.insertOffset);
      const name = data.missingField ?? data.insertText.trim().split(/[:"\s]/).find(Boolean) ?? 'field';
      return [{ title: `Add missing field ${name}`, edit: { range: { start: at, end: at }, newText: data.insertText }, preferred: true }];
    }
    case 'unknown-field':
      if (!data.replacement) return [];
      // A JSON key's range includes its quotes; keep the key quoted as written.
      return [replace(`Rename to ${data.replacement}`, requote(writtenText(analysis, d.range), data.replacement))];
    case 'invalid-type':
      return data.replacement !== undefined ? [replace('Quote the value', data.replacement)] : [];
    case 'frontmatter-unopened': {
      if (data.insertText === undefined || data.insertOffset === undefined) return [];
      const at = analysis.lines.positionAt(data.insertOffset);
      return [{ title: 'Insert the opening --- line', edit: { range: { start: at, end: at }, newText: data.insertText }, preferred: true }];
    }
    default:
      return [];
  }
}

/** The suggested value first (preferred), then every other allowed value. */
function enumFixes(analysis: DocumentAnalysis, d: Diagnostic, data: DiagnosticData): Fix[] {
  const written = writtenText(analysis, d.range);
  const fixes: Fix[] = [];
  const suggested = data.replacement !== undefined ? unquote(data.replacement) : undefined;
  if (data.replacement !== undefined) fixes.push({ title: `Change to ${suggested}`, edit: { range: d.range, newText: data.replacement }, preferred: true });
  for (const value of data.allowed ?? []) {
    if (value === suggested) continue;
    fixes.push({ title: `Change to ${value}`, edit: { range: d.range, newText: requote(written, value) }, preferred: false });
  }
  return fixes;
}

function writtenText(analysis: DocumentAnalysis, range: Range): string {
  return analysis.text.slice(analysis.lines.offsetAt(range.start), analysis.lines.offsetAt(range.end));
}

/** `value` quoted the way `written` was: double, single or not at all. */
function requote(written: string, value: string): string {
  if (written.startsWith('"')) return JSON.stringify(value);
  if (written.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  return value;
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      return String(JSON.parse(text));
    } catch {
      return text.slice(1, -1);
    }
  }
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  return text;
}
