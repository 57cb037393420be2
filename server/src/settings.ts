import { DEFAULT_MAX_DIAGNOSTICS } from './engine/diagnostics';
import { LIMITS } from './engine/limits';

/** The server's view of the `contracts.*` settings. */
export interface ServerSettings {
  /** Extra globs for deployment contract JSON files. */
  deploymentGlobs: string[];
  /** Files larger than this are skipped with a notice. */
  maxFileSizeKB: number;
  /** Debounce between an edit and its diagnostics. */
  diagnosticsDelayMs: number;
  /** At most this many diagnostics per file are published, then one notice of how many more. */
  maxDiagnostics: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  deploymentGlobs: [],
  maxFileSizeKB: LIMITS.defaultMaxFileBytes / 1024,
  diagnosticsDelayMs: 80,
  maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS,
};

/** Reads a settings object sent by the client, keeping defaults for anything missing or malformed. */
export function readSettings(raw: unknown): ServerSettings {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const globs = Array.isArray(source.deploymentGlobs) ? source.deploymentGlobs.filter((g): g is string => typeof g === 'string' && g.length > 0) : [];
  const size = typeof source.maxFileSizeKB === 'number' && source.maxFileSizeKB > 0 ? source.maxFileSizeKB : DEFAULT_SETTINGS.maxFileSizeKB;
  const delay = typeof source.diagnosticsDelayMs === 'number' && source.diagnosticsDelayMs >= 0 ? source.diagnosticsDelayMs : DEFAULT_SETTINGS.diagnosticsDelayMs;
  const maxDiagnostics = typeof source.maxDiagnostics === 'number' && source.maxDiagnostics >= 1 ? Math.floor(source.maxDiagnostics) : DEFAULT_SETTINGS.maxDiagnostics;
  return { deploymentGlobs: globs, maxFileSizeKB: size, diagnosticsDelayMs: delay, maxDiagnostics };
}
