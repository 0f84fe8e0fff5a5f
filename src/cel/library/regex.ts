// Regular expressions with RE2's semantics and linear time (re2js, a port of RE2/J): Kubernetes' `find` and
// `findAll` (k8s.io/apiserver/pkg/cel/library/regex.go), and `matches`, which replaces cel-js's backtracking
// one (cost.ts routes it here) so no pattern can stall the event loop.
import type { Environment } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import { chargeSize } from '../cost.js';

const cache = new Map<string, RE2JS>();

/** The compiled pattern (kept for the 200 last used ones); a bad pattern fails as cel-go's does. */
export function compileRegex(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re) return re;
  chargeSize(pattern.length);
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    throw new Error(`invalid regex string: ${(e as Error).message}`);
  }
  if (cache.size >= 200) cache.delete(cache.keys().next().value!);
  cache.set(pattern, re);
  return re;
}

export function matches(s: string, pattern: string): boolean {
  chargeSize(s.length);
  return compileRegex(pattern).matcher(s).find();
}

export function registerRegex(env: Environment): void {
  env.registerFunction('matches(string, string): bool', matches);
  env.registerFunction('string.find(string): string', (s: string, p: string) => {
    chargeSize(s.length);
    const m = compileRegex(p).matcher(s);
    return m.find() ? m.group() : '';
  });
  env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n));
  env.registerFunction('string.findAll(string, int): list<string>', findAll);
}

function findAll(s: string, p: string, limit: bigint): string[] {
  chargeSize(s.length);
  const out: string[] = [];
  if (limit === 0n) return out;
  const m = compileRegex(p).matcher(s);
  while (m.find()) {
    out.push(m.group()!);
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}
