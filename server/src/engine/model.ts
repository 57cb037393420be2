import { getString, getValue, type ArrayNode, type DataNode, type ObjectNode, type ScalarNode } from './dataNode';
import type { Region } from './regions';
import type { Steps } from './steps';

/** Where a task's text lives. */
export type TaskLocation = 'column' | 'archive' | 'fence' | 'file';

export interface ContractInfo {
  node: ObjectNode;
  status?: string;
  statusNode?: DataNode;
  deliverables: Array<{ type?: string; path?: string; description?: string; node: DataNode; pathNode?: DataNode }>;
  commands: string[];
  constraints: string[];
}

export interface TaskInfo {
  node: ObjectNode;
  region: Region;
  location: TaskLocation;
  id?: string;
  idNode?: DataNode;
  title?: string;
  assignee?: string;
  priority?: string;
  /** The column id: the v1 column the task sits in, or a v2 task's `column` field. */
  columnId?: string;
  columnNode?: DataNode;
  blockedBy: ScalarNode[];
  /** Task ids it depends on (`dependsOn`), the string entries only. */
  dependsOn: ScalarNode[];
  /** The parent task or epic (`parentId`), when it is a string. */
  parentId?: ScalarNode;
  /** The `contract` value whatever its type; `contract` is set only when it is an object. */
  contractNode?: DataNode;
  contract?: ContractInfo;
}

export interface ColumnInfo {
  id?: string;
  idNode?: DataNode;
  title?: string;
  node: DataNode;
}

export interface BoardInfo {
  version: 1 | 2;
  title?: string;
  root?: DataNode;
  columns: ColumnInfo[];
  /** Tasks in columns, the archive and fenced blocks (v1), in document order. */
  tasks: TaskInfo[];
  /** `strict: true`: unknown columns are errors (v2). */
  strict?: boolean;
}

function stringList(node: DataNode | undefined): string[] {
  if (node?.type !== 'array') return [];
  return node.items.flatMap((item) => (item.type === 'string' ? [item.value as string] : []));
}

export function readContract(node: DataNode | undefined): ContractInfo | undefined {
  if (node?.type !== 'object') return undefined;
  const statusNode = getValue(node, 'status');
  const deliverablesNode = getValue(node, 'deliverables');
  return {
    node,
    status: statusNode?.type === 'string' ? (statusNode.value as string) : undefined,
    statusNode,
    deliverables:
      deliverablesNode?.type === 'array'
        ? deliverablesNode.items.map((item) => ({
            node: item,
            type: getString(item, 'type'),
            path: getString(item, 'path'),
            description: getString(item, 'description'),
            pathNode: getValue(item, 'path'),
          }))
        : [],
    commands: stringList(getValue(getValue(node, 'validation'), 'commands')),
    constraints: stringList(getValue(node, 'constraints')),
  };
}

export function readTask(node: ObjectNode, region: Region, location: TaskLocation, columnId?: string): TaskInfo {
  const idNode = getValue(node, 'id');
  const columnNode = location === 'file' ? getValue(node, 'column') : undefined;
  const blockedByNode = getValue(node, 'blockedBy');
  const dependsOnNode = getValue(node, 'dependsOn');
  const parentNode = getValue(node, 'parentId');
  const contractNode = getValue(node, 'contract');
  return {
    node,
    region,
    location,
    id: idNode && (idNode.type === 'string' || idNode.type === 'number') ? String(idNode.value) : undefined,
    idNode,
    title: getString(node, 'title'),
    assignee: getString(node, 'assignee'),
    priority: getString(node, 'priority'),
    columnId: location === 'file' ? getString(node, 'column') : columnId,
    columnNode,
    blockedBy: stringItems(blockedByNode),
    dependsOn: stringItems(dependsOnNode),
    parentId: parentNode?.type === 'string' ? (parentNode as ScalarNode) : undefined,
    contractNode,
    contract: readContract(contractNode),
  };
}

function stringItems(node: DataNode | undefined): ScalarNode[] {
  return node?.type === 'array' ? (node.items.filter((i) => i.type === 'string') as ScalarNode[]) : [];
}

/** Columns or tasks read per step by `readBoardSteps`. */
const READ_STEP_ITEMS = 500;

/** Reads columns and their tasks from a board's front matter, pausing every few hundred (`steps.ts`): a board may have 40,000 columns or 20,000 tasks. */
export function* readBoardSteps(root: DataNode | undefined, region: Region | undefined, version: 1 | 2): Steps<BoardInfo> {
  const strict = getValue(root, 'strict');
  const board: BoardInfo = { version, title: getString(root, 'title'), root, columns: [], tasks: [], strict: strict?.type === 'boolean' && strict.value === true };
  if (!root || root.type !== 'object' || !region) return board;
  let read = 0;
  const columns = getValue(root, 'columns');
  if (columns?.type === 'array') {
    for (const column of columns.items) {
      const idNode = getValue(column, 'id');
      const id = idNode?.type === 'string' ? (idNode.value as string) : undefined;
      board.columns.push({ id, idNode, title: getString(column, 'title'), node: column });
      const tasks = getValue(column, 'tasks');
      if (tasks?.type === 'array') read += yield* collectTasks(board, tasks, region, 'column', id);
      if (++read >= READ_STEP_ITEMS) {
        read = 0;
        yield;
      }
    }
  }
  const archive = getValue(root, 'archive');
  if (archive?.type === 'array') yield* collectTasks(board, archive, region, 'archive');
  return board;
}

/** Reads a list's tasks into the board, pausing every few hundred; how many it read since its last pause. */
function* collectTasks(board: BoardInfo, list: ArrayNode, region: Region, location: TaskLocation, columnId?: string): Steps<number> {
  let read = 0;
  for (const item of list.items) {
    if (item.type !== 'object') continue;
    board.tasks.push(readTask(item, region, location, columnId));
    if (++read >= READ_STEP_ITEMS) {
      read = 0;
      yield;
    }
  }
  return read;
}

/** True when a board's front matter says it is Brainfile v2. */
export function looksLikeV2Board(root: DataNode | undefined, isDotBrainfileConfig: boolean): boolean {
  const schema = getString(root, 'schema');
  if (schema && /\/v2\//.test(schema)) return true;
  if (schema && /\/v1\//.test(schema)) return false;
  const protocol = getValue(root, 'protocolVersion');
  if (protocol && /^2(\.|$)/.test(String((protocol as ScalarNode).value ?? ''))) return true;
  if (protocol && /^1(\.|$)/.test(String((protocol as ScalarNode).value ?? ''))) return false;
  if (!isDotBrainfileConfig) return false;
  // A `.brainfile/brainfile.md` whose columns hold no tasks is a v2 config.
  const columns = getValue(root, 'columns');
  return !(columns?.type === 'array' && columns.items.some((column) => getValue(column, 'tasks') !== undefined));
}
