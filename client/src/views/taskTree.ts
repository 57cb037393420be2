import * as vscode from 'vscode';
import type { TaskSummary } from '../../../shared/protocol';
import type { TaskStore, TaskStoreChange } from '../taskStore';
import { GROUP_ORDER, groupKeyOf, type StatusGroupKey } from './statuses';
import { matchesFilter, type TaskFilter } from './taskFilter';
import { boardGroupItem, statusGroupItem, taskItem } from './taskItems';
import type { BoardGroupNode, CheckNode, StatusGroupNode, TaskNode, TaskTreeNode, ValidationRowSource } from './taskNodes';

export type GroupBy = 'status' | 'board';

/** A plain view of one group, for tests and the status bar. */
export interface GroupSnapshot {
  id: string;
  status?: StatusGroupKey;
  title: string;
  count: number;
  /** Task ids (for a status group) or child group ids (for a board group). */
  children: string[];
}

type Changed = TaskTreeNode[] | undefined;

/**
 * The Tasks tree: the store's tasks, filtered, grouped by status (or board then
 * status). After each store change it works out which groups and rows changed
 * and refreshes only those; a change of the group list refreshes everything.
 */
export class TaskTreeProvider implements vscode.TreeDataProvider<TaskTreeNode>, vscode.Disposable {
  private readonly treeEmitter = new vscode.EventEmitter<TaskTreeNode | TaskTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.treeEmitter.event;
  private readonly layoutEmitter = new vscode.EventEmitter<void>();
  /** Fires after the tree's content was recomputed (for the view's message and tests). */
  readonly onDidChangeLayout = this.layoutEmitter.event;

  private readonly nodes = new Map<string, TaskTreeNode>();
  private roots: Array<BoardGroupNode | StatusGroupNode> = [];
  private readonly children = new Map<string, TaskTreeNode[]>();
  private readonly visibleTasks = new Map<string, TaskNode>();
  private fingerprints = new Map<string, string>();
  private groupByMode: GroupBy;
  private showEmpty: boolean;
  private activeFilter: TaskFilter | undefined;
  private validationRows: ValidationRowSource | undefined;
  private readonly disposables: vscode.Disposable[] = [this.treeEmitter, this.layoutEmitter];

  constructor(
    private readonly store: TaskStore,
    options: { groupBy: GroupBy; showEmptyGroups: boolean },
  ) {
    this.groupByMode = options.groupBy;
    this.showEmpty = options.showEmptyGroups;
    this.rebuild();
    this.disposables.push(store.onDidChange((change) => this.applyStoreChange(change)));
  }

  // ---- TreeDataProvider -----------------------------------------------------

