// Leader election over a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does
// it (tools/leaderelection/leaderelection.go, resourcelock/leaselock.go), for the parts of the
// server that must run once in a cluster of servers: the controller manager and the scheduler.
//
// Each round (tryAcquireOrRenew): the leader first updates the Lease it wrote last (the fast path);
// otherwise the Lease is read (created when missing). A record that changed since it was last seen
// is noted with the local time it was seen: another holder's lease counts as expired only once
// leaseDurationSeconds pass on the local clock from then, not from its renewTime, so clocks of
// different machines need not agree. Then the candidate writes itself in as holder, keeping
// acquireTime and leaseTransitions when it held the lease already, adding one to leaseTransitions
// otherwise. Two candidates that both see an expired lease both write; the resourceVersion the
// update names lets only one win.
//
// A candidate tries every RetryPeriod (2 s, plus up to 1.2 times that at random); the leader
// renews every RetryPeriod, and stops leading when no renewal succeeded within RenewDeadline
// (10 s) of the round it was due. Unlike client-go, a candidate also watches the Lease: it sees
// each renewal when it is written rather than at its next try, and tries again the moment the
// lease it saw expires, so a dead leader is replaced within leaseDurationSeconds of its last
// renewal (client-go's polling takes up to two RetryPeriods with jitter more). The rule is
// unchanged: never before leaseDurationSeconds have passed since the record was seen to change. stop() releases the lease as ReleaseOnCancel does (no holder,
// leaseDurationSeconds 1), so that another server takes over at its next try. Unlike a client-go
// process, which exits when it loses the lease, a server that stops leading becomes a candidate
// again.
import { timerDelay, type Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import type { Lease } from '../api/kinds.js';
import { formatMicroTime } from '../api/meta.js';
import { R, type Client } from '../client/client.js';

/** RecommendedDefaultLeaderElectionConfiguration */
export const LEASE_DURATION_MS = 15_000;
export const RENEW_DEADLINE_MS = 10_000;
export const RETRY_PERIOD_MS = 2_000;
/** JitterFactor */
export const JITTER_FACTOR = 1.2;

/** Time passing, injectable: a monotonic clock in milliseconds and timers on it. */
export interface Timers {
  now(): number;
  /** Calls `fn` after `ms`; answers a function that cancels the call. */
  after(ms: number, fn: () => unknown): () => void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  after(ms, fn) {
    // The wait comes from the Lease as stored (its leaseDurationSeconds, which any writer sets).
    const t = setTimeout(fn, timerDelay(ms));
    t.unref();
    return () => clearTimeout(t);
  },
};

export interface LeaderElectionConfig {
  client: Client;
  /** The lock: a Lease (kube-system/kube-controller-manager, kube-system/kube-scheduler). */
  namespace: string;
  name: string;
  /** Who this candidate is: the holderIdentity it writes. */
  identity: string;
  /** Wall time, for acquireTime and renewTime. */
  clock: Clock;
  /** Elapsed time, for expiry, deadlines and retries (default: real time). */
  timers?: Timers;
  /** A number in [0, 1) for the retry jitter (default Math.random). */
  random?: () => number;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Runs once this candidate leads; the next stop waits for it. */
  onStartedLeading(): Promise<void> | void;
  /** Runs when it no longer leads (lost, or stop()). */
  onStoppedLeading(): Promise<void> | void;
  /** Records an Event about the Lease (reason LeaderElection): `<identity> became leader`, `<identity> stopped leading`. */
  recordEvent?(lease: Lease, message: string): void;
}

/** LeaderElectionRecord, as the Lease's spec carries it. */
interface ElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

const recordOf = (lease: Lease): ElectionRecord => ({
  holderIdentity: lease.spec?.holderIdentity ?? '',
  leaseDurationSeconds: lease.spec?.leaseDurationSeconds ?? 0,
  acquireTime: lease.spec?.acquireTime,
  renewTime: lease.spec?.renewTime,
  leaseTransitions: lease.spec?.leaseTransitions ?? 0,
});

export class LeaderElector {
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  /** The Lease as last read or written (the lock's cache: its resourceVersion guards the next write). */
  private lease?: Lease;
  private observed?: ElectionRecord;
  private observedRaw = '';
  /** When (timers.now()) the observed record was last seen to change. */
  private observedTime = 0;
  private leading = false;
  private stopped = false;
  private round: Promise<unknown> = Promise.resolve();
  /** Bumped when a round's outcome no longer matters (leadership lost or stopped). */
  private generation = 0;
  private cancelTimer = () => {};
  private cancelDeadline = () => {};
  /** The watch of the Lease: whether one is open, its number (events of older ones are dropped), its end. */
  private watching = false;
  private watchGeneration = 0;
  private stopWatch: () => void = () => {};
  /** The leadership callbacks run one after another. */
  private transitions: Promise<void> = Promise.resolve();

  constructor(private readonly config: LeaderElectionConfig) {
    this.timers = config.timers ?? realTimers;
    this.random = config.random ?? Math.random;
    this.leaseDurationMs = config.leaseDurationMs ?? LEASE_DURATION_MS;
    this.renewDeadlineMs = config.renewDeadlineMs ?? RENEW_DEADLINE_MS;
    this.retryPeriodMs = config.retryPeriodMs ?? RETRY_PERIOD_MS;
    // NewLeaderElector's checks.
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (this.leaseDurationMs < 1) throw new Error('leaseDuration must be greater than zero');
    if (this.renewDeadlineMs < 1) throw new Error('renewDeadline must be greater than zero');
    if (this.retryPeriodMs < 1) throw new Error('retryPeriod must be greater than zero');
    if (!config.identity) throw new Error('Lock identity is empty');
  }

  /** The holder this candidate last saw ('' for none). */
  get leader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Takes part in the election: the first round runs now, and when it wins, this resolves once
   * onStartedLeading has (a lone server starts its controllers before it reports ready).
   */
  async start(): Promise<void> {
    await this.acquireRound();
  }

  /** Stops taking part: a leader stops leading and releases the lease. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.generation++;
    this.cancelTimer();
    this.cancelDeadline();
    this.endWatch();
    await this.round;
    if (this.leading) await this.stopLeading();
    await this.transitions;
    await this.release();
  }

  /** One try as a candidate; a failed one tries again after RetryPeriod with jitter. */
  private async acquireRound(): Promise<void> {
    const generation = this.generation;
    const won = await this.tracked(this.tryAcquireOrRenew());
    if (generation !== this.generation || this.stopped) return;
    if (!won) {
      this.watchLease();
      const retry = this.retryPeriodMs * (1 + this.random() * JITTER_FACTOR);
      this.schedule(Math.min(retry, Math.max(0, this.expiresAt() - this.timers.now()) + 1), () => this.acquireRound());
      return;
    }
    this.leading = true;
    this.event('became leader');
    this.watchRenewals();
    this.schedule(this.retryPeriodMs, () => this.renewRound());
    this.transitions = this.transitions
      .then(() => this.config.onStartedLeading())
      .catch((err) => console.error(`badge: leader election ${this.describe()}: starting:`, err));
    await this.transitions;
  }

  /** One renewal; a failed one is tried again every RetryPeriod until the deadline passes. */
  private async renewRound(): Promise<void> {
    const generation = this.generation;
    const renewed = await this.tracked(this.tryAcquireOrRenew());
    if (generation !== this.generation || this.stopped) return;
    if (renewed) this.watchRenewals();
    this.schedule(this.retryPeriodMs, () => this.renewRound());
  }

  /** The round in flight, which stop() waits for before it releases. */
  private tracked<T>(round: Promise<T>): Promise<T> {
    this.round = round.catch(() => undefined);
    return round;
  }

  /** The renewal due a RetryPeriod from now must succeed within RenewDeadline of then. */
  private watchRenewals(): void {
    this.cancelDeadline();
    this.cancelDeadline = this.timers.after(this.retryPeriodMs + this.renewDeadlineMs, () => this.lose());
  }

  private async lose(): Promise<void> {
    if (!this.leading || this.stopped) return;
    console.error(`badge: leader election: failed to renew lease ${this.describe()}: timed out waiting for the condition`);
    this.generation++;
    this.cancelTimer();
    await this.stopLeading();
    if (!this.stopped) this.schedule(this.retryPeriodMs * (1 + this.random() * JITTER_FACTOR), () => this.acquireRound());
  }

  private stopLeading(): Promise<void> {
    this.leading = false;
    this.cancelDeadline();
    this.event('stopped leading');
    this.transitions = this.transitions
      .then(() => this.config.onStoppedLeading())
      .catch((err) => console.error(`badge: leader election ${this.describe()}: stopping:`, err));
    return this.transitions;
  }

  private schedule(ms: number, fn: () => Promise<void>): void {
    this.cancelTimer();
    this.cancelTimer = this.timers.after(ms, () => fn().catch((err) => console.error(`badge: leader election ${this.describe()}:`, err)));
  }

  private event(what: string): void {
    if (this.lease) this.config.recordEvent?.(this.lease, `${this.config.identity} ${what}`);
  }

  private describe(): string {
    return `${this.config.namespace}/${this.config.name}`;
  }

  /** The observed record names this candidate (client-go's IsLeader). */
  private holds(): boolean {
    return this.observed?.holderIdentity === this.config.identity;
  }

  /** When (timers.now()) the observed record expires unless it changes. */
  private expiresAt(): number {
    return this.observedTime + (this.observed?.leaseDurationSeconds ?? 0) * 1000;
  }

  private leaseValid(): boolean {
    return this.expiresAt() > this.timers.now();
  }

  /**
   * Opens a watch of the Lease (if none is open) that notes each change of the record when it is
   * written; a watch that ends leaves the candidate to its tries, and the next failed try opens another.
   */
  private watchLease(): void {
    if (this.watching || this.stopped) return;
    this.watching = true;
    const generation = ++this.watchGeneration;
    const opts = { fieldSelector: `metadata.name=${this.config.name}`, resourceVersion: this.lease?.metadata.resourceVersion };
    this.config.client
      .watch(R.leases, this.config.namespace, opts, (e) => {
        if (generation !== this.watchGeneration) return;
        if (e.type === 'ERROR') this.endWatch();
        else if (e.type === 'ADDED' || e.type === 'MODIFIED') {
          const record = recordOf(e.object as Lease);
          if (JSON.stringify(record) !== this.observedRaw) this.observe(record);
        }
      })
      .then(
        (stop) => (generation === this.watchGeneration ? (this.stopWatch = stop) : stop()),
        () => generation === this.watchGeneration && this.endWatch(),
      );
  }

  private endWatch(): void {
    this.watchGeneration++;
    this.watching = false;
    this.stopWatch();
    this.stopWatch = () => {};
  }

  private observe(record: ElectionRecord): void {
    this.observed = record;
    this.observedRaw = JSON.stringify(record);
    this.observedTime = this.timers.now();
  }

  /** tryAcquireOrRenew: whether this candidate holds the lease after the round. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = formatMicroTime(this.config.clock.now());
    const record: ElectionRecord = { holderIdentity: this.config.identity, leaseDurationSeconds: Math.max(1, Math.floor(this.leaseDurationMs / 1000)), acquireTime: now, renewTime: now, leaseTransitions: 0 };
    // 1. The leader updates optimistically, assuming the lease is as it last wrote it.
    if (this.holds() && this.leaseValid() && this.lease) {
      const written = await this.update({ ...record, acquireTime: this.observed!.acquireTime, leaseTransitions: this.observed!.leaseTransitions });
      if (written) return true;
    }
    // 2. Read the lease, or create it.
    let current: Lease;
    try {
      current = await this.config.client.get(R.leases, this.config.namespace, this.config.name);
    } catch (err) {
      if (!isNotFound(err)) {
        console.error(`badge: leader election: error retrieving resource lock ${this.describe()}: ${(err as Error).message}`);
        return false;
      }
      try {
        this.lease = await this.config.client.create(R.leases, this.config.namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.config.name, namespace: this.config.namespace }, spec: { ...record } });
      } catch (e) {
        console.error(`badge: leader election: error initially creating leader election record: ${(e as Error).message}`);
        return false;
      }
      this.observe(record);
      return true;
    }
    this.lease = current;
    const old = recordOf(current);
    if (JSON.stringify(old) !== this.observedRaw) this.observe(old);
    // 3. Another holder whose lease has not expired keeps it.
    if (old.holderIdentity && this.leaseValid() && !this.holds()) return false;
    return this.update(this.holds() ? { ...record, acquireTime: old.acquireTime, leaseTransitions: old.leaseTransitions } : { ...record, leaseTransitions: old.leaseTransitions + 1 });
  }

  /** Writes the record into the cached Lease; the resourceVersion it names makes it fail if the Lease changed. */
  private async update(record: ElectionRecord): Promise<boolean> {
    try {
      this.lease = await this.config.client.update(R.leases, this.config.namespace, { ...this.lease!, spec: { ...this.lease!.spec, ...record } });
    } catch (err) {
      console.error(`badge: leader election: failed to update lock ${this.describe()}: ${(err as Error).message}`);
      return false;
    }
    this.observe(record);
    return true;
  }

  /** release: no holder, and a lease of one second, so that a candidate takes it at its next try. */
  private async release(): Promise<void> {
    if (!this.holds() || !this.lease) return;
    const now = formatMicroTime(this.config.clock.now());
    await this.update({ holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: this.observed!.leaseTransitions });
  }
}
