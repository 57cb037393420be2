import { createHash } from 'node:crypto';

/**
 * "Run and don't ask again for this file": remembered per file and per exact
 * command list, so a changed list is asked about again. No `vscode` import:
 * the extension passes its `workspaceState`.
 */

export const APPROVAL_KEY_PREFIX = 'contracts.validation.approved:';

/** What we need of a `vscode.Memento`. */
export interface ApprovalMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export function commandsHash(commands: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(commands)).digest('hex');
}

export function approvalKey(uri: string, commands: readonly string[]): string {
  return `${APPROVAL_KEY_PREFIX}${uri}#${commandsHash(commands)}`;
}

export function isApproved(memento: ApprovalMemento, uri: string, commands: readonly string[]): boolean {
  return memento.get<boolean>(approvalKey(uri, commands)) === true;
}

export function rememberApproval(memento: ApprovalMemento, uri: string, commands: readonly string[]): PromiseLike<void> {
  return memento.update(approvalKey(uri, commands), true);
}
