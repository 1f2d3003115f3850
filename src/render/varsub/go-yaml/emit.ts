// What sigs.k8s.io/yaml v1.6 JSONToYAML prints for a JSON value, i.e. the text Flux substitutes:
// kustomize's Resource.AsYAML marshals the resource to JSON and calls JSONToYAML, which decodes the
// JSON with go-yaml v2 into interface{} (maps lose their order) and encodes it again with go-yaml v2
// (go.yaml.in/yaml/v2 v2.4.4 in kustomize-controller v1.9.4). The encoder (`encode.go`) writes a
// string plain unless it would resolve to another type (then double-quoted) or contains "\n" (then a
// literal block); the emitter (`emitterc.go`) then downgrades plain to single- or double-quoted when the
// text needs it. Sequences under a mapping key are not indented ("key:\n- a").
import { childPointer } from '../json-pointer.js';
import { formatFloatG } from './format-float.js';
import { sortKeysLikeGoYaml } from './key-order.js';
import { resolvesToString } from './resolve.js';
import { analyzeScalar, type ScalarStyle, selectScalarStyle } from './scalar-analysis.js';
import { YamlWriter } from './writer.js';

export interface ScalarSpan {
  /** JSON pointer of the value, or of the member whose key this is. */
  pointer: string;
  key: boolean;
  /** The string written, and how. */
  value: string;
  style: ScalarStyle;
  /** UTF-16 range of the scalar's text in the emitted YAML (quotes and block header included). */
  start: number;
  end: number;
}

export interface EmittedYaml {
  text: string;
  scalars: ScalarSpan[];
}

interface Context {
  mapping: boolean;
  simpleKey: boolean;
}

const base60Float = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** encode.go stringv: the style the encoder asks for. */
function requestedStyle(text: string): ScalarStyle {
  if (text.includes('\n')) return 'literal';
  const canUsePlain = resolvesToString(text) && !base60Float.test(text);
  return canUsePlain ? 'plain' : 'double';
}

export function emitGoYaml(value: unknown): EmittedYaml {
  const emitter = new Emitter();
  emitter.node(value, '', { mapping: false, simpleKey: false });
  emitter.writer.indent = -1;
  emitter.writer.writeIndent();
  return { text: emitter.writer.text(), scalars: emitter.scalars };
}

class Emitter {
  readonly writer = new YamlWriter();
  readonly scalars: ScalarSpan[] = [];

  node(value: unknown, pointer: string, context: Context): void {
    if (Array.isArray(value)) this.sequence(value, pointer, context);
    else if (value !== null && typeof value === 'object')
      this.mapping(value as Record<string, unknown>, pointer);
    else this.scalar(value, pointer, false, context);
  }

  private emptyFlow(open: string, close: string): void {
    this.writer.writeIndicator(open, true, true, false);
    this.writer.writeIndicator(close, false, false, false);
  }

  private sequence(items: readonly unknown[], pointer: string, context: Context): void {
    const w = this.writer;
    if (items.length === 0) {
      this.emptyFlow('[', ']');
      return;
    }
    w.increaseIndent(false, context.mapping && !w.indention);
    items.forEach((item, index) => {
      w.writeIndent();
      w.writeIndicator('-', true, false, true);
      this.node(item, childPointer(pointer, index), { mapping: false, simpleKey: false });
    });
    w.popIndent();
  }

  private mapping(object: Record<string, unknown>, pointer: string): void {
    const w = this.writer;
    // JSON drops undefined members; so does JSON.stringify-based serialisation.
    const keys = sortKeysLikeGoYaml(Object.keys(object).filter((key) => object[key] !== undefined));
    if (keys.length === 0) {
      this.emptyFlow('{', '}');
      return;
    }
    w.increaseIndent(false, false);
    for (const key of keys) {
      const member = childPointer(pointer, key);
      w.writeIndent();
      // yaml_emitter_check_simple_key: a one-line key of at most 128 bytes.
      const simple = !/[\r\n\u0085\u2028\u2029]/.test(key) && new TextEncoder().encode(key).length <= 128;
      if (simple) {
        this.scalar(key, member, true, { mapping: true, simpleKey: true });
        w.writeIndicator(':', false, false, false);
      } else {
        w.writeIndicator('?', true, false, true);
        this.scalar(key, member, true, { mapping: true, simpleKey: false });
        w.writeIndent();
        w.writeIndicator(':', true, false, true);
      }
      this.node(object[key], member, { mapping: true, simpleKey: false });
    }
    w.popIndent();
  }

  private scalar(value: unknown, pointer: string, key: boolean, context: Context): void {
    let text: string;
    let requested: ScalarStyle = 'plain';
    if (typeof value === 'string') {
      text = value;
      requested = requestedStyle(value);
    } else if (typeof value === 'number') {
      text = Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : formatFloatG(value, 64);
    } else if (typeof value === 'boolean') {
      text = String(value);
    } else if (value === null) {
      text = 'null';
    } else {
      throw new TypeError(`cannot serialise ${typeof value} at ${pointer || '/'} as JSON`);
    }
    const cps = [...text].map((c) => c.codePointAt(0)!);
    const style = selectScalarStyle(requested, analyzeScalar(cps), cps.length === 0, context.simpleKey);
    const w = this.writer;
    w.increaseIndent(true, false);
    const [start, end] = w.writeScalar(cps, style, !context.simpleKey);
    w.popIndent();
    if (typeof value === 'string') this.scalars.push({ pointer, key, value, style, start, end });
  }
}
