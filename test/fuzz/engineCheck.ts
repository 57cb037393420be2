import type { DocumentSymbol, Range } from 'vscode-languageserver';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import { provideCodeActions } from '../../server/src/features/codeActions';
import { provideCodeLenses } from '../../server/src/features/codeLens';
import { provideCompletions } from '../../server/src/features/completion';
import { toLspDiagnostic } from '../../server/src/features/convert';
import { provideDefinition } from '../../server/src/features/definition';
import { provideDocumentLinks } from '../../server/src/features/documentLinks';
import { provideDocumentSymbols } from '../../server/src/features/documentSymbols';
import { provideHover } from '../../server/src/features/hover';
import { FixtureWorkspace } from '../unit/helpers';
import { describeError, lspRangeProblem, offsetRangeProblem, rangeContains, type Failure } from './checks';

/** A document to check, by absolute posix path. */
export interface FuzzDocument {
  path: string;
  text: string;
}

/**
 * The in-memory workspace features run against: every seed document, so v2
 * task files see their board and `blockedBy` sees the other tasks. The case
 * under test takes its seed's place for the duration of one check.
 */
export class EngineWorkspace extends FixtureWorkspace {
  withDocument<T>(analysis: DocumentAnalysis, work: () => T): T {
    const previous = this.analyses.get(analysis.path);
    this.analyses.set(analysis.path, analysis);
    try {
      return work();
    } finally {
      if (previous) this.analyses.set(analysis.path, previous);
      else this.analyses.delete(analysis.path);
    }
  }
}

/** Offsets to probe: the given ones, or every offset of a short text (for shrinking and replays). */
export function everyOffset(text: string, limit = 400): number[] {
  const count = Math.min(text.length + 1, limit);
  return Array.from({ length: count }, (_, i) => Math.round((i * text.length) / Math.max(1, count - 1)));
}

/**
 * Runs the engine and every feature module on one document, the way the
 * server does, and returns the first fault: an exception, a range outside the
 * document, or work slower than `budgetMs`.
 */
export function checkEngine(document: FuzzDocument, probes: number[], workspace: EngineWorkspace, budgetMs = 2000): Failure | undefined {
  const started = performance.now();
  let step = 'analyzeDocument';
  try {
    const analysis = analyzeDocument(document.path, document.text);
    const problem = workspace.withDocument(analysis, () => {
      const diagnostics = [...analysis.diagnostics, ...(analysis.kind === 'task' ? workspace.crossFileDiagnostics(analysis.path) : [])];
      for (const d of diagnostics) {
        const bad = offsetRangeProblem(d, document.text.length);
        if (bad) return { kind: 'bad-range', where: 'engine diagnostics', message: bad } satisfies Failure;
      }
      const lines = analysis.lines;
      const rangeFault = (range: Range | undefined, what: string): Failure | undefined => {
        const bad = lspRangeProblem(range, lines, what);
        return bad ? { kind: 'bad-range', where: `engine ${what}`, message: bad } : undefined;
      };
      const lsp = diagnostics.map((d) => toLspDiagnostic(lines, d));
      for (const d of lsp) {
        // Offsets inside the text can still end past a line's last column (on the CR of a CRLF).
        const bad = rangeFault(d.range, `diagnostic ${String(d.code)}`);
        if (bad) return { ...bad, where: 'engine diagnostics' };
      }
      // Features answer only for documents the server handles (as `analysisOf` does).
      if (analysis.kind === 'none' || analysis.skipped) return undefined;
      step = 'documentSymbols';
      for (const symbol of flatten(provideDocumentSymbols(analysis))) {
        const bad = rangeFault(symbol.range, 'documentSymbols') ?? rangeFault(symbol.selectionRange, 'documentSymbols');
        if (bad) return bad;
        if (!rangeContains(symbol.range, symbol.selectionRange)) {
          return { kind: 'bad-range', where: 'engine documentSymbols', message: `selectionRange of "${symbol.name}" is not inside its range` } satisfies Failure;
        }
      }
      step = 'codeLens';
      for (const lens of provideCodeLenses(analysis, workspace, 1)) {
        const bad = rangeFault(lens.range, 'codeLens');
        if (bad) return bad;
      }
      step = 'documentLinks';
      for (const link of provideDocumentLinks(analysis, workspace)) {
        const bad = rangeFault(link.range, 'documentLinks');
        if (bad) return bad;
      }
      step = 'codeActions';
      const whole = { start: lines.positionAt(0), end: lines.positionAt(document.text.length) };
      const uri = workspace.uriOf(analysis.path);
      for (const action of provideCodeActions(analysis, whole, lsp, workspace)) {
        for (const edit of action.edit?.changes?.[uri] ?? []) {
          const bad = rangeFault(edit.range, 'codeActions');
          if (bad) return bad;
        }
      }
      for (const offset of probes) {
        const position = lines.positionAt(offset);
        step = `completion at ${position.line}:${position.character}`;
        provideCompletions(analysis, position, workspace);
        step = `hover at ${position.line}:${position.character}`;
        const hover = provideHover(analysis, position, workspace);
        if (hover?.range) {
          const bad = rangeFault(hover.range, 'hover');
          if (bad) return bad;
        }
        step = `definition at ${position.line}:${position.character}`;
        provideDefinition(analysis, position, workspace);
      }
      return undefined;
    });
    if (problem) return problem;
  } catch (error) {
    return { kind: 'exception', where: `engine ${step.replace(/ at .*/, '')}`, message: `${describeError(error)} during ${step}` };
  }
  const elapsed = performance.now() - started;
  if (elapsed > budgetMs) return { kind: 'timeout', where: 'engine', message: `analysis and features took ${Math.round(elapsed)} ms (budget ${budgetMs} ms)` };
  return undefined;
}

function flatten(symbols: DocumentSymbol[]): DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children ?? [])]);
}
