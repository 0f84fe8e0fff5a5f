// Cases from pkg/controller/replicaset TestSlowStartBatch: pods are created in batches of 1, 2,
// 4, …, and a failed batch ends the run, so a huge replica count cannot flood the server.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { slowStartBatch } from './controller-utils.js';

it('slowStartBatch runs in doubling batches and stops after the first batch with a failure', async () => {
  const batches: number[] = [];
  let inFlight = 0;
  let started = 0;
  const run = (failFrom: number) => async (i: number) => {
    if (inFlight++ === 0) batches.push(0);
    batches[batches.length - 1]!++;
    started++;
    await new Promise((r) => setImmediate(r));
    inFlight--;
    if (i >= failFrom) throw new Error(`fail ${i}`);
  };
  assert.deepEqual(await slowStartBatch(10, 1, run(Infinity)), { successes: 10, attempted: 10 });
  assert.deepEqual(batches, [1, 2, 4, 3]);

  batches.length = 0;
  started = 0;
  const r = await slowStartBatch(1000, 1, run(4));
  assert.equal(r.successes, 4);
  assert.equal(r.attempted, 7, 'the batch of 4 that met the failure ran whole; none after it');
  assert.equal((r.error as Error).message, 'fail 4');
  assert.deepEqual(batches, [1, 2, 4]);
  assert.equal(started, 7);
});
