// For unit tests of resource definitions: a real registry over a temporary SQLite file, and the
// context a request would carry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, systemRandom } from '../../api/clock.js';
import { aggregate } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { SqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import { AdmissionChain } from '../../admission/chain.js';
import { Registry } from '../registry.js';
import type { ResourceDef } from '../resource.js';
import type { Store } from '../store.js';
import type { OpContext } from '../../api/operations.js';

export interface TestRegistry {
  registry: Registry;
  clock: ManualClock;
  ctx: OpContext;
  store(def: ResourceDef): Store;
  close(): void;
}

export const T0 = new Date('2024-05-01T10:00:00Z');

/** `admission`: the chain writes go through (plugins that need the registry are added after). */
export function testRegistry(defs: ResourceDef[], admission = new AdmissionChain()): TestRegistry {
  const dir = mkdtempSync(join(tmpdir(), 'badge-resources-'));
  const storage = new SqliteStorage(join(dir, 'state.db'));
  const registry = new Registry(defs, storage, admission);
  const clock = new ManualClock(T0);
  return {
    registry,
    clock,
    ctx: { user: { username: 'admin', groups: ['system:masters', 'system:authenticated'] }, clock, random: systemRandom },
    store: (def) => registry.mustStore(def.group, def.version, def.resource),
    close() {
      storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The message of the error a promise rejects with (for exact-message assertions). */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the call to fail');
}

/** The validation message a definition gives for an object, as the Invalid error would show it. */
export const messageOf = (errors: Parameters<typeof aggregate>[0]): string => (errors.length ? aggregate(errors) : '');

export const clone = <T extends KubeObject>(o: T): T => structuredClone(o);
