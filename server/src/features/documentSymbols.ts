import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { getValue, owningProperty, scalarText, type DataNode } from '../engine/dataNode';
import type { ColumnInfo, ContractInfo, TaskInfo } from '../engine/model';
import type { Region } from '../engine/regions';
import type { OffsetRange } from '../engine/text';
import { toRange } from './convert';

/**
 * The Outline: a board with its columns, tasks, contracts and deliverables;
 * fenced tasks under "Notes"; a v2 task file's task; a deployment's sections.
 */
export function provideDocumentSymbols(analysis: DocumentAnalysis): DocumentSymbol[] {
  const build = new SymbolBuilder(analysis);
  switch (analysis.kind) {
    case 'board':
      return build.board();
    case 'task':
      return analysis.task ? [build.task(analysis.task)] : [];
    case 'deployment':
      return analysis.deployment?.type === 'object' ? build.jsonMembers(analysis.deployment) : [];
    default:
      return [];
  }
}

const KIND_OF_VALUE: Record<DataNode['type'], SymbolKind> = {
  object: SymbolKind.Module,
  array: SymbolKind.Array,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Null,
};

class SymbolBuilder {
  constructor(private readonly analysis: DocumentAnalysis) {}

  /** A symbol whose selection is kept inside its range, as VS Code requires. */
  private symbol(name: string, kind: SymbolKind, range: OffsetRange, selection: OffsetRange | undefined, detail?: string, children: DocumentSymbol[] = []): DocumentSymbol {
    const inside = selection && selection.start >= range.start && selection.end <= range.end ? selection : { start: range.start, end: range.start };
    const symbol: DocumentSymbol = {
      name: name.trim() || '(unnamed)',
      kind,
      range: toRange(this.analysis.lines, range),
      selectionRange: toRange(this.analysis.lines, inside),
      children,
    };
    if (detail) symbol.detail = detail;
    return symbol;
  }

  board(): DocumentSymbol[] {
    const board = this.analysis.board;
    const frontMatter = this.analysis.regions.find((r) => r.region.kind === 'frontmatter');
    const out: DocumentSymbol[] = [];
    if (board && frontMatter) {
      const children = board.columns.map((column) => this.column(column, board.tasks.filter((t) => t.location === 'column' && t.node.parent?.parent === column.node)));
      const archive = getValue(board.root, 'archive');
      const archived = board.tasks.filter((t) => t.location === 'archive');
      if (archive) children.push(this.group('Archive', owningProperty(archive)!.keyRange, archive.range, archived, `${archived.length} task${archived.length === 1 ? '' : 's'}`));
      const titleNode = getValue(board.root, 'title');
      const detail = `Brainfile v${board.version}`;
      out.push(this.symbol(board.title ?? 'Board', SymbolKind.Module, wholeRegion(this.analysis, frontMatter.region), titleNode?.range ?? frontMatter.region.open, detail, children));
    }
    const fenced = board?.tasks.filter((t) => t.location === 'fence') ?? [];
    if (fenced.length) {
      const first = fenced[0].region;
      const range = { start: first.open.start, end: wholeRegion(this.analysis, fenced[fenced.length - 1].region).end };
      out.push(this.symbol('Notes', SymbolKind.Namespace, range, first.open, `${fenced.length} fenced task${fenced.length === 1 ? '' : 's'}`, fenced.map((t) => this.task(t))));
    }
    return out;
  }

  private column(column: ColumnInfo, tasks: TaskInfo[]): DocumentSymbol {
    const name = column.title ?? column.id ?? 'Column';
    const detail = [column.title && column.id ? column.id : undefined, getValue(column.node, 'tasks') ? `${tasks.length} task${tasks.length === 1 ? '' : 's'}` : undefined]
      .filter(Boolean)
      .join(' · ');
    const selection = (column.title !== undefined ? getValue(column.node, 'title') : undefined) ?? column.idNode;
    return this.symbol(name, SymbolKind.Namespace, column.node.range, selection?.range, detail, tasks.map((t) => this.task(t)));
  }

  /** A named list of tasks, e.g. the archive, spanning its key and its value. */
  private group(name: string, key: OffsetRange, value: OffsetRange, tasks: TaskInfo[], detail: string): DocumentSymbol {
    return this.symbol(name, SymbolKind.Namespace, { start: key.start, end: Math.max(key.end, value.end) }, key, detail, tasks.map((t) => this.task(t)));
  }

  task(task: TaskInfo): DocumentSymbol {
    const name = [task.id, task.title].filter(Boolean).join(' ') || 'Task';
    const selection = task.idNode ?? getValue(task.node, 'title');
    const contract = task.contractNode ? [this.contract(task.contractNode, task.contract)] : [];
    return this.symbol(name, SymbolKind.Object, task.node.range, selection?.range ?? task.node.properties[0]?.keyRange, statusDetail(task), contract);
  }

  private contract(node: DataNode, contract: ContractInfo | undefined): DocumentSymbol {
    const property = owningProperty(node)!;
    const deliverables = (contract?.deliverables ?? []).map((d) =>
      this.symbol(d.path ?? d.description ?? d.type ?? 'deliverable', SymbolKind.File, d.node.range, d.pathNode?.range, d.type),
    );
    const detail = contract ? (contract.status ?? scalarText(contract.statusNode) ?? 'no status') : 'not a mapping';
    return this.symbol('contract', SymbolKind.Interface, { start: property.keyRange.start, end: Math.max(property.keyRange.end, node.range.end) }, property.keyRange, detail, deliverables);
  }

  /** Deployment members, the way the JSON outline shows them, with summaries for the quality gate. */
  jsonMembers(node: DataNode, depth = 0): DocumentSymbol[] {
    if (node.type !== 'object' || depth > 4) return [];
    return node.properties
      .filter((p) => !p.merged)
      .map((p) => {
        const range = { start: p.keyRange.start, end: Math.max(p.keyRange.end, p.value.range.end) };
        const detail = qualityDetail(p.key, p.value) ?? scalarText(p.value);
        const children = p.value.type === 'object' ? this.jsonMembers(p.value, depth + 1) : [];
        return this.symbol(p.key, KIND_OF_VALUE[p.value.type], range, p.keyRange, detail, children);
      });
  }
}

function statusDetail(task: TaskInfo): string | undefined {
  if (!task.contractNode) return undefined;
  return task.contract?.status ?? scalarText(task.contract?.statusNode) ?? 'no status';
}

function qualityDetail(key: string, node: DataNode): string | undefined {
  const num = (name: string) => {
    const value = getValue(node, name);
    return value?.type === 'number' ? (value.value as number) : undefined;
  };
  if (key === 'coverage' && node.type === 'object') {
    const [actual, required] = [num('actual'), num('required')];
    if (actual === undefined) return undefined;
    return `${actual}%${required !== undefined ? ` of ${required}% required` : ''}`;
  }
  if (key === 'tests' && node.type === 'object') {
    const [total, passed, failed] = [num('total'), num('passed'), num('failed')];
    if (passed === undefined && failed === undefined) return undefined;
    return `${passed ?? 0} passed, ${failed ?? 0} failed${total !== undefined ? ` of ${total}` : ''}`;
  }
  return undefined;
}

/** From the opening delimiter to the end of the closing one (or of the content when unclosed). */
function wholeRegion(analysis: DocumentAnalysis, region: Region): OffsetRange {
  const { lines } = analysis;
  const closeLine = lines.positionAt(region.content.end).line;
  const closed = region.content.end < analysis.text.length;
  return { start: region.open.start, end: closed ? lines.lineEndOffset(closeLine) : region.content.end };
}
