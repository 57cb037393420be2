import { LIMITS } from './engine/limits';

/** The server's view of the `contracts.*` settings. */
export interface ServerSettings {
  /** Extra globs for deployment contract JSON files. */
  deploymentGlobs: string[];
  /** Files larger than this are skipped with a notice. */
  maxFileSizeKB: number;
  /** Debounce between an edit and its diagnostics. */
  diagnosticsDelayMs: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  deploymentGlobs: [],
  maxFileSizeKB: LIMITS.defaultMaxFileBytes / 1024,
  diagnosticsDelayMs: 80,
};

/** Reads a settings object sent by the client, keeping defaults for anything missing or malformed. */
export function readSettings(raw: unknown): ServerSettings {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const globs = Array.isArray(source.deploymentGlobs) ? source.deploymentGlobs.filter((g): g is string => typeof g === 'string' && g.length > 0) : [];
  const size = typeof source.maxFileSizeKB === 'number' && source.maxFileSizeKB > 0 ? source.maxFileSizeKB : DEFAULT_SETTINGS.maxFileSizeKB;
  const delay = typeof source.diagnosticsDelayMs === 'number' && source.diagnosticsDelayMs >= 0 ? source.diagnosticsDelayMs : DEFAULT_SETTINGS.diagnosticsDelayMs;
  return { deploymentGlobs: globs, maxFileSizeKB: size, diagnosticsDelayMs: delay };
}
