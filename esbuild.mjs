// Bundles the extension client, the language server and the CLI.
// Types are checked apart, by `tsc --noEmit` (npm run lint).
import * as esbuild from 'esbuild';
import { statSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entryPoints = {
  client: 'client/src/extension.ts',
  server: 'server/src/server.ts',
  cli: 'server/src/cli.ts',
};

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

if (watch) {
  await context.watch();
  console.log('esbuild: watching…');
} else {
  await context.rebuild();
  await context.dispose();
  const sizes = Object.keys(entryPoints).map((name) => `${name}.js ${(statSync(`dist/${name}.js`).size / 1024).toFixed(0)} KB`);
  console.log(`esbuild: ${production ? 'production' : 'development'} bundles: ${sizes.join(', ')}`);
}
