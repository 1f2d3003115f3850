export { type CheckSchemasOptions, checkSchemas, type SchemaTarget } from './check-schemas.js';
export { SchemaCompiler } from './compiler.js';
export type { CrdSource } from './repo-crds.js';
export {
  runSchemaCheck,
  type SchemaCheckInput,
  type SchemaRunOptions,
  schemaCheck,
} from './run-schema-check.js';
export { defaultCacheDir, SchemaStore, type SchemaStoreOptions } from './schema-store.js';
