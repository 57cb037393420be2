// `npm start`: builds the extension, installs it (as a VSIX, the way users get
// it) into a fresh code-server, opens the demo workspace and prints the URL to
// open in your browser. Stays in the foreground until Ctrl+C.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCodeServer } from './vscode/codeServer.mjs';
import { ensureCodeServer } from './vscode/ensureCodeServer.mjs';
import { packageExtension } from './vscode/packageExtension.mjs';
import { assertExtensionBuilt, demoWorkspace, extensionPath, repoRoot } from './vscode/workspace.mjs';

const PREFERRED_PORT = Number(process.env.PORT ?? 8080);

const extPath = extensionPath();
if (extPath === repoRoot) {
  const build = spawnSync('node', ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
assertExtensionBuilt(extPath);
await ensureCodeServer();

const vsixDir = mkdtempSync(path.join(os.tmpdir(), 'contracts-start-'));
// The demo folder itself, not a copy: edits made in the browser stay.
const workspace = path.resolve(process.env.CONTRACTS_WORKSPACE ?? demoWorkspace);
let server;
try {
  const vsix = packageExtension(extPath, path.join(vsixDir, 'contract-workbench.vsix'));
  server = await startCodeServer({
    workspace,
    trust: true,
    vsixFiles: [vsix],
    port: PREFERRED_PORT,
    logFile: path.join(repoRoot, '.vscode-test', 'start-code-server.log'),
  });
} finally {
  rmSync(vsixDir, { recursive: true, force: true });
}

console.log(`\nContract Workbench is running on ${workspace}`);
console.log(`  open ${server.url}/?folder=${encodeURI(workspace)}`);
console.log(`  code-server log: ${server.logFile}`);
if (server.port !== PREFERRED_PORT) console.log(`  (port ${PREFERRED_PORT} was taken)`);
console.log('  Ctrl+C stops it.');

// codeServer.mjs stops the server on Ctrl+C (SIGINT) and SIGTERM.
await server.exited;
console.log('code-server stopped');
