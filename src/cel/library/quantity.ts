// Kubernetes' quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go) over api/quantity.ts.
import type { Environment } from '@marcbachmann/cel-js';
import { addQuantities, compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../../api/quantity.js';

/** A Quantity as a CEL value. */
export class KubeQuantity {
  constructor(readonly q: Quantity) {}
  toString(): string {
    return formatQuantity(this.q);
  }
}

const of = (s: string): KubeQuantity => {
  const q = parseQuantity(s);
  if (q) return new KubeQuantity(q);
  // resource.ParseQuantity: the shape first, then the suffix.
  if (/^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(s)) throw new Error("unable to parse quantity's suffix");
  throw new Error('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
};
const int = (n: bigint): KubeQuantity => of(String(n));
const neg = (q: Quantity): Quantity => ({ ...q, num: -q.num });
const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;

export function registerQuantity(env: Environment): void {
  env.registerType('kubernetes.Quantity', KubeQuantity);
  env.registerFunction('quantity(string): kubernetes.Quantity', of);
  env.registerFunction('isQuantity(string): bool', (s: string) => parseQuantity(s) !== null);
  env.registerFunction('kubernetes.Quantity.sign(): int', (a: KubeQuantity) => BigInt(Math.sign(compareQuantities(a.q, { ...a.q, num: 0n }))));
  env.registerFunction('kubernetes.Quantity.isInteger(): bool', (a: KubeQuantity) => a.q.num % a.q.den === 0n && within(a.q.num / a.q.den));
  env.registerFunction('kubernetes.Quantity.asInteger(): int', (a: KubeQuantity) => {
    if (a.q.num % a.q.den !== 0n || !within(a.q.num / a.q.den)) throw new Error('cannot convert value to integer');
    return a.q.num / a.q.den;
  });
  env.registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (a: KubeQuantity) => Number(a.q.num) / Number(a.q.den));
  env.registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: KubeQuantity, b: KubeQuantity) => BigInt(compareQuantities(a.q, b.q)));
  env.registerFunction('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: KubeQuantity, b: KubeQuantity) => compareQuantities(a.q, b.q) > 0);
  env.registerFunction('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: KubeQuantity, b: KubeQuantity) => compareQuantities(a.q, b.q) < 0);
  env.registerFunction('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: KubeQuantity, b: KubeQuantity) => new KubeQuantity(addQuantities(a.q, b.q)));
  env.registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: KubeQuantity, b: bigint) => new KubeQuantity(addQuantities(a.q, int(b).q)));
  env.registerFunction('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: KubeQuantity, b: KubeQuantity) => new KubeQuantity(addQuantities(a.q, neg(b.q))));
  env.registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: KubeQuantity, b: bigint) => new KubeQuantity(addQuantities(a.q, neg(int(b).q))));
  env.registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: KubeQuantity, b: KubeQuantity) => compareQuantities(a.q, b.q) === 0);
}

const within = (n: bigint) => n <= MAX && n >= MIN;
