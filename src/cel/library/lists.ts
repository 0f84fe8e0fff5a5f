// Kubernetes' list library (k8s.io/apiserver/pkg/cel/library/lists.go): isSorted, sum, min, max, indexOf,
// lastIndexOf.
import type { Environment } from '@marcbachmann/cel-js';
import { chargeSize } from '../cost.js';
import { compare, equal } from './compare.js';

const COMPARABLE = ['int', 'uint', 'double', 'bool', 'string', 'bytes', 'google.protobuf.Duration', 'google.protobuf.Timestamp'];
const SUMMABLE: [string, unknown][] = [['int', 0n], ['double', 0], ['google.protobuf.Duration', undefined]];

export function registerLists(env: Environment): void {
  for (const t of COMPARABLE) {
    env.registerFunction(`list<${t}>.isSorted(): bool`, (l: unknown[]) => (chargeSize(l.length), l.every((x, i) => i === 0 || compare(l[i - 1], x) <= 0)));
    env.registerFunction(`list<${t}>.min(): ${t}`, (l: unknown[]) => extreme(l, 'min', -1));
    env.registerFunction(`list<${t}>.max(): ${t}`, (l: unknown[]) => extreme(l, 'max', 1));
  }
  for (const [t, zero] of SUMMABLE) {
    env.registerFunction(`list<${t}>.sum(): ${t}`, (l: unknown[]) => {
      chargeSize(l.length);
      if (l.length === 0) return zero ?? (env as unknown as { evaluate(e: string): unknown }).evaluate('duration("0s")');
      return l.reduce((a, b) => add(a, b));
    });
  }
  env.registerFunction('list<T>.indexOf(T): int', (l: unknown[], v: unknown) => (chargeSize(l.length), BigInt(l.findIndex((x) => equal(x, v)))));
  env.registerFunction('list<T>.lastIndexOf(T): int', (l: unknown[], v: unknown) => {
    chargeSize(l.length);
    for (let i = l.length - 1; i >= 0; i--) if (equal(l[i], v)) return BigInt(i);
    return -1n;
  });
}

function extreme(l: unknown[], name: string, sign: number): unknown {
  chargeSize(l.length);
  if (l.length === 0) throw new Error(`${name} called on empty list`);
  return l.reduce((a, b) => (compare(b, a) * sign > 0 ? b : a));
}

function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    const s = a + b;
    if (s > 9223372036854775807n || s < -9223372036854775808n) throw new Error('integer overflow');
    return s;
  }
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const d = a as { seconds: bigint; nanos: number; constructor: new (s: bigint, n: number) => unknown };
  const e = b as { seconds: bigint; nanos: number };
  const nanos = BigInt(d.nanos) + BigInt(e.nanos);
  return new d.constructor(d.seconds + e.seconds + nanos / 1_000_000_000n, Number(nanos % 1_000_000_000n));
}
