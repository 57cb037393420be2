// Bundles the extension client, the language server, the CLI and the board
// webview's script and styles (for the browser, with the codicon font beside them).
// Types are checked apart, by `tsc --noEmit` (npm run lint).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { buildValidators } from './scripts/validators.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entryPoints = {
  client: 'client/src/extension.ts',
  server: 'server/src/server.ts',
  // `contracts`: a loader that starts the CLI (cli-main) from V8's code cache of it, written below.
  cli: 'server/src/cliLoader.ts',
  'cli-main': 'server/src/cli.ts',
};

// The schema validators, as ajv standalone code (server/src/engine/precompiledValidators.ts), before the bundles that use them.
await buildValidators();

const context = await esbuild.context({
  entryPoints,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  // jsonc-parser's UMD build hides its requires from esbuild; take its ES module build.
  mainFields: ['module', 'main'],
});

// The board webview runs in the browser: no Node, no vscode module, one IIFE.
const webviewEntries = { board: 'client/webview/board.ts', 'board-style': 'client/webview/board.css' };
const webview = await esbuild.context({
  entryPoints: webviewEntries,
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  outdir: 'dist/webview',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
});
mkdirSync('dist/webview', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/webview/${file}`);

/**
 * dist/cli.cache: V8's code cache of the CLI bundle, made by a check of the examples in a fresh process (so it
 * holds the code a check runs). Only this Node and the same V8 flags take it (dist/cli.js falls back on another);
 * a rebuild in watch mode leaves it behind, and the loader then sees it is not that bundle's.
 */
function writeCliCodeCache() {
  rmSync('dist/cli.cache', { force: true });
  const script = "require('./dist/cli.js').writeCodeCache('dist/cli-main.js', 'dist/cli.cache', ['check', 'examples', '--format', 'json'])";
  const made = spawnSync(process.execPath, ['-e', script], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error('esbuild: writing dist/cli.cache failed');
}

if (watch) {
  await context.watch();
  await webview.watch();
  console.log('esbuild: watching…');
} else {
  await context.rebuild();
  await context.dispose();
  await webview.rebuild();
  await webview.dispose();
  writeCliCodeCache();
  const sizes = [...Object.keys(entryPoints).map((name) => `dist/${name}.js`), 'dist/webview/board.js'].map((file) => `${file.replace(/^dist\//, '')} ${(statSync(file).size / 1024).toFixed(0)} KB`);
  console.log(`esbuild: ${production ? 'production' : 'development'} bundles: ${sizes.join(', ')}`);
}
