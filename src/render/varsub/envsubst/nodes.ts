/** Literal text; `origins` holds the input byte offset of each byte (escapes removed). */
export interface TextNode {
  kind: 'text';
  bytes: Uint8Array;
  origins: Int32Array;
}

/** One `${...}` expression: the variable `param`, the operator `name` ('' when bare) and its arguments. */
export interface FuncNode {
  kind: 'func';
  param: string;
  name: string;
  args: Node[];
  /** Input byte offsets of the `$` of `${` and just past the closing `}`. */
  start: number;
  end: number;
}

export type Node = TextNode | FuncNode;

/** Messages of fluxcd/pkg envsubst `parse/parse.go`, which Flux puts in its error text verbatim. */
export const PARSE_ERRORS = {
  badSubstitution: 'bad substitution',
  missingClosingBrace: 'missing closing brace',
  parseVariableName: 'unable to parse variable name',
  parseFuncSubstitution: 'unable to parse substitution within function',
  parseDefaultFunction: 'unable to parse default function',
} as const;

export class EnvsubstSyntaxError extends Error {
  /** `offset` is the input byte offset of the `${` being parsed when the error occurred. */
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'EnvsubstSyntaxError';
  }
}
