// A Storage that times every request it passes on, for etcd_request_duration_seconds and its
// counters (kube-apiserver's RecordEtcdRequest): `record` gets the operation, the key or prefix,
// the seconds it took and whether it failed. Watches are not requests: they pass through.
import type { Storage } from './storage.js';

export type StorageOperation = 'create' | 'get' | 'list' | 'update' | 'delete';

export type RecordStorageRequest = (operation: StorageOperation, key: string, seconds: number, failed: boolean) => void;

export function instrumented(storage: Storage, record: RecordStorageRequest, now: () => number = () => performance.now()): Storage {
  async function timed<T>(operation: StorageOperation, key: string, run: () => Promise<T>): Promise<T> {
    const start = now();
    try {
      const result = await run();
      record(operation, key, (now() - start) / 1000, false);
      return result;
    } catch (err) {
      record(operation, key, (now() - start) / 1000, true);
      throw err;
    }
  }
  return {
    create: (key, value, opts) => timed('create', key, () => storage.create(key, value, opts)),
    get: (key, opts) => timed('get', key, () => storage.get(key, opts)),
    list: (prefix, opts) => timed('list', prefix, () => storage.list(prefix, opts)),
    update: (key, value, expected, opts) => timed('update', key, () => storage.update(key, value, expected, opts)),
    delete: (key, expected) => timed('delete', key, () => storage.delete(key, expected)),
    watch: (prefix, afterRevision, onEvent, onEnd) => storage.watch(prefix, afterRevision, onEvent, onEnd),
    currentRevision: () => storage.currentRevision(),
    compact: (revision) => storage.compact(revision),
    compactedRevision: () => storage.compactedRevision(),
    close: () => storage.close(),
  };
}
