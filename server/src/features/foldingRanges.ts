import type { FoldingRange } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { owningProperty, type DataNode } from '../engine/dataNode';
import { scanFences, scanFrontMatter } from '../engine/regions';
import type { LineIndex } from '../engine/text';

/**
 * Folding for a board or task file: the front matter as a whole, each
 * mapping and list of its structure that spans lines (columns, tasks,
 * contracts, long lists), from the line of its key, and each fenced block of
 * the Markdown body with its own structure.
 */
export function provideFoldingRanges(analysis: DocumentAnalysis, rangeLimit = Number.MAX_SAFE_INTEGER): FoldingRange[] {
  if (analysis.kind !== 'board' && analysis.kind !== 'task') return [];
  const { lines, text } = analysis;
  const byStart = new Map<number, number>();
  const add = (startLine: number, endLine: number) => {
    if (endLine > startLine && endLine > (byStart.get(startLine) ?? -1)) byStart.set(startLine, endLine);
  };
  const scan = scanFrontMatter(text);
  if (scan.region) add(lines.positionAt(scan.region.open.start).line, lines.positionAt(scan.region.content.end).line);
  for (const fence of scanFences(text, scan.bodyStart)) {
    add(lines.positionAt(fence.open.start).line, fence.close ? lines.positionAt(fence.close.start).line : lastLine(lines, fence.content.end));
  }
  for (const region of analysis.regions) if (region.root) addStructure(region.root, lines, add);
  return [...byStart]
    .sort((a, b) => a[0] - b[0])
    .slice(0, rangeLimit)
    .map(([startLine, endLine]) => ({ startLine, endLine }));
}

/** Mappings and lists over several lines, folded from their key's line (or their `-` line in a list). */
function addStructure(root: DataNode, lines: LineIndex, add: (startLine: number, endLine: number) => void): void {
  const stack: DataNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== 'object' && node.type !== 'array') continue;
    // The root spans its whole region, which folds already.
    if (node.parent) {
      const key = owningProperty(node);
      add(lines.positionAt(key ? key.keyRange.start : node.range.start).line, lastLine(lines, node.range.end));
    }
    if (node.type === 'object') for (const p of node.properties) if (!p.merged && p.value.parent === node) stack.push(p.value);
    if (node.type === 'array') for (const item of node.items) if (item.parent === node) stack.push(item);
  }
}

/** The line holding the last character before `end` (a range ending at a line start ends on the line before). */
function lastLine(lines: LineIndex, end: number): number {
  const position = lines.positionAt(end);
  return position.character === 0 && position.line > 0 ? position.line - 1 : position.line;
}
