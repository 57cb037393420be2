import { closeSync, fstatSync, linkSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reading and writing contract files for the lifecycle commands: the bytes
 * as read (to detect a change underneath), the text the engine sees (BOM
 * dropped, as editors show it), and atomic, guarded writes.
 */

export interface ReadFile {
  file: string;
  bytes: Buffer;
  /** The text without a leading BOM. */
  text: string;
  bom: boolean;
}

export function readContractFile(file: string): ReadFile {
  const bytes = readFileSync(file);
  const decoded = bytes.toString('utf8');
  const bom = decoded.charCodeAt(0) === 0xfeff;
  return { file, bytes, text: bom ? decoded.slice(1) : decoded, bom };
}

/** The bytes to write for new text, with the BOM the file had. */
export function encodeLike(read: ReadFile, text: string): Buffer {
  return Buffer.from((read.bom ? '\uFEFF' : '') + text, 'utf8');
}

/** Whether the bytes decode to UTF-8 and back unchanged; an edit of anything else would alter bytes it did not touch. */
export function isCleanUtf8(read: ReadFile): boolean {
  return Buffer.from(read.bytes.toString('utf8'), 'utf8').equals(read.bytes);
}

/** Whether `file` still holds exactly `expected`. */
export function stillHolds(file: string, expected: Buffer): boolean {
  try {
    return readFileSync(file).equals(expected);
  } catch {
    return false;
  }
}

/**
 * Writes `next` to `file` through a temporary file and a rename, only if the
 * file still holds `expected`; false (nothing written) when it does not.
 */
export function writeIfUnchanged(file: string, expected: Buffer, next: Buffer): boolean {
  if (!stillHolds(file, expected)) return false;
  const temp = temporaryBeside(file);
  writeFileSync(temp, next, { mode: statSync(file).mode & 0o7777 });
  // The last look before the rename: a writer that came in meanwhile wins, we do not.
  if (!stillHolds(file, expected)) {
    unlinkSync(temp);
    return false;
  }
  renameSync(temp, file);
  return true;
}

/** Creates `file` with `bytes`, atomically, failing with EEXIST when it exists. */
export function createExclusive(file: string, bytes: Buffer, mode?: number): void {
  const temp = temporaryBeside(file);
  writeFileSync(temp, bytes, mode === undefined ? undefined : { mode });
  try {
    linkSync(temp, file);
  } finally {
    unlinkSync(temp);
  }
}

/** Appends one line to a JSONL file, adding a line break first when its last line lacks one. */
export function appendLine(file: string, line: string): void {
  let prefix = '';
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
    } finally {
      closeSync(fd);
    }
  } catch {
    // No ledger yet: it starts with this line.
  }
  writeFileSync(file, `${prefix}${line}\n`, { flag: 'a' });
}

function temporaryBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.contracts-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
}
