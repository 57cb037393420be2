import type { DocumentSelector } from 'vscode-languageclient/node';

/** Board files, v2 task files and deployment JSON: the files the server understands. */
export const BOARD_FILE_GLOB = '**/{brainfile.md,.brainfile.md,brainfile-archive.md,brainfile.*.md,*.bb.md}';
export const TASK_FILE_GLOB = '**/{board,logs}/*.md';

export function documentSelector(): DocumentSelector {
  return [
    { language: 'markdown', pattern: BOARD_FILE_GLOB },
    { language: 'markdown', pattern: TASK_FILE_GLOB },
    // A v2 board's ledger of completed tasks (JSON Lines, whatever language VS Code gives it).
    { pattern: '**/logs/ledger.jsonl' },
    // Any JSON may name our schema in `$schema`; the server ignores the rest cheaply.
    { language: 'json' },
    { language: 'jsonc', pattern: '**/*.json' },
  ];
}

/** Deleted folders, which the file glob below does not match: their boards must leave the tree. */
export const DELETED_FOLDERS_GLOB = '**/*';

/** Files whose changes on disk the server must hear about. */
export const WATCHED_FILES_GLOB = '**/{brainfile.md,.brainfile.md,brainfile-archive.md,brainfile.*.md,*.bb.md,board/*.md,logs/*.md,logs/ledger.jsonl,*.json}';