  getTreeItem(node: TaskTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'board':
        return boardGroupItem(node);
      case 'status':
        return statusGroupItem(node);
      case 'task':
        return taskItem(node, {
          showBoard: this.groupByMode === 'status',
          validating: this.validationRows?.isValidating(node.key) ?? false,
          hasChecks: (this.validationRows?.checks(node.key).length ?? 0) > 0,
        });
      case 'check': {
        const item = node.row.item;
        item.id = node.id;
        return item;
      }
    }
  }

  getChildren(node?: TaskTreeNode): TaskTreeNode[] {
    if (!node) return this.store.serverState === 'stopped' ? [] : this.roots;
    if (node.kind === 'task') return this.checkNodes(node);
    if (node.kind === 'check') return [];
    return this.children.get(node.id) ?? [];
  }

  getParent(node: TaskTreeNode): TaskTreeNode | undefined {
    if (node.kind === 'status') return node.parent;
    if (node.kind === 'board') return undefined;
    return node.parent;
  }

  // ---- what other parts use -------------------------------------------------

  get groupBy(): GroupBy {
    return this.groupByMode;
  }

  get filter(): TaskFilter | undefined {
    return this.activeFilter;
  }

  /** How many tasks pass the filter. */
  get visibleCount(): number {
    return this.visibleTasks.size;
  }

  /** The row of a task, if it is in the tree now (not filtered out). */
  nodeFor(taskKey: string): TaskNode | undefined {
    return this.visibleTasks.get(taskKey);
  }

  /** The groups as plain data: top level first, then each board's status groups. */
  snapshot(): GroupSnapshot[] {
    const describe = (node: BoardGroupNode | StatusGroupNode): GroupSnapshot => ({
      id: node.id,
      status: node.kind === 'status' ? node.status : undefined,
      title: node.kind === 'status' ? node.status : node.title,
      count: node.count,
      children: (this.children.get(node.id) ?? []).map((child) => (child.kind === 'task' ? child.task.id : child.id)),
    });
    return this.roots.flatMap((root) => [describe(root), ...(root.kind === 'board' ? (this.children.get(root.id) ?? []).map((c) => describe(c as StatusGroupNode)) : [])]);
  }

  setGroupBy(mode: GroupBy): void {
    if (mode === this.groupByMode) return;
    this.groupByMode = mode;
    this.rebuildAndRefreshAll();
  }

  setShowEmptyGroups(show: boolean): void {
    if (show === this.showEmpty) return;
    this.showEmpty = show;
    this.rebuildAndRefreshAll();
  }

  setFilter(filter: TaskFilter | undefined): void {
    this.activeFilter = filter;
    this.rebuildAndRefreshAll();
  }

  /** The validation runner's rows; returns the disposable that unplugs them. */
  setValidationRows(source: ValidationRowSource): vscode.Disposable {
    this.validationRows = source;
    const listener = source.onDidChange((keys) => {
      const rows = keys.map((key) => this.visibleTasks.get(key)).filter((n): n is TaskNode => !!n);
      if (rows.length) this.treeEmitter.fire(rows);
    });
    return new vscode.Disposable(() => {
      listener.dispose();
      if (this.validationRows === source) this.validationRows = undefined;
      this.treeEmitter.fire(undefined);
    });
  }

  refreshAll(): void {
    this.rebuildAndRefreshAll();
  }

  // ---- building -------------------------------------------------------------

  private rebuildAndRefreshAll(): void {
    this.rebuild();
    this.treeEmitter.fire(undefined);
    this.layoutEmitter.fire();
  }

  private applyStoreChange(change: TaskStoreChange): void {
    if (!change.changedKeys.size && !change.stateChanged) return;
    const before = this.shape();
    const oldFingerprints = this.fingerprints;
    this.rebuild();
    this.layoutEmitter.fire();
    const changed = change.stateChanged ? undefined : this.changedNodes(before, oldFingerprints, change.changedKeys);
    if (changed === undefined) this.treeEmitter.fire(undefined);
    else if (changed.length) this.treeEmitter.fire(changed);
  }

  /** The groups whose rows or counts differ, plus rows that look different in place; undefined for "everything". */
  private changedNodes(before: Map<string, string>, oldFingerprints: Map<string, string>, changedKeys: ReadonlySet<string>): Changed {
    const after = this.shape();
    if (before.get('') !== after.get('')) return undefined;
    const changed: TaskTreeNode[] = [];
    for (const [id, shape] of after) {
      if (id && before.get(id) !== shape) changed.push(this.nodes.get(id)!);
    }
    for (const key of changedKeys) {
      const row = this.visibleTasks.get(key);
      if (row && oldFingerprints.get(key) !== this.fingerprints.get(key) && !changed.includes(row.parent)) changed.push(row);
    }
    return changed;
  }

  /** Root ids under '', and per group its count, title and child ids: what a refresh of that group would redraw. */
  private shape(): Map<string, string> {
    const shape = new Map<string, string>([['', this.roots.map((r) => r.id).join('\n')]]);
    const groups: Array<BoardGroupNode | StatusGroupNode> = [...this.roots];
    for (const root of this.roots) if (root.kind === 'board') groups.push(...((this.children.get(root.id) ?? []) as StatusGroupNode[]));
    for (const group of groups) {
      const title = group.kind === 'board' ? group.title : group.status;
      shape.set(group.id, [title, group.count, ...(this.children.get(group.id) ?? []).map((c) => c.id)].join('\n'));
    }
    return shape;
  }

  private rebuild(): void {
    const used = new Set<string>();
    this.children.clear();
    this.visibleTasks.clear();
    this.fingerprints = new Map();
    const tasks = this.store
      .tasks()
      .filter((task) => matchesFilter(task, this.activeFilter))
      .sort(byLocation);
    if (this.groupByMode === 'status') {
      this.roots = this.statusGroups(tasks, undefined, used);
    } else {
      const boards = new Map<string, TaskSummary[]>();
      for (const task of tasks) boards.set(task.boardUri, [...(boards.get(task.boardUri) ?? []), task]);
      this.roots = [...boards.entries()]
        .sort(([, a], [, b]) => a[0].boardTitle.localeCompare(b[0].boardTitle) || a[0].boardUri.localeCompare(b[0].boardUri))
        .map(([boardUri, members]) => {
          const board = this.node<BoardGroupNode>(`board:${boardUri}`, used, (id) => ({ kind: 'board', id, boardUri, title: '', count: 0 }));
          board.title = members[0].boardTitle;
          board.count = members.length;
          this.children.set(board.id, this.statusGroups(members, board, used));
          return board;
        });
    }
    // Forget nodes that left the tree, so a returning task gets a fresh row.
    for (const id of [...this.nodes.keys()]) if (!used.has(id)) this.nodes.delete(id);
  }

  private statusGroups(tasks: TaskSummary[], board: BoardGroupNode | undefined, used: Set<string>): StatusGroupNode[] {
    const versions = new Set(tasks.map((t) => t.version));
    const groups: StatusGroupNode[] = [];
    for (const status of GROUP_ORDER) {
      const members = tasks.filter((task) => groupKeyOf(task) === status);
      if (!members.length && !this.showEmptyGroup(status, board ? versions : undefined)) continue;
      const prefix = board ? `${board.id}:` : '';
      const group = this.node<StatusGroupNode>(`${prefix}status:${status}`, used, (id) => ({ kind: 'status', id, status, count: 0 }));
      group.count = members.length;
      group.parent = board;
      this.children.set(
        group.id,
        members.map((task) => {
          const key = this.store.keyOf(task);
          const row = this.node<TaskNode>(key, used, (id) => ({ kind: 'task', id, key, task, parent: group }));
          row.task = task;
          row.parent = group;
          this.visibleTasks.set(key, row);
          this.fingerprints.set(key, fingerprint(task));
          return row;
        }),
      );
      groups.push(group);
    }
    return groups;
  }

  /** "Invalid status" appears only when needed; every lifecycle status exists in v1 and v2 alike. */
  private showEmptyGroup(status: StatusGroupKey, _boardVersions: Set<1 | 2> | undefined): boolean {
    return this.showEmpty && status !== 'invalid';
  }

  private node<T extends TaskTreeNode>(id: string, used: Set<string>, create: (id: string) => T): T {
    used.add(id);
    let node = this.nodes.get(id) as T | undefined;
    if (!node) {
      node = create(id);
      this.nodes.set(id, node);
    }
    return node;
  }

  private checkNodes(task: TaskNode): CheckNode[] {
    const rows = this.validationRows?.checks(task.key) ?? [];
    return rows.map((row) => ({ kind: 'check', id: `${task.id}/check:${row.id}`, parent: task, row }));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Everything a task row shows; a change elsewhere (a version, a range) needs no redraw. */
function fingerprint(task: TaskSummary): string {
  const { uri: _uri, documentVersion: _version, range: _range, idRange: _idRange, ...shown } = task;
  return JSON.stringify(shown);
}

/** Explorer order: folder by folder (so `board-v1/` comes before `board-v1-broken/`), then by line. */
function byLocation(a: TaskSummary, b: TaskSummary): number {
  return comparePaths(a.uri, b.uri) || a.range.start.line - b.range.start.line;
}

function comparePaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = left[i].localeCompare(right[i], undefined, { numeric: true });
    if (order) return order;
  }
  return left.length - right.length;
}
