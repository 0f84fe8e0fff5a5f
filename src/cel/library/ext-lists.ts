// cel-go's ext.Lists: slice, flatten, sort, distinct, reverse, lists.range. (sortBy is a macro: not here.)
import type { Environment } from '@marcbachmann/cel-js';
import { charge, chargeSize } from '../cost.js';
import { compare, equal, namespace } from './compare.js';

const SORTABLE = ['int', 'uint', 'double', 'bool', 'string', 'bytes', 'google.protobuf.Duration', 'google.protobuf.Timestamp'];

export function registerExtLists(env: Environment): void {
  env.registerFunction('list<T>.slice(int, int): list<T>', (l: unknown[], start: bigint, end: bigint) => {
    if (start < 0n || end < 0n) throw new Error(`cannot slice(${start}, ${end}), negative indexes not supported`);
    if (start > end) throw new Error(`cannot slice(${start}, ${end}), start index must be less than or equal to end index`);
    if (end > BigInt(l.length)) throw new Error(`cannot slice(${start}, ${end}), list is length ${l.length}`);
    chargeSize(Number(end - start));
    return l.slice(Number(start), Number(end));
  });
  env.registerFunction('list<dyn>.flatten(): list<dyn>', (l: unknown[]) => flatten(l, 1n));
  env.registerFunction('list<dyn>.flatten(int): list<dyn>', flatten);
  for (const t of SORTABLE) {
    env.registerFunction(`list<${t}>.sort(): list<${t}>`, (l: unknown[]) => {
      charge(Math.ceil(l.length * Math.log2(l.length + 1) * 0.1) + 1);
      return [...l].sort(compare);
    });
  }
  env.registerFunction('list<T>.distinct(): list<T>', (l: unknown[]) => {
    charge(Math.ceil(l.length * l.length * 0.1));
    const out: unknown[] = [];
    for (const x of l) if (!out.some((y) => equal(x, y))) out.push(x);
    return out;
  });
  env.registerFunction('list<T>.reverse(): list<T>', (l: unknown[]) => (chargeSize(l.length), [...l].reverse()));
  namespace(env, 'lists', 'ListsNamespace');
  env.registerFunction('ListsNamespace.range(int): list<int>', (_n: unknown, n: bigint) => {
    charge(Number(n > 0n ? n : 0n));
    return Array.from({ length: Number(n > 0n ? n : 0n) }, (_, i) => BigInt(i));
  });
}

function flatten(l: unknown[], depth: bigint): unknown[] {
  if (depth < 0n) throw new Error('level must be non-negative');
  chargeSize(l.length);
  const out: unknown[] = [];
  for (const x of l) {
    if (Array.isArray(x) && depth > 0n) out.push(...flatten(x, depth - 1n));
    else out.push(x);
  }
  return out;
}
