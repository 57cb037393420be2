import * as vscode from 'vscode';

/** How long a move waits for VS Code to reload a clean buffer whose file another program rewrote. */
export const RELOAD_WAIT_MS = 3000;

/** Line ends aside (VS Code may normalise mixed ones), does the file on disk hold the buffer's text? */
async function diskMatches(document: vscode.TextDocument): Promise<boolean> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(document.uri);
  } catch {
    return true; // Not on disk (yet, or any more): nothing underneath to lose.
  }
  const disk = new TextDecoder('utf-8').decode(bytes); // Drops a BOM, as VS Code does.
  // A file in another encoding cannot be compared here; the save's own conflict check still guards it.
  if (disk.includes('\uFFFD')) return true;
  const lines = (text: string) => text.replace(/\r\n?/g, '\n');
  return lines(disk) === lines(document.getText());
}

/**
 * A move on a clean buffer is saved at once, so it must start from what is on
 * disk. When another program rewrote the file and VS Code has not reloaded
 * the buffer yet, wait (briefly) until it has. Returns false when the disk
 * still differs afterwards.
 */
export async function waitUntilBufferShowsDisk(document: vscode.TextDocument, timeoutMs = RELOAD_WAIT_MS): Promise<boolean> {
  if (document.isDirty || document.uri.scheme !== 'file') return true;
  const deadline = Date.now() + timeoutMs;
  while (!(await diskMatches(document))) {
    if (document.isDirty || Date.now() >= deadline) return false;
    await reloadOrTimeout(document, Math.min(250, deadline - Date.now()));
  }
  return true;
}

function reloadOrTimeout(document: vscode.TextDocument, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const listener = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === document) done();
    });
  });
}
