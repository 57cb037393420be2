import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  DeploymentsRequest,
  DidChangeTasksNotification,
  TasksRequest,
  type DeploymentSummary,
  type DeploymentsResult,
  type TaskSummary,
} from '../../shared/protocol';
import { fetchListings, type HeldListings } from '../../shared/taskListing';
import { CoalescedRun } from './coalescedRun';
import type { Ctx } from './context';

/** `starting` until the first answer; `stopped` while the language server is down. */
export type ServerState = 'starting' | 'running' | 'stopped';

export interface TaskStoreChange {
  /** Keys (`${uri}#${id}`) of the tasks added, removed or changed in any field. */
  readonly changedKeys: ReadonlySet<string>;
  readonly deploymentsChanged: boolean;
  /** The server went up or down, or finished indexing. */
  readonly stateChanged: boolean;
}

/** The key a task is known by in the store and the tree. */
export function taskKey(task: Pick<TaskSummary, 'uri' | 'id'>): string {
  return `${task.uri}#${task.id}`;
}

const stores = new WeakMap<Ctx, TaskStore>();

/**
 * The latest tasks and deployments from the language server. Everything that
 * shows or picks tasks reads them here, so the workspace is asked once per change.
 * Get it with `TaskStore.of(ctx)`.
 */
export class TaskStore implements vscode.Disposable {
  private taskList: TaskSummary[] = [];
  private deploymentList: DeploymentSummary[] = [];
  /** Unique keys: a duplicate id in one file gets `~2`, `~3`… so rows never collide. */
  private byKey = new Map<string, TaskSummary>();
  /** The server's listing per board, as last received: asking again sends their revisions, and unchanged boards are not sent back. */
  private listings: HeldListings = new Map();
  private keys = new WeakMap<TaskSummary, string>();
  private state: ServerState = 'starting';
  private isIndexed = false;
  private attachedClient: LanguageClient | undefined;
  private readonly fetches = new CoalescedRun(() => this.fetchOnce());
  private readonly contextKeys = new Map<string, boolean>();
  private readonly changeEmitter = new vscode.EventEmitter<TaskStoreChange>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];

  /** Fires after every fetch that changed something. */
  readonly onDidChange = this.changeEmitter.event;

  /** The one store of this extension instance, created on first use. */
  static of(ctx: Ctx): TaskStore {
    let store = stores.get(ctx);
    if (!store) {
      store = new TaskStore(ctx);
      stores.set(ctx, store);
      ctx.pushExtCleanup(store);
    }
    return store;
  }

  private constructor(private readonly ctx: Ctx) {
    this.disposables.push(ctx.onClientStarted((client) => this.attach(client)));
    if (ctx.clientInstance) this.attach(ctx.clientInstance);
    this.updateContextKeys();
  }

  // ---- reading --------------------------------------------------------------

  /** Every task in the workspace, in board order. Empty while the server is down. */
  tasks(): readonly TaskSummary[] {
    return this.taskList;
  }

  deployments(): readonly DeploymentSummary[] {
    return this.deploymentList;
  }

  /** The task with this id in this document (the first one, if the id is duplicated). */
  find(uri: string | vscode.Uri, id: string): TaskSummary | undefined {
    return this.byKey.get(taskKey({ uri: uri.toString(), id }));
  }

  byTaskKey(key: string): TaskSummary | undefined {
    return this.byKey.get(key);
  }

  /** The unique key of a task returned by this store. */
  keyOf(task: TaskSummary): string {
    return this.keys.get(task) ?? taskKey(task);
  }

  /** The innermost task whose range holds `position` in document `uri`. */
  taskAt(uri: string | vscode.Uri, position: vscode.Position): TaskSummary | undefined {
    const target = uri.toString();
    let best: TaskSummary | undefined;
    for (const task of this.taskList) {
      if (task.uri !== target || !containsPosition(task.range, position)) continue;
      if (!best || task.range.start.line >= best.range.start.line) best = task;
    }
    return best;
  }

  get serverState(): ServerState {
    return this.state;
  }

  /** False while the server's first workspace scan is running. */
  get indexed(): boolean {
    return this.isIndexed;
  }

  // ---- fetching -------------------------------------------------------------

  /**
   * Asks the server again. Calls that arrive during a fetch coalesce into one
   * more fetch, so a burst of notifications costs two requests, not twenty.
   */
  refresh(): Promise<void> {
    return this.fetches.run();
  }

  private async fetchOnce(): Promise<void> {
    const client = this.ctx.client;
    if (!client) return;
    let fetched: Awaited<ReturnType<typeof fetchListings>>;
    let deploymentsResult: DeploymentsResult;
    try {
      // A big board comes in pages, asked for at once one after the other; the views change once it is all here.
      [fetched, deploymentsResult] = await Promise.all([fetchListings((params) => client.sendRequest(TasksRequest, params), this.listings), client.sendRequest(DeploymentsRequest)]);
    } catch (error) {
      // A server that stops mid-request reports it through the state listener.
      if (this.ctx.client) this.ctx.log.warn(`Fetching tasks failed: ${String(error)}`);
      return;
    }
    if (!this.ctx.client) return;
    if (!fetched) {
      // Not held after all (the store was reset meanwhile): ask for everything again.
      this.listings = new Map();
      return this.fetchOnce();
    }
    const { listings, result } = fetched;
    this.listings = listings;
    const tasks = result.boards ? [...listings.values()].flatMap((listing) => listing.tasks) : result.tasks;
    this.apply(tasks, deploymentsResult.deployments, result.indexed && deploymentsResult.indexed, 'running');
  }

  private apply(tasks: TaskSummary[], deployments: DeploymentSummary[], indexed: boolean, state: ServerState): void {
    const byKey = new Map<string, TaskSummary>();
    const keys = new WeakMap<TaskSummary, string>();
    for (const task of tasks) {
      const base = taskKey(task);
      let key = base;
      for (let n = 2; byKey.has(key); n++) key = `${base}~${n}`;
      byKey.set(key, task);
      keys.set(task, key);
    }
    const changedKeys = new Set<string>();
    for (const [key, task] of byKey) {
      const previous = this.byKey.get(key);
      if (!previous || JSON.stringify(previous) !== JSON.stringify(task)) changedKeys.add(key);
    }
    for (const key of this.byKey.keys()) if (!byKey.has(key)) changedKeys.add(key);
    const deploymentsChanged = JSON.stringify(deployments) !== JSON.stringify(this.deploymentList);
    const stateChanged = state !== this.state || indexed !== this.isIndexed;

    this.taskList = tasks;
    this.byKey = byKey;
    this.keys = keys;
    this.deploymentList = deployments;
    this.state = state;
    this.isIndexed = indexed;
    this.updateContextKeys();
    if (changedKeys.size || deploymentsChanged || stateChanged) {
      this.changeEmitter.fire({ changedKeys, deploymentsChanged, stateChanged });
    }
  }

  /** `contracts.hasBoard` / `contracts.hasDeployments` drive the welcome texts of the views. */
  private updateContextKeys(): void {
    // A stopped server says nothing about the workspace; keep the last answer.
    if (this.state === 'stopped') return;
    // Until the first scan ends, assume there is one, so the welcome text does not flash.
    this.setContextKey('contracts.hasBoard', this.taskList.length > 0 || !this.isIndexed);
    this.setContextKey('contracts.hasDeployments', this.deploymentList.length > 0 || !this.isIndexed);
  }

  private setContextKey(key: string, value: boolean): void {
    if (this.contextKeys.get(key) === value) return;
    this.contextKeys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  /** Drops the data, so nothing stale is shown while the server is down. */
  private markStopped(): void {
    this.listings = new Map();
    if (this.state === 'stopped') return;
    this.apply([], [], this.isIndexed, 'stopped');
  }

  /** Runs on every client start (a manual restart makes a new client). */
  private attach(client: LanguageClient): void {
    if (this.attachedClient === client) return;
    this.attachedClient = client;
    this.ctx.pushClientCleanup(
      client.onNotification(DidChangeTasksNotification, () => void this.refresh()),
      // An automatic restart after a crash keeps this client object and its handlers.
      client.onDidChangeState((event) => {
        if (event.newState === State.Running) void this.refresh();
        else this.markStopped();
      }),
      // A manual restart or deactivation disposes the client's cleanups first.
      {
        dispose: () => {
          this.attachedClient = undefined;
          this.markStopped();
        },
      },
    );
    if (client.isRunning()) void this.refresh();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function containsPosition(range: TaskSummary['range'], position: vscode.Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}
