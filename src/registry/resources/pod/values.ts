// The Go behaviours a PodSpec's checks depend on (JSON is read with registry/narrow.ts).

/** Go's len() of a string: UTF-8 bytes. */
export const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');
/** Go's sort.Strings order. */
export const goSorted = (values: readonly string[]): string[] => [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

export const MAX_INT32 = 2147483647;
