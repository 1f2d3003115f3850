import { Ajv, type ValidateFunction } from 'ajv';
import { OBJECT_META } from './object-meta.js';
import { type ConvertContext, toAjv } from './to-ajv.js';
import type { KindSchema, SchemaSet } from './types.js';

const OBJECT_META_ID = 'fluxgate://builtin/ObjectMeta';

const refId = (set: SchemaSet, name: string) =>
  `fluxgate://${encodeURIComponent(set.id)}/${encodeURIComponent(name)}`;

/**
 * One ajv instance per run: each schema set's definitions are added once (compiled on first
 * use and shared), each kind's validator is compiled once.
 */
export class SchemaCompiler {
  private readonly ajv = new Ajv({
    strict: false,
    allErrors: true,
    // parentSchema on errors: the allowed field names for "did you mean".
    verbose: true,
    validateSchema: false,
    validateFormats: false,
    // RE2 patterns without JavaScript's unicode-mode escaping rules.
    unicodeRegExp: false,
  });
  private readonly sets = new Set<string>();
  private readonly validators = new Map<string, ValidateFunction | Error>();

  constructor() {
    this.ajv.addSchema(toAjv(OBJECT_META, this.context({ id: 'builtin' } as SchemaSet)), OBJECT_META_ID);
  }

  private context(set: SchemaSet): ConvertContext {
    return { refId: (name) => refId(set, name), objectMetaId: OBJECT_META_ID };
  }

  private addSet(set: SchemaSet): void {
    if (this.sets.has(set.id)) return;
    this.sets.add(set.id);
    if (set.dialect !== 'structural') return;
    const ctx = this.context(set);
    for (const [name, def] of Object.entries(set.definitions))
      this.ajv.addSchema(toAjv(def, ctx), refId(set, name));
  }

  /** The validator of a kind's schema (throws when the schema does not compile). */
  validator(kind: KindSchema): ValidateFunction {
    const key = `${kind.set.id}\n${kind.ref}`;
    let cached = this.validators.get(key);
    if (!cached) {
      try {
        cached = this.compile(kind);
      } catch (error) {
        cached = error instanceof Error ? error : new Error(String(error));
      }
      this.validators.set(key, cached);
    }
    if (cached instanceof Error) throw cached;
    return cached;
  }

  private compile(kind: KindSchema): ValidateFunction {
    const def = kind.set.definitions[kind.ref];
    if (!def) throw new Error(`no definition ${kind.ref} in ${kind.set.origin}`);
    if (kind.set.dialect === 'json-schema') {
      // kubeconform's files name draft-04 (`$schema`) and carry ids of their own.
      const { $schema: _s, id: _i, $id: _d, ...rest } = def as Record<string, unknown>;
      return this.ajv.compile(rest);
    }
    this.addSet(kind.set);
    return this.ajv.compile(toAjv(def, this.context(kind.set), { root: true }));
  }
}
