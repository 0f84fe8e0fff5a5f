// Kubernetes' semver library (k8s.io/apiserver/pkg/cel/library/semverlib.go): `semver(s[, normalize])` of type
// kubernetes.Semver, `isSemver(s[, normalize])`, `major`, `minor`, `patch`, `isGreaterThan`, `isLessThan`,
// `compareTo`. Versions parse as github.com/blang/semver/v4's Parse, with its error texts.
import type { Environment } from '@marcbachmann/cel-js';
import { chargeSize } from '../cost.js';
import { parses } from './parses.js';

type Pre = bigint | string;

export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: Pre[],
  ) {}
}

const MAX_UINT64 = 18446744073709551615n;
const onlyDigits = (s: string) => /^[0-9]*$/.test(s);
const leadingZero = (s: string) => s.length > 1 && s[0] === '0';

function uint(s: string): bigint {
  if (s === '' || !onlyDigits(s)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > MAX_UINT64) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

function number(s: string, name: string): bigint {
  if (!onlyDigits(s)) throw new Error(`Invalid character(s) found in ${name.toLowerCase()} number ${JSON.stringify(s)}`);
  if (leadingZero(s)) throw new Error(`${name} number must not contain leading zeroes ${JSON.stringify(s)}`);
  return uint(s);
}

/** blang/semver's Parse. */
function parse(s: string): Semver {
  if (s === '') throw new Error('Version string empty');
  const parts = s.split('.');
  if (parts.length < 3) throw new Error('No Major.Minor.Patch elements found');
  const major = number(parts[0]!, 'Major');
  const minor = number(parts[1]!, 'Minor');
  let patch = parts.slice(2).join('.');
  let build: string[] = [];
  let pre: string[] = [];
  const plus = patch.indexOf('+');
  if (plus >= 0) [build, patch] = [patch.slice(plus + 1).split('.'), patch.slice(0, plus)];
  const dash = patch.indexOf('-');
  if (dash >= 0) [pre, patch] = [patch.slice(dash + 1).split('.'), patch.slice(0, dash)];
  const p = number(patch, 'Patch');
  const prs = pre.map((x): Pre => {
    if (x === '') throw new Error('Prerelease is empty');
    if (onlyDigits(x)) {
      if (leadingZero(x)) throw new Error(`Numeric PreRelease version must not contain leading zeroes ${JSON.stringify(x)}`);
      return uint(x);
    }
    if (!/^[0-9A-Za-z-]*$/.test(x)) throw new Error(`Invalid character(s) found in prerelease ${JSON.stringify(x)}`);
    return x;
  });
  for (const b of build) {
    if (b === '') throw new Error('Build meta data is empty');
    if (!/^[0-9A-Za-z-]*$/.test(b)) throw new Error(`Invalid character(s) found in build meta data ${JSON.stringify(b)}`);
  }
  return new Semver(major, minor, p, prs);
}

/** Kubernetes' normalizeAndParse: no `v` prefix, missing minor and patch as 0, no leading zeros. */
function normalizeAndParse(s: string): Semver {
  const parts = (s.startsWith('v') ? s.slice(1) : s).split('.');
  const three = parts.length > 3 ? [parts[0]!, parts[1]!, parts.slice(2).join('.')] : parts;
  const trimmed = three.map((p) => {
    if (p.length <= 1) return p;
    const t = p.replace(/^0+/, '');
    return t === '' || !/[0-9]/.test(t[0]!) ? `0${t}` : t;
  });
  if (trimmed.length < 3) {
    if (/[+-]/.test(trimmed[trimmed.length - 1]!)) throw new Error('short version cannot contain PreRelease/Build meta data');
    while (trimmed.length < 3) trimmed.push('0');
  }
  return parse(trimmed.join('.'));
}

const order = (a: bigint, b: bigint) => (a === b ? 0 : a > b ? 1 : -1);

/** blang/semver's Compare: numbers, then a release above its prereleases, then prerelease parts in turn. */
function compare(a: Semver, b: Semver): number {
  const c = order(a.major, b.major) || order(a.minor, b.minor) || order(a.patch, b.patch);
  if (c) return c;
  if (!a.pre.length || !b.pre.length) return order(BigInt(b.pre.length), BigInt(a.pre.length));
  for (let i = 0; i < a.pre.length && i < b.pre.length; i++) {
    const [x, y] = [a.pre[i]!, b.pre[i]!];
    const d = typeof x === typeof y ? (x === y ? 0 : x > y ? 1 : -1) : typeof x === 'bigint' ? -1 : 1;
    if (d) return d;
  }
  return order(BigInt(a.pre.length), BigInt(b.pre.length));
}

const toSemver = (s: string, normalize = false) => (chargeSize(s.length), normalize ? normalizeAndParse(s) : parse(s));

const isSemver = parses((s: string, normalize = false) => (normalize ? normalizeAndParse(s) : parse(s)));

export function registerSemver(env: Environment): void {
  const T = 'kubernetes.Semver';
  env.registerType(T, Semver);
  env.registerFunction(`semver(string): ${T}`, (s: string) => toSemver(s));
  env.registerFunction(`semver(string, bool): ${T}`, toSemver);
  env.registerFunction('isSemver(string): bool', (s: string) => isSemver(s, false));
  env.registerFunction('isSemver(string, bool): bool', isSemver);
  env.registerFunction(`${T}.major(): int`, (v: Semver) => BigInt.asIntN(64, v.major));
  env.registerFunction(`${T}.minor(): int`, (v: Semver) => BigInt.asIntN(64, v.minor));
  env.registerFunction(`${T}.patch(): int`, (v: Semver) => BigInt.asIntN(64, v.patch));
  env.registerFunction(`${T}.isGreaterThan(${T}): bool`, (a: Semver, b: Semver) => compare(a, b) === 1);
  env.registerFunction(`${T}.isLessThan(${T}): bool`, (a: Semver, b: Semver) => compare(a, b) === -1);
  env.registerFunction(`${T}.compareTo(${T}): int`, (a: Semver, b: Semver) => BigInt(compare(a, b)));
  env.registerOperator(`${T} == ${T}`, (a: Semver, b: Semver) => compare(a, b) === 0);
}
