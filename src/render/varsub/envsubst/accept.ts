// The rune filters of fluxcd/pkg envsubst `parse/scan.go`; `i` is the byte distance from the token start
// after reading the rune, so `i === 1` means "the first byte-wide rune".
import { isGoDigit, isGoLetter } from '../utf8.js';
import type { AcceptFn } from './scanner.js';

const is = (r: number, char: string): boolean => r === char.charCodeAt(0);

export const acceptRune: AcceptFn = () => true;
export const acceptIdent: AcceptFn = (r) => isGoLetter(r) || isGoDigit(r) || is(r, '_');
export const acceptColon: AcceptFn = (r) => is(r, ':');
export const acceptOneHash: AcceptFn = (r, i) => is(r, '#') && i === 1;
export const acceptNotClosing: AcceptFn = (r) => !is(r, '}');
export const acceptHashFunc: AcceptFn = (r, i) => is(r, '#') && i < 3;
export const acceptPercentFunc: AcceptFn = (r, i) => is(r, '%') && i < 3;
export const acceptDefaultFunc: AcceptFn = (r, i) =>
  (i === 1 && is(r, ':')) || (i === 2 && (is(r, '=') || is(r, '-') || is(r, '?') || is(r, '+')));
export const acceptReplaceFunc: AcceptFn = (r, i) =>
  (i === 1 && is(r, '/')) || (i === 2 && (is(r, '/') || is(r, '#') || is(r, '%')));
export const acceptOneEqual: AcceptFn = (r, i) => i === 1 && is(r, '=');
export const acceptOneColon: AcceptFn = (r, i) => i === 1 && is(r, ':');
export const rejectColonClose: AcceptFn = (r) => !is(r, ':') && !is(r, '}');
export const acceptSlash: AcceptFn = (r) => is(r, '/');
export const acceptNotSlash: AcceptFn = (r) => !is(r, '/');
export const acceptCasingFunc: AcceptFn = (r, i) => (is(r, ',') || is(r, '^')) && i < 3;
