import * as vscode from 'vscode';

/** The `contracts.*` settings, read in one place. */
export interface ContractsConfig {
  deploymentGlobs: string[];
  maxFileSizeKB: number;
  traceServer: 'off' | 'messages' | 'verbose';
}

export function readConfig(): ContractsConfig {
  const config = vscode.workspace.getConfiguration('contracts');
  return {
    deploymentGlobs: config.get<string[]>('deploymentGlobs', []),
    maxFileSizeKB: config.get<number>('maxFileSizeKB', 5120),
    traceServer: config.get<'off' | 'messages' | 'verbose'>('trace.server', 'off'),
  };
}

/** What the server needs of the settings (sent at start and on every change). */
export function serverSettings(config: ContractsConfig): Record<string, unknown> {
  return { deploymentGlobs: config.deploymentGlobs, maxFileSizeKB: config.maxFileSizeKB };
}
