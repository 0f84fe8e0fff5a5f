import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Lease } from '../api/kinds.js';
import { R, type Client } from '../client/client.js';
import { FakeTimers } from '../testing/fake-timers.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { LeaderElector } from './leader-election.js';

const NS = 'kube-system';

/** A client whose requests fail while `down` (a server cut off from the others). */
function cuttable(client: Client): Client & { down: boolean } {
  const c = Object.create(client) as Client & { down: boolean };
  c.down = false;
  const cut = () => Promise.reject(Object.assign(new Error('connection refused'), { code: 503 }));
  c.get = (...a) => (c.down ? cut() : client.get(...a));
  c.create = (...a) => (c.down ? cut() : client.create(...a));
  c.update = (...a) => (c.down ? cut() : client.update(...a));
  return c;
}

describe('leader election (client-go leaderelection over a Lease, on fake time)', () => {
  let t: TestCluster;
  let timers: FakeTimers;
  let lock = 0;

  before(async () => {
    t = await testCluster();
    await t.client.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  after(() => t.close());

  /** A candidate for the lock `name`, counting its starts and stops. */
  function candidate(name: string, identity: string, client: Client = t.client) {
    const c = {
      started: 0,
      stopped: 0,
      elector: undefined as unknown as LeaderElector,
    };
    c.elector = new LeaderElector({
      client,
      namespace: NS,
      name,
      identity,
      clock: t.clock,
      timers,
      random: () => 0.5,
      onStartedLeading: () => void c.started++,
      onStoppedLeading: () => void c.stopped++,
    });
    return c;
  }
  const lease = (name: string) => t.client.get(R.leases, NS, name);
  const fresh = () => {
    timers = new FakeTimers(t.clock);
    return `lock-${++lock}`;
  };

  it('the first candidate creates the Lease and leads; the second waits', async () => {
    const name = fresh();
    const a = candidate(name, 'node-a_1');
    const b = candidate(name, 'node-b_2');
    await a.elector.start();
    await b.elector.start();
    assert.equal(a.elector.isLeader(), true);
    assert.equal(a.started, 1);
    assert.equal(b.elector.isLeader(), false);
    assert.equal(b.elector.leader, 'node-a_1');
    const l: Lease = await lease(name);
    assert.equal(l.spec?.holderIdentity, 'node-a_1');
    assert.equal(l.spec?.leaseDurationSeconds, 15);
    assert.equal(l.spec?.leaseTransitions, 0);
    assert.match(l.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(l.spec?.acquireTime, l.spec?.renewTime);
    // The leader renews every RetryPeriod; the other keeps waiting, as the record keeps changing.
    await timers.advance(60_000);
    const renewed = await lease(name);
    assert.equal(renewed.spec?.holderIdentity, 'node-a_1');
    assert.equal(renewed.spec?.acquireTime, l.spec?.acquireTime);
    assert.ok(renewed.spec!.renewTime! > l.spec!.renewTime!);
    assert.equal(b.started, 0);
    await a.elector.stop();
    await b.elector.stop();
  });

  it('a leader cut off stops leading within RenewDeadline; the other takes over one lease duration after its last renewal', async () => {
    const name = fresh();
    const cut = cuttable(t.client);
    const a = candidate(name, 'node-a_1', cut);
    const b = candidate(name, 'node-b_2');
    await a.elector.start();
    await b.elector.start();
    await timers.advance(10_000);
    const before = await lease(name);
    cut.down = true;
    // Its next round, due 2 s after its last renewal, must succeed within RenewDeadline (10 s).
    await timers.advance(11_900);
    assert.equal(a.elector.isLeader(), true);
    await timers.advance(100);
    assert.equal(a.elector.isLeader(), false);
    assert.equal(a.stopped, 1);
    assert.equal(b.elector.isLeader(), false, 'the lease has not expired yet for b');
    // b, watching the Lease, saw a's last renewal when it was written (polling every 3.2 s, it
    // could have seen it up to 3.2 s late): one lease duration after it, b takes over.
    await timers.advance(2_900);
    assert.equal(b.elector.isLeader(), false, 'the lease b saw renewed has not expired');
    await timers.advance(200);
    assert.equal(b.elector.isLeader(), true);
    assert.equal(b.started, 1);
    const l = await lease(name);
    assert.equal(l.spec?.holderIdentity, 'node-b_2');
    assert.equal(l.spec?.leaseTransitions, 1);
    assert.notEqual(l.spec?.acquireTime, before.spec?.acquireTime);
    // a, back, is a candidate and finds b leading.
    cut.down = false;
    await timers.advance(10_000);
    assert.equal(a.elector.isLeader(), false);
    assert.equal(a.elector.leader, 'node-b_2');
    assert.equal(a.started, 1);
    await a.elector.stop();
    await b.elector.stop();
  });

  it('a leader whose renewals fail and come back leads again, keeping acquireTime and leaseTransitions', async () => {
    const name = fresh();
    const cut = cuttable(t.client);
    const a = candidate(name, 'node-a_1', cut);
    await a.elector.start();
    const first = await lease(name);
    cut.down = true;
    await timers.advance(13_000);
    assert.equal(a.stopped, 1);
    cut.down = false;
    await timers.advance(5_000);
    assert.equal(a.elector.isLeader(), true);
    assert.equal(a.started, 2);
    const l = await lease(name);
    assert.equal(l.spec?.acquireTime, first.spec?.acquireTime);
    assert.equal(l.spec?.leaseTransitions, 0);
    await a.elector.stop();
  });

  it('stop() releases the lease (no holder, 1 s) and the other takes over at its next try', async () => {
    const name = fresh();
    const a = candidate(name, 'node-a_1');
    const b = candidate(name, 'node-b_2');
    await a.elector.start();
    await b.elector.start();
    await a.elector.stop();
    assert.equal(a.stopped, 1);
    const released = await lease(name);
    assert.equal(released.spec?.holderIdentity, '');
    assert.equal(released.spec?.leaseDurationSeconds, 1);
    // A retry comes within RetryPeriod × (1 + JitterFactor): 4.4 s, far less than the 15 s lease.
    await timers.advance(4_400);
    assert.equal(b.elector.isLeader(), true);
    const l = await lease(name);
    assert.equal(l.spec?.holderIdentity, 'node-b_2');
    assert.equal(l.spec?.leaseDurationSeconds, 15);
    assert.equal(l.spec?.leaseTransitions, 1);
    await b.elector.stop();
  });

  it('a candidate that restarts under the same identity takes its own lease back at once', async () => {
    const name = fresh();
    const a = candidate(name, 'node-a_1');
    await a.elector.start();
    const held = await lease(name);
    // The process dies: nothing is released. Its successor, same identity, starts.
    const again = candidate(name, 'node-a_1');
    await again.elector.start();
    assert.equal(again.elector.isLeader(), true);
    assert.equal(again.started, 1);
    const l = await lease(name);
    assert.equal(l.spec?.acquireTime, held.spec?.acquireTime);
    assert.equal(l.spec?.leaseTransitions, 0);
    await again.elector.stop();
  });

  it('of two candidates that find the same expired lease, the resourceVersion lets one win', async () => {
    const name = fresh();
    const a = candidate(name, 'node-a_1');
    const b = candidate(name, 'node-b_2');
    const cut = cuttable(t.client);
    const gone = candidate(name, 'node-c_3', cut);
    await gone.elector.start();
    cut.down = true;
    // Both observe c's lease now; c dies; 15 s later both find it expired.
    assert.equal(await a.elector.tryAcquireOrRenew(), false);
    assert.equal(await b.elector.tryAcquireOrRenew(), false);
    await timers.advance(16_000);
    const won = await Promise.all([a.elector.tryAcquireOrRenew(), b.elector.tryAcquireOrRenew()]);
    assert.deepEqual(won.filter(Boolean), [true]);
    const l = await lease(name);
    assert.equal(l.spec?.holderIdentity, won[0] ? 'node-a_1' : 'node-b_2');
    assert.equal(l.spec?.leaseTransitions, 1);
  });

  it('rejects timings client-go rejects', () => {
    const make = (leaseDurationMs: number, renewDeadlineMs: number, retryPeriodMs: number) => () =>
      new LeaderElector({ client: t.client, namespace: NS, name: 'x', identity: 'i', clock: t.clock, leaseDurationMs, renewDeadlineMs, retryPeriodMs, onStartedLeading() {}, onStoppedLeading() {} });
    assert.throws(make(10_000, 10_000, 2_000), /leaseDuration must be greater than renewDeadline/);
    assert.throws(make(15_000, 2_000, 2_000), /renewDeadline must be greater than retryPeriod\*JitterFactor/);
  });
});
