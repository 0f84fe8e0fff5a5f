// resource.Quantity (k8s.io/apimachinery/pkg/api/resource): exact decimal and binary amounts with
// their suffixes, parsed, compared, added and printed in canonical form.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** An exact resource.Quantity: num/den, and the format its suffix asked for. */
export interface Quantity {
  num: bigint;
  den: bigint;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

const abs = (n: bigint): bigint => (n < 0n ? -n : n);
const pow = (base: bigint, exp: number): bigint => base ** BigInt(exp);

/** Rounds num/den away from zero to a multiple of 10^-digits. */
export function roundUpTo(q: Quantity, digits: number): Quantity {
  const scale = pow(10n, digits);
  const scaled = q.num * scale;
  if (scaled % q.den === 0n) return q;
  const whole = scaled / q.den + (scaled > 0n ? 1n : -1n);
  return { num: whole, den: scale, format: q.format };
}

/** resource.ParseQuantity of a JSON string or number; null when Go would reject it. */
export function parseQuantity(input: unknown): Quantity | null {
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    s = String(input);
  } else if (typeof input === 'string') s = input.trim();
  else return null;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(s);
  if (!m || s === '') return null;
  const [, sign, whole = '', frac = '', suffix = ''] = m;
  let factorNum = 1n;
  let factorDen = 1n;
  let format: QuantityFormat;
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) {
    const e = DECIMAL_SUFFIXES[suffix]!;
    if (e >= 0) factorNum = pow(10n, e);
    else factorDen = pow(10n, -e);
    format = 'DecimalSI';
  } else if (Object.hasOwn(BINARY_SUFFIXES, suffix)) {
    factorNum = pow(2n, BINARY_SUFFIXES[suffix]!);
    format = 'BinarySI';
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    const e = Number(suffix.slice(1));
    if (Math.abs(e) > 1000) return null;
    if (e >= 0) factorNum = pow(10n, e);
    else factorDen = pow(10n, -e);
    format = 'DecimalExponent';
  } else return null;
  const digits = `${whole}${frac}`.replace(/^0+(?=.)/, '') || '0';
  let n = BigInt(digits) * factorNum;
  if (sign === '-') n = -n;
  const q: Quantity = { num: n, den: pow(10n, frac.length) * factorDen, format };
  // Quantities keep at most nano precision, rounded up.
  return normalize(roundUpTo(q, 9));
}

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}

function normalize(q: Quantity): Quantity {
  const g = gcd(q.num, q.den);
  return { num: q.num / g, den: q.den / g, format: q.format };
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Quantity.Add: the format is the first's, or the second's when the first is zero. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return normalize({ num: a.num * b.den + b.num * a.den, den: a.den * b.den, format: a.num === 0n ? b.format : a.format });
}

export const isZeroQuantity = (q: Quantity): boolean => q.num === 0n;

/** Quantity.String(): the canonical form the API server writes ("500m", "128Mi", "1"). */
export function formatQuantity(q: Quantity): string {
  if (q.num === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    // Small values and values with a fraction print as DecimalSI.
    if (abs(q.num) < 1024n * q.den || q.num % q.den !== 0n) format = 'DecimalSI';
  }
  const sign = q.num < 0n ? '-' : '';
  if (format === 'BinarySI') {
    let n = abs(q.num / q.den);
    let exp = 0;
    while (exp < 60 && n % 1024n === 0n) {
      n /= 1024n;
      exp += 10;
    }
    return `${sign}${n}${BINARY_BY_EXPONENT.get(exp) ?? ''}`;
  }
  // mantissa × 10^exp with an integer mantissa and exp a multiple of 3
  let n = abs(q.num);
  let d = q.den;
  let exp = 0;
  while (d !== 1n && exp > -60) {
    n *= 10n;
    exp -= 1;
    const g = gcd(n, d);
    n /= g;
    d /= g;
  }
  n /= d;
  while (n !== 0n && n % 10n === 0n) {
    n /= 10n;
    exp += 1;
  }
  const mod = ((exp % 3) + 3) % 3;
  if (mod === 1) {
    n *= 10n;
    exp -= 1;
  } else if (mod === 2) {
    n *= 100n;
    exp -= 2;
  }
  if (format === 'DecimalExponent') return `${sign}${n}${exp === 0 ? '' : `e${exp}`}`;
  return `${sign}${n}${DECIMAL_BY_EXPONENT.get(exp) ?? `e${exp}`}`;
}
