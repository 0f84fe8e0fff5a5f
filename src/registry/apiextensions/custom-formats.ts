// The string formats a CRD schema may use, and their checks, as kube-apiserver 1.32 has them: AE
// pkg/apiserver/validation/formats.go keeps only the supported formats (the others are dropped
// from the schema, so not checked, and warned about on create), and kube-openapi's strfmt Default
// registry checks the values (default.go, bson.go, time.go, duration.go, with its fork of
// govalidator). Format names are compared with their dashes removed ("date-time" is "datetime").
// Every check is a linear scan or a regular expression without nested ambiguity.
import { parseCIDRSloppy, parseIP, parseIPSloppy, parseMAC, parseMailAddress, parseRequestURI } from './custom-format-parsers.js';

/** go-openapi's name normalization. */
const normalize = (format: string) => format.replaceAll('-', '');

// Go's \s and \d are ASCII only.
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const HOSTNAME = /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const CREDIT_CARD = /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35[0-9]{3})[0-9]{11})$/;
const SSN = /^[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}$/;
const HEX_COLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const BYTE = '(0|[1-9][0-9]?|1[0-9][0-9]?|2[0-4][0-9]|25[0-5])';
const RGB_COLOR = new RegExp(`^rgb\\([\\t\\n\\f\\r ]*${BYTE}[\\t\\n\\f\\r ]*,[\\t\\n\\f\\r ]*${BYTE}[\\t\\n\\f\\r ]*,[\\t\\n\\f\\r ]*${BYTE}[\\t\\n\\f\\r ]*\\)$`);
const BASE64_CHAR = /^[A-Za-z0-9+/]$/;
const TIME = /^([0-9]{2}):([0-9]{2}):([0-9]{2})([^\n][0-9]+)?([zZ]|[+-][0-9]{2}:[0-9]{2})$/u;

/** Hostname: the pattern, at most 255 bytes, labels of at most 63 bytes (checked first: same answer). */
function isHostname(s: string): boolean {
  const bytes = (t: string) => Buffer.byteLength(t);
  return bytes(s) <= 255 && s.split('.').every((p) => bytes(p) <= 63) && HOSTNAME.test(s);
}

/** govalidator IsISBN: spaces and dashes dropped, then the ISBN-10 or ISBN-13 check digit. */
function isISBN(s: string, version: 10 | 13): boolean {
  const d = s.replace(/[\t\n\f\r -]+/g, '');
  if (version === 10) {
    if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(d)) return false;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += (i + 1) * Number(d[i]);
    sum += 10 * (d[9] === 'X' ? 10 : Number(d[9]));
    return sum % 11 === 0;
  }
  if (!/^[0-9]{13}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (i % 2 ? 3 : 1) * Number(d[i]);
  return Number(d[12]) === (10 - (sum % 10)) % 10;
}

/** govalidator IsCreditCard: the digits only, a known issuer's pattern, the Luhn sum. */
function isCreditCard(s: string): boolean {
  const d = s.replace(/[^0-9]+/g, '');
  if (!CREDIT_CARD.test(d)) return false;
  let sum = 0;
  for (let i = d.length - 1, double = false; i >= 0; i--, double = !double) {
    const n = Number(d[i]) * (double ? 2 : 1);
    sum += n >= 10 ? (n % 10) + 1 : n;
  }
  return sum % 10 === 0;
}

/** govalidator IsBase64: groups of four, the last possibly padded; not empty. */
function isBase64(s: string): boolean {
  if (s.length === 0 || s.length % 4 !== 0) return false;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  for (let i = 0; i < s.length - pad; i++) if (!BASE64_CHAR.test(s[i]!)) return false;
  return true;
}

/** time.Parse("2006-01-02"): four-digit year, two-digit month and day, the day within its month. */
function isDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
}

/**
 * strfmt IsDateTime: split at every "t" or "T"; the first part a date, the second a time
 * (hours ≤ 23, minutes and seconds ≤ 59, any one character before the fraction, "z" or ±hh:mm);
 * later parts are not looked at.
 */
function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.split(/[tT]/);
  if (parts.length < 2 || !isDate(parts[0]!)) return false;
  const m = TIME.exec(parts[1]!);
  return !!m && m[1]! <= '23' && m[2]! <= '59' && m[3]! <= '59';
}

