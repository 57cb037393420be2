import type { Position, SelectionRange } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { innermostNodeAt, owningProperty, type DataNode } from '../engine/dataNode';
import { rangeContains, type OffsetRange } from '../engine/text';
import { toRange } from './convert';

/**
 * Expand Selection: from a value (inside its quotes, then with them) to its
 * `key: value`, then to each enclosing mapping and list with its key (the
 * contract, the task, the column's task list, the column, ...), then the
 * whole front matter or fenced block.
 */
export function provideSelectionRanges(analysis: DocumentAnalysis, positions: Position[]): SelectionRange[] {
  return positions.map((position) => {
    const offset = analysis.lines.offsetAt(position);
    const ranges = growingRanges(analysis, offset);
    let parent: SelectionRange | undefined;
    for (const range of ranges.reverse()) parent = { range: toRange(analysis.lines, range), parent };
    return parent ?? { range: { start: position, end: position } };
  });
}

function growingRanges(analysis: DocumentAnalysis, offset: number): OffsetRange[] {
  const region = analysis.regions.find((r) => r.root && rangeContains(r.region.content, offset));
  if (!region) return [];
  const out: OffsetRange[] = [];
  const push = (range: OffsetRange) => {
    const last = out[out.length - 1];
    if (!last || (range.start <= last.start && range.end >= last.end && (range.start < last.start || range.end > last.end))) out.push(range);
  };
  let node: DataNode | undefined = innermostNodeAt(region.root, offset);
  if (node?.type === 'object') {
    // On a key: the key, then its whole property.
    const property = node.properties.find((p) => !p.merged && rangeContains(p.keyRange, offset));
    if (property) {
      push(property.keyRange);
      push({ start: property.keyRange.start, end: Math.max(property.keyRange.end, property.value.range.end) });
    }
  } else if (node && node.type !== 'array') {
    const { start, end } = node.range;
    const quote = analysis.text[start];
    if ((quote === '"' || quote === "'") && end - start >= 2 && analysis.text[end - 1] === quote) push({ start: start + 1, end: end - 1 });
  }
  for (; node; node = node.parent) {
    push(node.range);
    const key = owningProperty(node);
    if (key) push({ start: key.keyRange.start, end: Math.max(key.keyRange.end, node.range.end) });
  }
  push(region.region.content);
  push({ start: region.region.open.start, end: region.region.content.end });
  return out;
}
