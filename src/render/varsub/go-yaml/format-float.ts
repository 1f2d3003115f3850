// Go's strconv.FormatFloat(f, 'g', -1, bits): the shortest digits that round-trip at that precision,
// in exponent form when the decimal exponent is < -4 or >= 6 (Go's cut-off for the shortest form), so
// 1e6 is "1e+06" and 123456.5 stays. sigs.k8s.io/yaml formats float map keys with bits = 32; go-yaml
// writes float values with bits = 64.

function shortestDigits(magnitude: number, bits: 32 | 64): { digits: string; exponent: number } {
  const same = (candidate: number) =>
    bits === 32 ? Math.fround(candidate) === magnitude : candidate === magnitude;
  let text = magnitude.toExponential(16);
  for (let precision = 1; precision <= 17; precision++) {
    const candidate = magnitude.toExponential(precision - 1);
    if (same(Number(candidate))) {
      text = candidate;
      break;
    }
  }
  const [mantissa, exponent] = text.split('e') as [string, string];
  return { digits: mantissa.replace('.', '').replace(/0+$/, '') || '0', exponent: Number(exponent) };
}

export function formatFloatG(value: number, bits: 32 | 64): string {
  const target = bits === 32 ? Math.fround(value) : value;
  if (Number.isNaN(target)) return 'NaN';
  if (!Number.isFinite(target)) return target > 0 ? '+Inf' : '-Inf';
  const sign = target < 0 || Object.is(target, -0) ? '-' : '';
  if (target === 0) return `${sign}0`;
  const { digits, exponent } = shortestDigits(Math.abs(target), bits);
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent);
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  const point = exponent + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
