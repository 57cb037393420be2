import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeploymentSummary } from '../../../shared/protocol';
import type { TaskStore } from '../taskStore';
import { plural } from '../../../shared/text';

export type DeploymentStatusKey = 'Succeeded' | 'Failed' | 'Blocked' | 'unknown';

const DEPLOYMENT_GROUPS: ReadonlyArray<[DeploymentStatusKey, string, string, string]> = [
  ['Succeeded', 'Succeeded', 'pass-filled', 'charts.green'],
  ['Failed', 'Failed', 'error', 'charts.red'],
  ['Blocked', 'Blocked', 'circle-slash', 'charts.orange'],
  ['unknown', 'Unknown status', 'question', 'disabledForeground'],
];

export type DeploymentTreeNode = DeploymentGroupNode | DeploymentNode;

/** Id `deployments:status:<s>`. */
export interface DeploymentGroupNode {
  kind: 'deploymentGroup';
  id: string;
  status: DeploymentStatusKey;
  deployments: DeploymentNode[];
}

/** Id: the file's uri. Commands from the view receive this. */
export interface DeploymentNode {
  kind: 'deployment';
  id: string;
  deployment: DeploymentSummary;
  parent: DeploymentGroupNode;
}

export function deploymentStatusKey(deployment: DeploymentSummary): DeploymentStatusKey {
  const status = deployment.status;
  return status === 'Succeeded' || status === 'Failed' || status === 'Blocked' ? status : 'unknown';
}

/** `acme/payments@9fceb02`, or the file name when the audit lacks either. */
export function deploymentLabel(deployment: DeploymentSummary): string {
  if (deployment.repository && deployment.commit) return `${deployment.repository}@${deployment.commit.slice(0, 7)}`;
  return path.posix.basename(vscode.Uri.parse(deployment.uri).path);
}

/** `coverage 86.4/80 ✓ · tests 412/412`; parts the file lacks are left out. */
export function deploymentDescription(deployment: DeploymentSummary): string {
  const parts: string[] = [];
  const coverage = deployment.coverage;
  if (coverage && (coverage.actual !== undefined || coverage.required !== undefined)) {
    const met = coverageMet(deployment);
    parts.push(`coverage ${coverage.actual ?? '?'}/${coverage.required ?? '?'}${met === undefined ? '' : met ? ' ✓' : ' ✗'}`);
  }
  const tests = deployment.tests;
  if (tests && (tests.passed !== undefined || tests.total !== undefined)) parts.push(`tests ${tests.passed ?? '?'}/${tests.total ?? '?'}`);
  if (deployment.errorCount) parts.push(plural(deployment.errorCount, 'error'));
  return parts.join(' · ');
}

/** The numbers win over the `met` flag: a file that claims 71/75 is met is not. */
function coverageMet(deployment: DeploymentSummary): boolean | undefined {
  const { actual, required, met } = deployment.coverage ?? {};
  if (actual !== undefined && required !== undefined) return actual >= required;
  return met;
}

/** The Deployments view: deployment contracts grouped by status; empty groups are left out. */
export class DeploymentTreeProvider implements vscode.TreeDataProvider<DeploymentTreeNode>, vscode.Disposable {
  private readonly treeEmitter = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.treeEmitter.event;
  private groups: DeploymentGroupNode[] = [];
  private readonly disposables: vscode.Disposable[] = [this.treeEmitter];

  constructor(private readonly store: TaskStore) {
    this.rebuild();
    this.disposables.push(
      store.onDidChange((change) => {
        if (!change.deploymentsChanged && !change.stateChanged) return;
        this.rebuild();
        // A handful of files: one refresh of the whole view is cheap.
        this.treeEmitter.fire(undefined);
      }),
    );
  }

  getTreeItem(node: DeploymentTreeNode): vscode.TreeItem {
    return node.kind === 'deploymentGroup' ? groupItem(node) : deploymentItem(node);
  }

  getChildren(node?: DeploymentTreeNode): DeploymentTreeNode[] {
    if (!node) return this.store.serverState === 'stopped' ? [] : this.groups;
    return node.kind === 'deploymentGroup' ? node.deployments : [];
  }

