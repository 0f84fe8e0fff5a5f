import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { ManualClock } from '../api/clock.js';
import { copyRegistry, resourceOfKey, TargetNotEmptyError } from './migrate.js';
import { readStoredObjects, SqliteStorage } from './sqlite/sqlite-storage.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = new Date('2026-01-01T00:00:00Z');

it('names the resource of a key as kube-apiserver lays keys out', () => {
  assert.equal(resourceOfKey('/registry/pods/default/web'), 'pods');
  assert.equal(resourceOfKey('/registry/namespaces/default'), 'namespaces');
  assert.equal(resourceOfKey('/registry/services/specs/default/kubernetes'), 'services/specs');
  assert.equal(resourceOfKey('/registry/example.com/widgets/default/w'), 'example.com/widgets');
});

it('copies current values under /registry, carries what is left of a TTL, skips what has run out', async () => {
  const clock = new ManualClock(T0);
  const from = join(dir, 'from.db');
  const source = new SqliteStorage(from, { clock, sweepIntervalMs: 0 });
  await source.create('/registry/pods/default/a', '{"a":1}');
  const b = (await source.create('/registry/pods/default/b', '{"b":1}'))!;
  await source.update('/registry/pods/default/b', '{"b":2}', b.modRevision);
  const gone = (await source.create('/registry/pods/default/gone', '{}'))!;
  await source.delete('/registry/pods/default/gone', gone.modRevision);
  await source.create('/registry/events/default/e1', '{"e":1}', { ttlSeconds: 3600 });
  await source.create('/registry/events/default/e2', '{"e":2}', { ttlSeconds: 5 });
  await source.create('/bootstrap/identity', 'sealed');
  await source.close();

  const targetClock = new ManualClock(new Date(T0.getTime() + 10_000));
  const to = join(dir, 'to.db');
  const target = new SqliteStorage(to, { clock: targetClock, sweepIntervalMs: 0 });
  const result = await copyRegistry(from, target, T0.getTime() + 10_000);
  assert.deepEqual(Object.fromEntries(result.copied), { events: 1, pods: 2 });
  assert.equal(result.expired, 1);
  assert.equal((await target.get('/registry/pods/default/b'))?.value, '{"b":2}');
  assert.equal(await target.get('/bootstrap/identity'), undefined, 'only /registry is copied');
  await target.close();
  const copied = readStoredObjects(to, '/registry/');
  assert.deepEqual(
    copied.map((o) => [o.key, o.expiresAt]),
    [
      ['/registry/events/default/e1', T0.getTime() + 3600_000],
      ['/registry/pods/default/a', null],
      ['/registry/pods/default/b', null],
    ],
  );

  const again = new SqliteStorage(to, { sweepIntervalMs: 0 });
  await assert.rejects(copyRegistry(from, again, T0.getTime()), TargetNotEmptyError);
  await again.close();
});
