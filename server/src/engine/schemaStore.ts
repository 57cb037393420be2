import type { ErrorObject, ValidateFunction } from 'ajv';
import { precompiledValidators } from './precompiledValidators';
import type { SchemaId } from './schemaCatalog';

export * from './schemaCatalog';

/**
 * Validation with our schemas. The validators are ajv's standalone code,
 * generated at build time (`scripts/validators.mjs`, run by `esbuild.mjs` and
 * the test build) from `validatorSchemas()`: nothing compiles a schema at run
 * time, so neither the server nor the CLI nor each of its worker threads pays
 * ajv's compile (about 350 ms of CPU) or loads ajv's compiler.
 * `test/unit/schemaValidation.test.ts` proves the generated code gives the
 * errors of ajv compiling the schemas at run time.
 */
const validators: Record<string, ValidateFunction> = precompiledValidators;

/** Validates a plain value against one of our schemas. */
export function validateWithSchema(schemaId: SchemaId, value: unknown): ErrorObject[] {
  return validateWith(schemaId, value);
}

/** Validates a plain value with the validator `key` (a schema id, or an `itemsValidatorKey`). */
export function validateWith(key: string, value: unknown): ErrorObject[] {
  const validate = validators[key];
  if (!validate) throw new Error(`No validator ${key}: validatorSchemas() lists every validator the engine uses (rebuild with node scripts/validators.mjs)`);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
