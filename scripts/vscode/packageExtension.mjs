// Packages the extension as a VSIX with @vscode/vsce (works offline), so the
// workbench loads it as an installed extension, exactly as users get it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './ensureCodeServer.mjs';

/** @returns {string} the VSIX path (`outFile`) */
export function packageExtension(extPath, outFile) {
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const started = Date.now();
  const result = spawnSync(
    vsce,
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', outFile],
    // No stdin: a vsce prompt fails at once instead of hanging the run.
    { cwd: extPath, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0 || !existsSync(outFile)) {
    throw new Error(`vsce package failed in ${extPath}:\n${result.stdout}${result.stderr}`);
  }
  console.log(`[vsix] packaged ${path.basename(outFile)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return outFile;
}
