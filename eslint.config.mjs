// ESLint holds the layers (which folder may import what) and keeps dead code out.
// `npm run lint` runs it after the type check; `npm test` runs `npm run lint`'s checks first.
import tseslint from 'typescript-eslint';

const EDITOR_AND_LSP = ['vscode', 'vscode-*', 'vscode-*/**'];
const FILES_AND_PROCESSES = ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'child_process', 'node:child_process'];

/** `no-restricted-imports` for one folder: module patterns it may not import, and why. */
function restrict(files, groups) {
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'bench/generated/**', 'test-results/**', 'server/src/engine/precompiledValidators.ts', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused code is an error; a leading underscore marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  restrict(
    ['server/src/engine/**/*.ts'],
    [
      [EDITOR_AND_LSP, 'The engine is editor-free: no vscode or LSP packages (the feature modules and the server convert its results).'],
      [FILES_AND_PROCESSES, 'The engine reads no files and runs no processes: it is given a FileAccess (engine/files.ts).'],
    ],
  ),
  restrict(['client/**/*.ts'], [[['**/server/**', 'server/**'], 'The client imports nothing from server/: it asks the language server (shared/protocol.ts).']]),
  restrict(['server/src/features/**/*.ts'], [[FILES_AND_PROCESSES, 'Feature modules are pure functions of the analysis: files come through the FeatureContext.']]),
);
