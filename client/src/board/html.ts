import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The board webview's page: a strict Content Security Policy (nothing remote,
 * the one script by nonce, styles and the codicon font from the extension's
 * own `dist/webview/`), and no markup but the root the script fills.
 */
export function boardHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}">
<link rel="stylesheet" href="${asset('board-style.css')}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="board" aria-label="${escapeHtml(title)}"></main>
<script nonce="${nonce}" src="${asset('board.js')}"></script>
</body>
</html>`;
}

/** The folder the webview may load from. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
