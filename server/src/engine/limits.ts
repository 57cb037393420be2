/** Limits that keep hostile input (alias bombs, deep nesting) from freezing the server. */
export const LIMITS = {
  /** Deeper values are not checked. Real boards nest about 8 levels. */
  maxDepth: 128,
  /** Values that aliases may expand to before we stop (billion laughs). */
  maxAliasExpansion: 100_000,
  /** Default size limit in bytes; the `contracts.maxFileSizeKB` setting overrides it. */
  defaultMaxFileBytes: 5 * 1024 * 1024,
};
