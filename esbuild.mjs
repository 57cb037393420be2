// Bundles the extension client, the language server, the CLI and the board
// webview's script and styles (for the browser, with the codicon font beside them).
// Types are checked apart, by `tsc --noEmit` (npm run lint).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { buildValidators } from './scripts/validators.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entryPoints = {
  client: 'client/src/extension.ts',
  server: 'server/src/server.ts',
  cli: 'server/src/cli.ts',
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

if (watch) {
  await context.watch();
  await webview.watch();
  console.log('esbuild: watching…');
} else {
  await context.rebuild();
  await context.dispose();
  await webview.rebuild();
  await webview.dispose();
  const sizes = [...Object.keys(entryPoints).map((name) => `dist/${name}.js`), 'dist/webview/board.js'].map((file) => `${file.replace(/^dist\//, '')} ${(statSync(file).size / 1024).toFixed(0)} KB`);
  console.log(`esbuild: ${production ? 'production' : 'development'} bundles: ${sizes.join(', ')}`);
}
