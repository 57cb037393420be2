import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signature, type Failure } from './checks';
import { loadCorpus, type SeedDocument } from './corpus';
import { checkEngine, EngineWorkspace, everyOffset, type FuzzDocument } from './engineCheck';
import { mutate } from './mutate';
import { Random } from './random';
import { ServerDriver } from './serverCheck';
import { shrink } from './shrink';

/** Where the engine sees the fuzz workspace: seed paths hang under it. */
export const ENGINE_ROOT = '/fuzz';

export interface FuzzOptions {
  iterations: number;
  seed: number;
  /** Drive a live `dist/server.js` too (default true). */
  server?: boolean;
  /** Save shrunk failing cases here (e.g. test/fixtures/fuzz); nothing is saved when unset. */
  saveDir?: string;
  repoRoot: string;
  log?: (line: string) => void;
}

/** A saved regression case: the shrunk document and what went wrong with it. */
export interface FuzzCaseFile {
  /** Path inside the fuzz workspace; it decides how the document is classified. */
  relativePath: string;
  text: string;
  failure: Failure;
  signature: string;
  seed: number;
  caseIndex: number;
  mutations: string[];
  originalLength: number;
}

export interface FuzzReport {
  cases: number;
  seed: number;
  /** One entry per distinct failure (same kind, place and message shape). */
  failures: FuzzCaseFile[];
  /** How many cases failed, repeats of one bug included. */
  failedCases: number;
  savedFiles: string[];
  summary: string;
}

/** Probe offsets for a shrunk candidate: every offset of a short text, plus the original probes where they still fit. */
function probesFor(text: string, original: number[]): number[] {
  return [...new Set([...everyOffset(text, 200), ...original.map((o) => Math.min(o, text.length))])];
}

export function engineDocument(seed: Pick<SeedDocument, 'relativePath'>, text: string): FuzzDocument {
  return { path: `${ENGINE_ROOT}/${seed.relativePath}`, text };
}

/** One generated case. */
export interface FuzzCase {
  caseIndex: number;
  seed: SeedDocument;
  text: string;
  steps: string[];
  /** Offsets where completion, hover and definition are asked. */
  probes: number[];
}

/** The cases of a seed, in order; the same seed always gives the same cases. */
export function* generateCases(corpus: SeedDocument[], seed: number, iterations: number): Generator<FuzzCase> {
  const random = new Random(seed);
  for (let caseIndex = 0; caseIndex < iterations; caseIndex++) {
    const caseRandom = random.fork();
    const document = caseRandom.pick(corpus);
    const { text, steps } = mutate(document.text, caseRandom);
    const probes = [caseRandom.int(text.length + 1), caseRandom.int(text.length + 1), caseRandom.int(text.length + 1)];
    yield { caseIndex, seed: document, text, steps, probes };
  }
}

/**
 * Mutates seed documents `iterations` times and checks each result through
 * the engine and (optionally) a live server. Deterministic for a seed.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => undefined);
  const corpus = loadCorpus(options.repoRoot);
  const workspace = new EngineWorkspace(Object.fromEntries(corpus.map((seed) => [engineDocument(seed, '').path, seed.text])));
  const server = options.server === false ? undefined : new ServerDriver(corpus);
  const distinct = new Map<string, FuzzCaseFile>();
  let failedCases = 0;

  try {
    for (const { caseIndex, seed, text, steps, probes } of generateCases(corpus, options.seed, options.iterations)) {
      const found: Failure[] = [];
      const engineFailure = checkEngine(engineDocument(seed, text), probes, workspace);
      if (engineFailure) found.push(engineFailure);
      const serverFailure = server && (await server.check(seed.relativePath, text, probes));
      if (serverFailure) found.push(serverFailure);
      if (found.length) failedCases++;

      for (const failure of found) {
        const key = signature(failure);
        if (distinct.has(key)) continue;
        log(`case ${caseIndex} (${seed.relativePath}, ${steps.join(' + ')}): ${key}`);
        const stillFails = async (candidate: string): Promise<boolean> => {
          const again = failure.where.startsWith('engine')
            ? checkEngine(engineDocument(seed, candidate), probesFor(candidate, probes), workspace)
            : await server!.check(seed.relativePath, candidate, probes.map((o) => Math.min(o, candidate.length)));
          return !!again && signature(again) === key;
        };
        const slow = failure.kind === 'timeout' || failure.where === 'server';
        const shrunk = await shrink(text, stillFails, slow ? 40 : 400);
        log(`  shrunk ${text.length} → ${shrunk.length} characters`);
        distinct.set(key, { relativePath: seed.relativePath, text: shrunk, failure, signature: key, seed: options.seed, caseIndex, mutations: steps, originalLength: text.length });
      }
      if ((caseIndex + 1) % 100 === 0) log(`${caseIndex + 1} cases, ${failedCases} failed`);
    }
  } finally {
    await server?.stop();
  }

  const failures = [...distinct.values()];
  const savedFiles = options.saveDir ? failures.map((failure) => saveCase(options.saveDir!, failure)) : [];
  const summary = `fuzz: ${options.iterations} cases, ${failedCases} failures (seed ${options.seed})`;
  return { cases: options.iterations, seed: options.seed, failures, failedCases, savedFiles, summary };
}

/** Writes one case as JSON (any character survives: NULs, BOMs, lone surrogates), named by its signature. */
function saveCase(folder: string, failure: FuzzCaseFile): string {
  mkdirSync(folder, { recursive: true });
  const slug = `${failure.failure.kind}-${createHash('sha1').update(failure.signature).digest('hex').slice(0, 10)}`;
  const file = path.join(folder, `${slug}.json`);
  writeFileSync(file, JSON.stringify(failure, null, 2) + '\n');
  return file;
}
