// `npm run package`: writes contract-workbench-<version>.vsix with @vscode/vsce
// (offline) and prints its size. Run after `node esbuild.mjs --production`.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageExtension } from './vscode/packageExtension.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${name}-${version}.vsix`);
packageExtension(root, out);
const bundles = ['client', 'server', 'cli'].map((b) => `${b}.js ${(statSync(path.join(root, 'dist', `${b}.js`)).size / 1024).toFixed(0)} KB`);
console.log(`VSIX: ${path.basename(out)} ${(statSync(out).size / 1024).toFixed(0)} KB (bundles: ${bundles.join(', ')})`);
