// `npm start`: sets up what is missing (npm dependencies, code-server), builds
// the extension, installs it (as a VSIX, the way users get it) into a fresh
// code-server, opens the demo workspace and prints the URL to open in your
// browser. Stays in the foreground until Ctrl+C.
//   npm start -- --smoke   start on a free port, check in Chromium that the
//                          Contracts view shows the demo tasks, print the URL,
//                          stop everything; exit 0 when the check passed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBundle, checkSystem, ensureDependencies } from './setup.mjs';

const smoke = process.argv.includes('--smoke');
// Set-up first, so a fresh clone needs no other command. Only the smoke check needs a browser here.
checkSystem(smoke ? 'npm start -- --smoke' : 'npm start', { codeServer: true, browser: smoke });
ensureDependencies();

const { startCodeServer } = await import('./vscode/codeServer.mjs');
const { ensureCodeServer } = await import('./vscode/ensureCodeServer.mjs');
const { packageExtension } = await import('./vscode/packageExtension.mjs');
const { assertExtensionBuilt, demoWorkspace, extensionPath, prepareWorkspace, repoRoot } = await import('./vscode/workspace.mjs');

const PREFERRED_PORT = smoke ? 0 : Number(process.env.PORT ?? 8080);

const extPath = extensionPath();
if (extPath === repoRoot && !buildBundle()) process.exit(1);
assertExtensionBuilt(extPath);
await ensureCodeServer();

const vsixDir = mkdtempSync(path.join(os.tmpdir(), 'contracts-start-'));
// The demo folder itself, not a copy: edits made in the browser stay. The smoke check works on a copy.
const workspace = smoke ? prepareWorkspace('smoke') : path.resolve(process.env.CONTRACTS_WORKSPACE ?? demoWorkspace);
let server;
try {
  const vsix = packageExtension(extPath, path.join(vsixDir, 'contract-workbench.vsix'));
  server = await startCodeServer({
    workspace,
    trust: true,
    vsixFiles: [vsix],
    port: PREFERRED_PORT,
    logFile: path.join(repoRoot, '.vscode-test', smoke ? 'smoke-code-server.log' : 'start-code-server.log'),
  });
} finally {
  rmSync(vsixDir, { recursive: true, force: true });
}
const url = `${server.url}/?folder=${encodeURI(workspace)}`;

if (smoke) {
  let failure;
  try {
    const { checkWorkbench } = await import('./vscode/smoke.mjs');
    const started = Date.now();
    const { screenshot } = await checkWorkbench(url);
    console.log(`\nsmoke: ${url}`);
    console.log(`  the workbench loaded and the Contracts view shows the demo tasks (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    console.log(`  screenshot: ${screenshot}`);
  } catch (err) {
    failure = err;
  } finally {
    await server.stop();
    rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
  if (failure) {
    console.error(`\nsmoke: FAILED on ${url}\n  ${failure.message}\n  code-server log: ${server.logFile}`);
    process.exit(1);
  }
  console.log('smoke: passed; code-server stopped');
  process.exit(0);
}

console.log(`\nContract Workbench is running on ${workspace}`);
console.log(`  open ${url}`);
console.log(`  code-server log: ${server.logFile}`);
if (server.port !== PREFERRED_PORT) console.log(`  (port ${PREFERRED_PORT} was taken)`);
console.log('  Ctrl+C stops it.');

// codeServer.mjs stops the server on Ctrl+C (SIGINT) and SIGTERM.
await server.exited;
console.log('code-server stopped');
