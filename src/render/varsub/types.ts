export interface SubstituteOptions {
  /**
   * kustomize-controller's `StrictPostBuildSubstitutions` feature gate (on by default since Flux 2.9):
   * a variable that is not defined fails the build unless its operator supplies a default.
   */
  strict: boolean;
}

/** Variables by name; only own properties count (a var named `constructor` is undefined unless set). */
export type Vars = Readonly<Record<string, string>>;

export interface UndefinedVar {
  name: string;
  /** UTF-16 index (JavaScript string index) of the `$` of `${` in the input. */
  offset: number;
}

/** A `${...}` expression, or a `$$` escape (no vars), and the text that replaced it; UTF-16 indices. */
export interface Replacement {
  inputStart: number;
  inputEnd: number;
  outputStart: number;
  outputEnd: number;
  vars: string[];
}

export interface VarsubSyntaxError {
  /** envsubst's message, e.g. "bad substitution"; Flux prefixes it (see fluxError). */
  message: string;
  /** UTF-16 index of the `${` being parsed. */
  offset: number;
}

export interface SubstituteResult {
  /** The substituted text; on a syntax error, the input unchanged (as envsubst.Eval returns it). */
  output: string;
  /** Strict mode only: every undefined reference, in the order envsubst evaluates them. */
  undefinedVars: UndefinedVar[];
  replacements: Replacement[];
  syntaxError?: VarsubSyntaxError;
  /** Set when a string function panicked in Go (e.g. `${v:1:-5}`); Flux fails the reconciliation. */
  panic?: { message: string; offset: number };
  /** The output bytes are not valid UTF-8 (a substring cut a character); go-yaml would reject them. */
  invalidUtf8?: boolean;
}
