import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { codeIdentity } from '../cache/code-identity.js';
import { ContentStore, contentKey } from '../cache/store.js';
import { BoundedMap } from '../core/bounded-map.js';
import { OBJECT_META } from './object-meta.js';
import { type ConvertContext, toAjv } from './to-ajv.js';
import type { KindSchema, SchemaSet } from './types.js';

const standaloneCode = standaloneModule.default;

const OBJECT_META_ID = 'fluxgate://builtin/ObjectMeta';

const refId = (set: SchemaSet, name: string) =>
  `fluxgate://${encodeURIComponent(set.id)}/${encodeURIComponent(name)}`;

/**
 * One ajv instance per run: each schema set's definitions are added once (compiled on first
 * use and shared), each kind's validator is compiled once.
 */
export class SchemaCompiler {
  private ajvInstance: Ajv | undefined;
  private readonly sets = new Set<string>();
  private readonly validators = new Map<string, ValidateFunction | Error>();
  private readonly store: ContentStore | undefined;

  /** `cacheDir`: compiled validators are kept there (ajv standalone code), by schema content. */
  constructor(options: { cacheDir?: string | undefined } = {}) {
    this.store = options.cacheDir ? new ContentStore(options.cacheDir, 'validators') : undefined;
  }

  /** Made on the first compile: a run whose validators are all cached needs no ajv instance. */
  private get ajv(): Ajv {
    if (!this.ajvInstance) {
      this.ajvInstance = new Ajv({
        strict: false,
        allErrors: true,
        // parentSchema on errors: the allowed field names for "did you mean".
        verbose: true,
        validateSchema: false,
        validateFormats: false,
        // RE2 patterns without JavaScript's unicode-mode escaping rules.
        unicodeRegExp: false,
        // The generated code is kept, to be cached (ajv standalone).
        ...(this.store ? { code: { source: true } } : {}),
      });
      this.ajvInstance.addSchema(
        toAjv(OBJECT_META, this.context({ id: 'builtin' } as SchemaSet)),
        OBJECT_META_ID,
      );
    }
    return this.ajvInstance;
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
        cached = this.cached(kind);
      } catch (error) {
        cached = error instanceof Error ? error : new Error(String(error));
      }
      this.validators.set(key, cached);
    }
    if (cached instanceof Error) throw cached;
    return cached;
  }

  /**
   * A validator from the cache, else compiled and cached. The key is this fluxgate (whose code
   * and bundled schemas fix the bundled sets) and, for other sets (repository CRDs, fetched
   * files), their definitions.
   */
  private cached(kind: KindSchema): ValidateFunction {
    if (!this.store) return this.compile(kind);
    const bundled = kind.set.origin.startsWith('bundled ');
    const key = contentKey(
      'validator',
      codeIdentity(),
      kind.set.id,
      kind.ref,
      kind.set.dialect ?? '',
      bundled ? '' : JSON.stringify(kind.set.definitions),
    );
    const loaded = standalone.get(key);
    if (loaded) return loaded;
    const code = this.store.get<string>(key);
    if (typeof code === 'string') {
      try {
        const validate = loadStandalone(code);
        standalone.set(key, validate);
        return validate;
      } catch {
        // a broken entry: compile again
      }
    }
    const validate = this.compile(kind);
    try {
      this.store.set(key, standaloneCode(this.ajv, validate));
    } catch {
      // Not every schema has standalone code: it is just not cached.
    }
    return validate;
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

const runtimeRequire = createRequire(import.meta.url);

/**
 * Validators loaded from cached code in this process, by cache key (content: never stale): a
 * long-lived process (the daemon) evaluates each one once. Validators keep no state between calls
 * but `errors` of the last one.
 */
const standalone = new BoundedMap<string, ValidateFunction>(2000);

/** Ajv standalone code (CommonJS, requiring ajv's small runtime helpers) as a validate function. */
function loadStandalone(code: string): ValidateFunction {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', 'require', code)(module, module.exports, runtimeRequire);
  const exported = module.exports as { default?: unknown } | ((data: unknown) => boolean);
  const fn = typeof exported === 'function' ? exported : exported.default;
  if (typeof fn !== 'function') throw new Error('not a validator');
  return fn as ValidateFunction;
}
