import { setFlagsFromString } from 'node:v8';

/**
 * V8's flags for the CLI's commands, set before the bundle is compiled (V8 takes a code cache only with the
 * flags it was made with: dist/cli.cache, made by a `check`) and before any code is hot; process-wide, so
 * the workers of `check --jobs` get them. Each command but `mcp` is a short run of many analyses of the same
 * shapes: TurboFan's inlining costs it more compile time (on V8's threads, and again in each worker's
 * isolate) than the inlined code saves, about a quarter of `check`'s CPU (docs/performance.md). `mcp`, a
 * long-lived server, and the language server keep V8's defaults.
 */
export function setCliV8Flags(args: readonly string[]): void {
  if (args[0] !== undefined && args[0] !== 'mcp') setFlagsFromString('--no-turbo-inlining');
}