  getParent(node: DeploymentTreeNode): DeploymentTreeNode | undefined {
    return node.kind === 'deployment' ? node.parent : undefined;
  }

  private rebuild(): void {
    // Newest first; a missing or unreadable timestamp sorts last.
    const time = (d: DeploymentSummary) => Date.parse(d.timestamp ?? '') || 0;
    const sorted = [...this.store.deployments()].sort((a, b) => time(b) - time(a) || a.uri.localeCompare(b.uri));
    this.groups = DEPLOYMENT_GROUPS.map(([status]) => {
      const group: DeploymentGroupNode = { kind: 'deploymentGroup', id: `deployments:status:${status}`, status, deployments: [] };
      group.deployments = sorted.filter((d) => deploymentStatusKey(d) === status).map((deployment) => ({ kind: 'deployment', id: deployment.uri, deployment, parent: group }));
      return group;
    }).filter((group) => group.deployments.length > 0);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function groupItem(node: DeploymentGroupNode): vscode.TreeItem {
  const [, label, icon, color] = DEPLOYMENT_GROUPS.find(([status]) => status === node.status)!;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.description = String(node.deployments.length);
  item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
  item.contextValue = `deploymentGroup;status=${node.status};`;
  item.accessibilityInformation = { label: `${label}, ${plural(node.deployments.length, 'deployment')}` };
  return item;
}

function deploymentItem(node: DeploymentNode): vscode.TreeItem {
  const { deployment } = node;
  const [, statusLabel, icon, color] = DEPLOYMENT_GROUPS.find(([status]) => status === deploymentStatusKey(deployment))!;
  const label = deploymentLabel(deployment);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = deploymentDescription(deployment);
  // A file with errors shows the warning instead of its status: the numbers may be wrong.
  item.iconPath = deployment.errorCount
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
    : new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
  item.contextValue = `deployment;status=${deploymentStatusKey(deployment)};`;
  item.tooltip = deploymentTooltip(deployment, statusLabel);
  item.accessibilityInformation = { label: `${label}, deployment ${statusLabel}, ${item.description}` };
  item.command = { command: 'contracts.openDeployment', title: 'Open Deployment Contract', arguments: [node] };
  return item;
}

function deploymentTooltip(deployment: DeploymentSummary, statusLabel: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  const file = vscode.Uri.parse(deployment.uri).fsPath;
  const rows: Array<[string, string | undefined]> = [
    ['Status', deployment.status ?? statusLabel],
    ['Repository', deployment.repository],
    ['Commit', deployment.commit],
    ['Timestamp', deployment.timestamp],
    ['Engine', deployment.engine],
    ['Coverage', deployment.coverage && `${deployment.coverage.actual ?? '?'}% of ${deployment.coverage.required ?? '?'}% required`],
    ['Tests', deployment.tests && `${deployment.tests.passed ?? '?'} passed, ${deployment.tests.failed ?? 0} failed, ${deployment.tests.total ?? '?'} in all`],
    ['File', file],
  ];
  for (const [name, value] of rows) if (value) md.appendMarkdown(`**${name}:** `).appendText(value).appendMarkdown('  \n');
  if (deployment.errorCount) md.appendMarkdown(`\n$(warning) ${plural(deployment.errorCount, 'error')} in this file; see the Problems panel.`);
  return md;
}

/** The `contracts.deployments` view: the tree plus a message while the server is down. */
export class DeploymentsView implements vscode.Disposable {
  readonly provider: DeploymentTreeProvider;
  readonly treeView: vscode.TreeView<DeploymentTreeNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: TaskStore) {
    this.provider = new DeploymentTreeProvider(store);
    this.treeView = vscode.window.createTreeView('contracts.deployments', { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(this.provider, this.treeView, store.onDidChange(() => this.updateMessage()));
    this.updateMessage();
  }

  private updateMessage(): void {
    const message = this.store.serverState === 'stopped' ? 'The Contracts language server is not running, so deployments are not shown.' : '';
    if ((this.treeView.message ?? '') !== message) this.treeView.message = message;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
