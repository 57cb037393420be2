import type { Severity } from '../engine/diagnostics';
import type { ReportedDiagnostic } from './sarif';

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/**
 * GitHub Actions workflow commands, one per finding
 * (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), which
 * the runner turns into annotations on the pull request's lines.
 */
export function toGithubAnnotations(diagnostics: readonly ReportedDiagnostic[]): string[] {
  return diagnostics.map((d) => {
    const properties = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `endLine=${d.endLine}`, `endColumn=${d.endColumn}`, `title=${escapeProperty(`contracts ${d.code}`)}`];
    return `::${COMMANDS[d.severity]} ${properties.join(',')}::${escapeData(d.message)}`;
  });
}

/** The runner's escaping for a command's message: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also escape `:` and `,`, which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
