// cel-go's `optional.ofNonZeroValue(v)` (cel-js has optional.of and optional.none): optional.none() for the
// zero value of v's type (false, 0, 0.0, "", b"", [], {}, null, a zero duration or timestamp), else optional.of(v).
import { Optional, type Environment } from '@marcbachmann/cel-js';

function isZero(v: unknown): boolean {
  if (v === null || v === false || v === '' || v === 0 || v === 0n) return true;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  if (v instanceof Date) return v.getTime() === 0;
  if (typeof v === 'object' && v.constructor?.name === 'Duration') return (v as { seconds: bigint; nanos: number }).seconds === 0n && (v as { nanos: number }).nanos === 0;
  if (typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) return Object.keys(v).length === 0;
  return false;
}

export function registerOptional(env: Environment): void {
  env.registerFunction('OptionalNamespace.ofNonZeroValue(A): optional<A>', (_n: unknown, v: unknown) => (isZero(v) ? Optional.none() : Optional.of(v)));
}
