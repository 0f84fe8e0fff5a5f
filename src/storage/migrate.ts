// `badge migrate`: a SQLite store's objects copied into another store (etcd), values as stored.
// Their UIDs and creation timestamps are in the values, so they are kept; resourceVersions become
// the new store's revisions (clients re-list, as after an etcd restore). A key with a TTL (an
// Event) is carried with the time it has left, or skipped once that is gone.
import { readStoredObjects } from './sqlite/sqlite-storage.js';
import type { Storage } from './storage.js';
import { REGISTRY_PREFIX, resourcePrefixOf } from './key-layout.js';


export interface MigrateResult {
  /** Objects copied, by resource (`pods`, `apps/deployments`…). */
  copied: Map<string, number>;
  /** Keys whose TTL had already run out. */
  expired: number;
}

/** The resource prefix of a key without /registry/ (`pods`, `services/specs`, `example.com/widgets`). */
export function resourceOfKey(key: string): string {
  const prefix = resourcePrefixOf(key);
  return prefix ? prefix.slice(REGISTRY_PREFIX.length, -1) : key.slice(REGISTRY_PREFIX.length).split('/')[0]!;
}

export class TargetNotEmptyError extends Error {
  readonly code = 'TargetNotEmpty';
}

/**
 * Copies every current key under /registry of the SQLite file `from` into `to`. `to` must hold
 * none of them (a key already there is an error, whatever `to` held before: nothing is overwritten).
 */
export async function copyRegistry(from: string, to: Storage, now: number, onProgress?: (done: number, total: number) => void): Promise<MigrateResult> {
  const objects = readStoredObjects(from, REGISTRY_PREFIX);
  const result: MigrateResult = { copied: new Map(), expired: 0 };
  let done = 0;
  for (const o of objects) {
    let ttlSeconds: number | undefined;
    if (o.expiresAt !== null) {
      ttlSeconds = Math.ceil((o.expiresAt - now) / 1000);
      if (ttlSeconds <= 0) {
        result.expired++;
        continue;
      }
    }
    if (!(await to.create(o.key, o.value, ttlSeconds ? { ttlSeconds } : {}))) throw new TargetNotEmptyError(`${o.key} already exists in the target store`);
    const resource = resourceOfKey(o.key);
    result.copied.set(resource, (result.copied.get(resource) ?? 0) + 1);
    onProgress?.(++done, objects.length);
  }
  return result;
}
