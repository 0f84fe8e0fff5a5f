// cel-go's ext.Sets: sets.contains, sets.equivalent, sets.intersects (element equality as CEL's ==).
import type { Environment } from '@marcbachmann/cel-js';
import { charge } from '../cost.js';
import { equal, namespace } from './compare.js';

/** Whether every element of b is in a; cost is the product of the sizes, as cel-go charges it. */
function containsAll(a: unknown[], b: unknown[]): boolean {
  charge(Math.ceil(a.length * b.length * 0.1));
  return b.every((x) => a.some((y) => equal(x, y)));
}

export function registerSets(env: Environment): void {
  namespace(env, 'sets', 'SetsNamespace');
  env.registerFunction('SetsNamespace.contains(list<T>, list<T>): bool', (_n: unknown, a: unknown[], b: unknown[]) => containsAll(a, b));
  env.registerFunction('SetsNamespace.equivalent(list<T>, list<T>): bool', (_n: unknown, a: unknown[], b: unknown[]) => containsAll(a, b) && containsAll(b, a));
  env.registerFunction('SetsNamespace.intersects(list<T>, list<T>): bool', (_n: unknown, a: unknown[], b: unknown[]) => {
    charge(Math.ceil(a.length * b.length * 0.1));
    return a.some((x) => b.some((y) => equal(x, y)));
  });
}
