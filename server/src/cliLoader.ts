#!/usr/bin/env node
// `contracts` as installed (dist/cli.js): starts the CLI bundle (dist/cli-main.js) from V8's code cache of it
// (dist/cli.cache, written by the build after a check of the examples), so that neither the process nor each
// worker of `check --jobs` parses and compiles the bundle's code again: about 50–70 ms of CPU per thread
// (docs/performance.md, "The CLI's code cache"). Node 20 has no code cache of its own for CommonJS. A cache
// that is not this bundle's, is damaged, or was made by another Node or with other V8 flags is not used:
// the bundle is then compiled as Node would.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import { isMainThread, workerData } from 'node:worker_threads';
import { setCliV8Flags } from './cliFlags';

/** The cache file: this tag, the SHA-1 of the bundle it was made from and of V8's data, then V8's data. */
const TAG = Buffer.from('contracts-code-cache-1\n');
const SHA1_BYTES = 20;

const sha1 = (bytes: Uint8Array): Buffer => createHash('sha1').update(bytes).digest();

/** The cache file's content for `bundle` (its bytes) and V8's `data`. */
export function cacheFileContent(bundle: Uint8Array, data: Uint8Array): Buffer {
  return Buffer.concat([TAG, sha1(bundle), sha1(data), data]);
}

/** V8's data from a cache file's content, if it was made from exactly `bundle` and is whole. */
export function cachedDataFor(bundle: Uint8Array, content: Buffer): Buffer | undefined {
  const data = content.subarray(TAG.length + 2 * SHA1_BYTES);
  const bundleHash = content.subarray(TAG.length, TAG.length + SHA1_BYTES);
  const dataHash = content.subarray(TAG.length + SHA1_BYTES, TAG.length + 2 * SHA1_BYTES);
  if (content.length <= TAG.length + 2 * SHA1_BYTES || !content.subarray(0, TAG.length).equals(TAG)) return undefined;
  return sha1(bundle).equals(bundleHash) && sha1(data).equals(dataHash) ? data : undefined;
}

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** Whether V8 took the code cache (false without one, or when it was refused). */
  cached: boolean;
  script: Script;
}

/**
 * Runs a CommonJS bundle through `vm.Script` with its code cache from `cacheFile`, if any fits: what
 * Node's `require` does, but with V8's cached data. `entry` is the bundle's `__filename`: the script
 * worker threads start from (this loader, so that they take the cache too).
 */
export function loadBundle(bundle: string, cacheFile: string | undefined, entry?: string): LoadedBundle {
  const bundleFile = path.resolve(bundle);
  const bytes = readFileSync(bundleFile);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = cachedDataFor(bytes, readFileSync(cacheFile));
    } catch {
      // no cache: compiled as usual
    }
  }
  // A script, unlike a module, may not start with `#!`: commented out, keeping lines and columns.
  const source = bytes.toString('utf8').replace(/^#!/, '//');
  const script = new Script(wrap(source), { filename: bundleFile, cachedData });
  const module = { exports: {} as Record<string, unknown>, filename: bundleFile };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(bundleFile), module, entry ?? bundleFile, path.dirname(bundleFile));
  return { exports: module.exports, cached: cachedData !== undefined && !script.cachedDataRejected, script };
}

/**
 * Writes the code cache of `bundleFile` after running the CLI with `args` in this process (a
 * fresh one, so that the flags are the CLI's), so that it holds the code of the functions a
 * run calls, not only the bundle's top level. For the build (esbuild.mjs).
 */
export async function writeCodeCache(bundleFile: string, cacheFile: string, args: string[]): Promise<void> {
  setCliV8Flags(args);
  const { exports, script } = loadBundle(bundleFile, undefined);
  const main = exports.main as (argv: string[], io: { cwd: string; out(text: string): void; err(text: string): void }) => Promise<number>;
  await main(args, { cwd: process.cwd(), out: () => undefined, err: () => undefined });
  writeFileSync(cacheFile, cacheFileContent(readFileSync(bundleFile), script.createCachedData()));
}

// As `contracts`, and as each worker thread of `check --jobs` (which starts from this file too).
if (isMainThread ? require.main === module : (workerData as { contractsCheckWorker?: boolean } | undefined)?.contractsCheckWorker) {
  if (isMainThread) setCliV8Flags(process.argv.slice(2));
  const { exports } = loadBundle(path.join(__dirname, 'cli-main.js'), path.join(__dirname, 'cli.cache'), __filename);
  if (isMainThread) (exports.run as () => void)();
}
