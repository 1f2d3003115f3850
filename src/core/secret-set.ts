/** What every secret value becomes in output. */
export const REDACTED = '<redacted>';

/** Shorter values are not scrubbed: "true" or "1234" would blank out unrelated text. */
const MIN_LENGTH = 4;
/** A prefix of a value this long, followed by a truncation mark, is the value cut short. */
const TRUNCATED_MIN_LENGTH = 12;
const TRUNCATION_MARKS = ['...', '…'];

/**
 * Every secret value a run learns (Secret data, generator inputs, substitution sources, kubeconfig
 * credentials), and the one scrubber every string that leaves the process goes through. A value is
 * recognised in each form it can take on the way out: as is, JSON- or YAML-escaped (a message
 * quoting it), with its newlines removed (Flux's substitution drops them) or folded to spaces,
 * line by line (a parser quoting one line), base64-encoded (a Secret's `data`), and as decimal
 * bytes (Go printing a `[]byte`, as kustomize does for an env file line that is not UTF-8). A
 * value cut short and marked (`...`, `…`) is recognised by its first characters.
 */
export class SecretSet {
  private readonly forms = new Set<string>();
  /** Forms by their first MIN_LENGTH characters, longest first; rebuilt after `add`. */
  private index: Map<string, string[]> | undefined;
  private firsts: Set<number> | undefined;

  get size(): number {
    return this.forms.size;
  }

  /** A secret value: text, raw bytes (a file), or a number YAML read from a Secret. */
  add(value: string | Uint8Array | number | bigint): void {
    if (typeof value === 'number' || typeof value === 'bigint') {
      this.addText(String(value));
      return;
    }
    if (typeof value === 'string') {
      this.addText(value);
      this.addBytes(Buffer.from(value, 'utf8'));
      return;
    }
    const bytes = Buffer.from(value);
    // As the text a tool prints for these bytes, decoded as fluxgate decodes every tool's output.
    this.addText(bytes.toString('utf8'));
    this.addBytes(bytes);
  }

  /** Every form this set recognises, to keep with a cached result (see `addForms`). */
  toForms(): string[] {
    return [...this.forms];
  }

  /** The forms of another set (`toForms`), as they are: each already one way a value is printed. */
  addForms(forms: Iterable<string>): void {
    for (const form of forms) this.form(form);
  }

  private addText(text: string): void {
    this.form(text);
    this.form(JSON.stringify(text).slice(1, -1));
    this.form(text.replaceAll("'", "''"));
    if (/[\r\n]/.test(text)) {
      this.form(text.replace(/\r?\n/g, ''));
      this.form(text.replace(/\r?\n/g, ' '));
      for (const line of text.split(/\r?\n/)) {
        this.form(line);
        this.form(line.trim());
      }
    }
  }

  private addBytes(bytes: Buffer): void {
    if (bytes.length < MIN_LENGTH) return;
    this.form(bytes.toString('base64'));
    this.form(bytes.toString('base64').replace(/=+$/, ''));
    // Go's %v of a []byte: "[104 105 ...]". Without the brackets, so the value's bytes are found
    // inside a longer list (a whole env file line).
    this.form([...bytes].join(' '));
  }

  private form(text: string): void {
    if (text.length < MIN_LENGTH || this.forms.has(text)) return;
    this.forms.add(text);
    this.index = undefined;
  }

  private lookup(): { index: Map<string, string[]>; firsts: Set<number> } {
    if (!this.index || !this.firsts) {
      const index = new Map<string, string[]>();
      const firsts = new Set<number>();
      for (const form of this.forms) {
        const key = form.slice(0, MIN_LENGTH);
        const list = index.get(key);
        if (list) list.push(form);
        else index.set(key, [form]);
        firsts.add(form.charCodeAt(0));
      }
      for (const list of index.values()) list.sort((a, b) => b.length - a.length);
      this.index = index;
      this.firsts = firsts;
    }
    return { index: this.index, firsts: this.firsts };
  }

  /** `text` with every occurrence of a secret value (in any of its forms) replaced by REDACTED. */
  scrub(text: string): string {
    if (this.forms.size === 0 || text.length < MIN_LENGTH) return text;
    const { index, firsts } = this.lookup();
    let out = '';
    let last = 0;
    for (let i = 0; i <= text.length - MIN_LENGTH; ) {
      const candidates = firsts.has(text.charCodeAt(i))
        ? index.get(text.slice(i, i + MIN_LENGTH))
        : undefined;
      const length = candidates ? matchAt(text, i, candidates) : 0;
      if (length === 0) {
        i++;
        continue;
      }
      out += text.slice(last, i) + REDACTED;
      i += length;
      last = i;
    }
    return last === 0 ? text : out + text.slice(last);
  }
}

/** The longest secret at `i`: a whole form, or a form's first characters cut short by a mark. */
function matchAt(text: string, i: number, candidates: readonly string[]): number {
  let best = 0;
  for (const form of candidates) {
    if (form.length <= best) break;
    if (text.startsWith(form, i)) {
      best = form.length;
      break;
    }
  }
  for (const form of candidates) {
    let n = MIN_LENGTH;
    while (n < form.length && i + n < text.length && text.charCodeAt(i + n) === form.charCodeAt(n)) n++;
    if (n > best && n >= TRUNCATED_MIN_LENGTH && TRUNCATION_MARKS.some((m) => text.startsWith(m, i + n)))
      best = n;
  }
  return best;
}
