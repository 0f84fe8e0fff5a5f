// The one storage interface. It is shaped like the part of etcd v3 that kube-apiserver uses
// (see the etcd storage notes): every write gets the next revision of one global counter;
// creates, updates and deletes are compare-and-swap on a key's modRevision; lists can be read
// at a past revision; watches start after a revision and fail once that history is compacted.
// Values are opaque strings (JSON objects without resourceVersion).

export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created the key. */
  createRevision: number;
  /** Revision of the last write to the key (the object's resourceVersion). */
  modRevision: number;
}

export type WatchEvent =
  /** A create (no prev) or an update. */
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  /** A delete; `kv` is the deleted value, stamped with the delete's revision. */
  | { type: 'delete'; kv: KeyValue; prev: KeyValue }
  /** Every event up to `revision` has been delivered (etcd progress notify). */
  | { type: 'progress'; revision: number };

export interface ListOptions {
  /** First key to return (inclusive); defaults to the prefix. */
  startKey?: string;
  /** At most this many items; 0 or absent for all. */
  limit?: number;
  /** Read at this revision instead of the latest. */
  revision?: number;
  /**
   * Any revision at or after this one will do (resourceVersion "0" or NotOlderThan): a watch
   * cache may answer from memory. Backends read the latest revision.
   */
  minRevision?: number;
}

export interface GetOptions {
  /**
   * Any revision at or after this one will do (a GET's resourceVersion "0" or N): a watch cache
   * may answer from memory. Backends read the latest revision.
   */
  minRevision?: number;
}

export interface ListResult {
  kvs: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** More keys follow the last one returned. */
  more: boolean;
  /** Keys in [startKey, end of prefix) at that revision. */
  count: number;
}

export interface WriteOptions {
  /** Delete the key after this many seconds (etcd lease). */
  ttlSeconds?: number;
}

export type CasResult = { succeeded: true; kv: KeyValue } | { succeeded: false; current?: KeyValue };

export interface Watch {
  /** Asks for a progress event once everything written so far has been delivered. */
  requestProgress(): void;
  stop(): void;
}

export interface Storage {
  /** Writes `value` if `key` does not exist; undefined if it does. */
  create(key: string, value: string, opts?: WriteOptions): Promise<KeyValue | undefined>;
  get(key: string, opts?: GetOptions): Promise<KeyValue | undefined>;
  /** Keys under `prefix` (which should end in "/") in key order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Writes `value` if the key's modRevision is still `expected`; otherwise returns the current value. */
  update(key: string, value: string, expected: number, opts?: WriteOptions): Promise<CasResult>;
  /** Deletes the key if its modRevision is still `expected`; otherwise returns the current value. */
  delete(key: string, expected: number): Promise<CasResult>;
  /**
   * Calls `onEvent` for every change under `prefix` with a revision greater than `afterRevision`,
   * in revision order, first from history, then live. Throws CompactedError when that history
   * is known to be gone; a backend that learns so later (another process compacted it) ends the
   * watch with `onEnd(CompactedError)`, after which nothing more comes. `onEvent` runs
   * synchronously in the storage's delivery path: it must not block.
   */
  watch(prefix: string, afterRevision: number, onEvent: (e: WatchEvent) => void, onEnd?: (err: Error) => void): Watch;
  /** The revision of the last write this process was told of; a read may see later ones. */
  currentRevision(): Promise<number>;
  /** Drops history at and before `revision`; watches and reads from before it fail after this. */
  compact(revision: number): Promise<void>;
  /** The oldest revision reads and watches may still ask for. */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}

export class CompactedError extends Error {
  readonly code = 'Compacted';
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`revision ${requested} has been compacted (oldest available ${compacted})`);
  }
}

export class FutureRevisionError extends Error {
  readonly code = 'FutureRevision';
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`revision ${requested} is newer than the current revision ${current}`);
  }
}

/** The smallest string greater than every key that starts with `prefix`. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
