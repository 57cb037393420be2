import * as vscode from 'vscode';

/** The `contracts.*` settings, read in one place. */
export interface ContractsConfig {
  deploymentGlobs: string[];
  maxFileSizeKB: number;
  maxDiagnostics: number;
  traceServer: 'off' | 'messages' | 'verbose';
  /** Written as the assignee on Claim when not empty. */
  assignee: string;
  moveTaskToColumn: boolean;
  columnForStatus: Record<string, string>;
  /** Approving a v2 task in board/ completes it: completedAt, moved to logs/, a ledger line. */
  completeApprovedTasks: boolean;
  /** The Tasks view: show status groups with no task, and the default grouping. */
  tasksShowEmptyGroups: boolean;
  tasksGroupBy: 'status' | 'board';
  /** Each validation command is killed, with its process tree, after this long. */
  validationTimeoutSeconds: number;
  validationContinueOnFailure: boolean;
  /** Where validation commands run: the board's project folder or the workspace folder. */
  validationWorkingDirectory: 'board' | 'workspace';
}

export function readConfig(): ContractsConfig {
  const config = vscode.workspace.getConfiguration('contracts');
  return {
    deploymentGlobs: config.get<string[]>('deploymentGlobs', []),
    maxFileSizeKB: config.get<number>('maxFileSizeKB', 5120),
    maxDiagnostics: config.get<number>('maxDiagnostics', 1000),
    traceServer: config.get<'off' | 'messages' | 'verbose'>('trace.server', 'off'),
    assignee: config.get<string>('assignee', '').trim(),
    moveTaskToColumn: config.get<boolean>('moveTaskToColumn', false),
    columnForStatus: config.get<Record<string, string>>('columnForStatus', {}),
    completeApprovedTasks: config.get<boolean>('completeApprovedTasks', true),
    validationTimeoutSeconds: Math.max(1, config.get<number>('validation.timeoutSeconds', 600)),
    validationContinueOnFailure: config.get<boolean>('validation.continueOnFailure', false),
    validationWorkingDirectory: config.get<string>('validation.workingDirectory', 'board') === 'workspace' ? 'workspace' : 'board',
    tasksShowEmptyGroups: config.get<boolean>('tasks.showEmptyGroups', true),
    tasksGroupBy: config.get<string>('tasks.groupBy', 'status') === 'board' ? 'board' : 'status',
  };
}

/** What the server needs of the settings (sent at start and on every change). */
export function serverSettings(config: ContractsConfig): Record<string, unknown> {
  return { deploymentGlobs: config.deploymentGlobs, maxFileSizeKB: config.maxFileSizeKB, maxDiagnostics: config.maxDiagnostics };
}