/** A run of decimal digits as a number, or undefined past 2^64 (read without a long BigInt parse). */
function decimal(digits: string): bigint | undefined {
  const d = digits.replace(/^0+/, '');
  return d.length > 20 ? undefined : BigInt(d || '0');
}

const GO_UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
const MAX_DURATION = 1n << 63n;

/** time.ParseDuration: [-+] then numbers (with fractions) each with a unit; "0" alone; within int64. */
function isGoDuration(s: string): boolean {
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return true;
  if (s === '') return false;
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const [whole = '', frac] = [m[1], m[2]];
    if (whole === '' && !frac) return false;
    s = s.slice(m[0].length);
    let u = 0;
    while (u < s.length && s[u] !== '.' && !(s[u]! >= '0' && s[u]! <= '9')) u++;
    const unit = GO_UNITS[s.slice(0, u)];
    if (!unit) return false;
    s = s.slice(u);
    const v = decimal(whole);
    if (v === undefined || v > MAX_DURATION / unit) return false;
    // The fraction is read to the precision Go keeps; it can only add less than one unit.
    const f = frac ? BigInt(frac.slice(0, 18)) * unit / 10n ** BigInt(Math.min(frac.length, 18)) : 0n;
    total += v * unit + f;
    if (total > MAX_DURATION) return false;
  }
  return neg || total < MAX_DURATION;
}

/** strfmt's own units: a variant equal to the unit, or the last (longest) one its prefix. */
const SCALA_UNITS = [['ns', 'nano'], ['us', 'µs', 'micro'], ['ms', 'milli'], ['s', 'sec'], ['m', 'min'], ['h', 'hr', 'hour'], ['d', 'day'], ['w', 'wk', 'week']];
const INT64_MAX = (1n << 63n) - 1n;

/** strfmt ParseDuration: Go's syntax, or "<n> <unit>" pairs (spaces allowed) where one unit is known. */
function isDuration(s: string): boolean {
  if (isGoDuration(s)) return true;
  const re = /[\t\n\f\r ]*([0-9]+)[\t\n\f\r ]*([A-Za-zµ]+)[\t\n\f\r ]*/y;
  let known = false;
  let at = 0;
  while (at < s.length) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (!m) return false;
    at = re.lastIndex;
    const n = decimal(m[1]!);
    if (n === undefined || n > INT64_MAX) return false;
    const unit = m[2]!.toLowerCase();
    known ||= SCALA_UNITS.some((v) => v.some((variant, i) => variant === unit || (i === v.length - 1 && unit.startsWith(variant))));
  }
  return at > 0 && known;
}

/** kube-openapi's strfmt Default registry (normalized names) restricted to the formats AE supports. */
const CHECKS: Record<string, (s: string) => boolean> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: parseRequestURI,
  email: parseMailAddress,
  hostname: isHostname,
  ipv4: (s) => parseIPSloppy(s) && s.includes('.'),
  ipv6: (s) => parseIP(s) !== undefined && s.includes(':'),
  cidr: parseCIDRSloppy,
  mac: parseMAC,
  uuid: (s) => UUID.test(s),
  uuid3: (s) => UUID3.test(s),
  uuid4: (s) => UUID4.test(s),
  uuid5: (s) => UUID5.test(s),
  isbn: (s) => isISBN(s, 10) || isISBN(s, 13),
  isbn10: (s) => isISBN(s, 10),
  isbn13: (s) => isISBN(s, 13),
  creditcard: isCreditCard,
  ssn: (s) => s.length === 11 && SSN.test(s),
  hexcolor: (s) => HEX_COLOR.test(s),
  rgbcolor: (s) => RGB_COLOR.test(s),
  byte: isBase64,
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
};

/**
 * Whether kube-apiserver keeps `format` on a schema node of `type` (formats.go
 * StripUnsupportedFormatsPostProcess / GetUnrecognizedFormats): string (or untyped) nodes the
 * formats above, integers int32 and int64, numbers float and double, other types none.
 */
export function isSupportedFormat(type: string | undefined, format: string): boolean {
  if (!type || type === 'string') return Object.hasOwn(CHECKS, normalize(format));
  if (type === 'integer') return format === 'int32' || format === 'int64';
  if (type === 'number') return format === 'float' || format === 'double';
  return false;
}

/** Whether a string value passes a supported string format (true for formats not checked). */
export function matchesFormat(format: string, value: string): boolean {
  const name = normalize(format);
  return !Object.hasOwn(CHECKS, name) || CHECKS[name]!(value);
}
