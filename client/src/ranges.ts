import * as vscode from 'vscode';
import type { Range } from 'vscode-languageclient/node';

/** An LSP range from the server (a task's or its id's) as a VS Code range. */
export function toVscodeRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
