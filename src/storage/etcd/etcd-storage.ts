// The etcd v3 backend: the storage interface on a real etcd, with kube-apiserver's key layout
// (keys.ts), JSON values and its transaction shapes (apiserver storage/etcd3/store.go):
// create is Txn If(mod_revision == 0) Then Put; update and delete compare mod_revision and
// read the key in the Else branch, so a conflict needs no second round trip. A list reads one
// revision (a continued list passes the first page's); a watch is one etcd watch (etcd-watch.ts);
// TTL keys go on reused leases (lease-manager.ts). Every call is bounded by a deadline: when etcd
// cannot be reached a request fails with a Status, and the `etcd` health check says so.
import { readFileSync } from 'node:fs';
import type { Etcd3, IKeyValue, IOptions, IRangeResponse, IResponseHeader } from 'etcd3';
import { systemClock, type Clock } from '../../api/clock.js';
import { ApiError } from '../../api/errors.js';
import {
  CompactedError,
  FutureRevisionError,
  prefixEnd,
  type CasResult,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Storage,
  type Watch,
  type WatchEvent,
  type WriteOptions,
} from '../storage.js';
import { keyMap, type KeyMap } from './keys.js';
import { LeaseManager } from './lease-manager.js';
import { watchRange } from './etcd-watch.js';

export interface EtcdOptions {
  /** --etcd-servers: client URLs (http:// or https://). */
  servers: string[];
  /** --etcd-prefix (default /registry). */
  prefix?: string;
  /** --etcd-cafile, --etcd-certfile, --etcd-keyfile: PEM files for TLS to etcd. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** The longest one etcd call may take (default 5 s). */
  callTimeoutMs?: number;
  /** How often the health check reads `<prefix>/health` (default 2 s; 0: only on demand). */
  healthIntervalMs?: number;
  clock?: Clock;
}

const Buf = (s: string) => Buffer.from(s);

/**
 * Connects to etcd. The client (gRPC and its protobufs, about 0.4 s to load) is loaded only
 * here, so a server on SQLite never loads it.
 */
export async function openEtcdStorage(opts: EtcdOptions): Promise<EtcdStorage> {
  const { Etcd3 } = await import('etcd3');
  const timeout = opts.callTimeoutMs ?? 5000;
  const options: IOptions = {
    hosts: opts.servers,
    // Streams (watches) stay open; every other call gets a deadline.
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
  };
  if (opts.caFile || opts.certFile || opts.keyFile) {
    options.credentials = {
      rootCertificate: readFileSync(opts.caFile ?? '/etc/ssl/certs/ca-certificates.crt'),
      ...(opts.keyFile ? { privateKey: readFileSync(opts.keyFile) } : {}),
      ...(opts.certFile ? { certChain: readFileSync(opts.certFile) } : {}),
    };
  }
  return new EtcdStorage(new Etcd3(options), opts);
}

/** etcd refused a read or compaction at a revision (OUT_OF_RANGE): compacted, or in the future. */
function outOfRange(err: unknown, what: 'compacted' | 'future revision'): boolean {
  return (err as Error)?.constructor?.name === 'GRPCOutOfRangeError' && (err as Error).message.includes(what);
}

export class EtcdStorage implements Storage {
  readonly client: Etcd3;
  private readonly keys: KeyMap;
  private readonly leases: LeaseManager;
  private readonly healthKey: Buffer;
  private readonly watches = new Set<Watch>();
  private readonly healthTimer?: NodeJS.Timeout;
  /** The newest compaction this process knows of. */
  private compacted = 0;
  /** Why the last call failed to reach etcd; undefined once one succeeds. */
  private unreachable?: string;

  constructor(client: Etcd3, opts: EtcdOptions) {
    this.client = client;
    this.keys = keyMap(opts.prefix ?? '/registry');
    this.healthKey = Buf(this.keys.toEtcd('/registry/health'));
    this.leases = new LeaseManager(async (ttl) => (await this.call(() => this.client.leaseClient.leaseGrant({ TTL: ttl }))).ID, opts.clock ?? systemClock);
    const every = opts.healthIntervalMs ?? 2000;
    if (every > 0) {
      this.healthTimer = setInterval(() => void this.currentRevision().catch(() => undefined), every);
      this.healthTimer.unref();
    }
  }

  /** The `etcd` health check: why etcd cannot be reached, or undefined. */
  problem(): string | undefined {
    return this.unreachable;
  }

  async create(key: string, value: string, opts: WriteOptions = {}): Promise<KeyValue | undefined> {
    const k = Buf(this.keys.toEtcd(key));
    const lease = opts.ttlSeconds ? await this.leases.lease(opts.ttlSeconds) : undefined;
    const res = await this.call(() =>
      this.client.kv.txn({
        compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: 0 }],
        success: [{ request_put: { key: k, value: Buf(value), ...(lease ? { lease } : {}) } }],
      }),
    );
    if (!res.succeeded) return undefined;
    const rev = revisionOf(res.header);
    return { key, value, createRevision: rev, modRevision: rev };
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.call(() => this.client.kv.range({ key: Buf(this.keys.toEtcd(key)) }));
    return res.kvs[0] && this.kv(res.kvs[0]);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const start = opts.startKey && opts.startKey > prefix ? opts.startKey : prefix;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const revision = opts.revision && opts.revision > 0 ? opts.revision : 0;
    let res: IRangeResponse;
    try {
      res = await this.call(() =>
        this.client.kv.range({ key: Buf(this.keys.toEtcd(start)), range_end: Buf(this.keys.toEtcd(prefixEnd(prefix))), limit, revision }),
      );
    } catch (err) {
      if (outOfRange(err, 'compacted')) {
        this.compacted = Math.max(this.compacted, revision);
        throw new CompactedError(revision, this.compacted);
      }
      if (outOfRange(err, 'future revision')) throw new FutureRevisionError(revision, await this.currentRevision());
      throw err;
    }
    return { kvs: res.kvs.map((kv) => this.kv(kv)), revision: revision || revisionOf(res.header), more: res.more, count: Number(res.count) };
  }

  async update(key: string, value: string, expected: number, opts: WriteOptions = {}): Promise<CasResult> {
    const k = Buf(this.keys.toEtcd(key));
    const lease = opts.ttlSeconds ? await this.leases.lease(opts.ttlSeconds) : undefined;
    const res = await this.call(() =>
      this.client.kv.txn({
        compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expected }],
        // The read after the put gives the key's create_revision, without its value.
        success: [{ request_put: { key: k, value: Buf(value), ...(lease ? { lease } : {}) } }, { request_range: { key: k, keys_only: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) return { succeeded: false, current: this.current(res.responses[0]?.response_range) };
    const stored = res.responses[1]!.response_range.kvs[0]!;
    const rev = revisionOf(res.header);
    return { succeeded: true, kv: { key, value, createRevision: Number(stored.create_revision), modRevision: rev } };
  }

  async delete(key: string, expected: number): Promise<CasResult> {
    const k = Buf(this.keys.toEtcd(key));
    const res = await this.call(() =>
      this.client.kv.txn({
        compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expected }],
        success: [{ request_delete_range: { key: k, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) return { succeeded: false, current: this.current(res.responses[0]?.response_range) };
    const prev = this.kv(res.responses[0]!.response_delete_range.prev_kvs[0]!);
    return { succeeded: true, kv: { ...prev, modRevision: revisionOf(res.header) } };
  }

  watch(prefix: string, afterRevision: number, onEvent: (e: WatchEvent) => void, onEnd: (err: Error) => void = () => undefined): Watch {
    if (afterRevision < this.compacted) throw new CompactedError(afterRevision, this.compacted);
    const w = watchRange(
      {
        client: this.client.watchClient,
        keys: this.keys,
        start: this.keys.toEtcd(prefix),
        end: this.keys.toEtcd(prefixEnd(prefix)),
        compacted: () => this.compacted,
        reachable: (err) => (this.unreachable = err && unreachableReason(err)),
      },
      afterRevision,
      onEvent,
      (err) => {
        this.watches.delete(w);
        if (err instanceof CompactedError) this.compacted = Math.max(this.compacted, err.compacted);
        onEnd(err);
      },
    );
    this.watches.add(w);
    return {
      requestProgress: () => w.requestProgress(),
      stop: () => {
        this.watches.delete(w);
        w.stop();
      },
    };
  }

  /** etcd's current revision (a linearizable read of `<prefix>/health`, which need not exist). */
  async currentRevision(): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: this.healthKey, count_only: true }));
    return revisionOf(res.header);
  }

  async compact(revision: number): Promise<void> {
    if (revision <= this.compacted) return;
    try {
      await this.call(() => this.client.kv.compact({ revision, physical: true }));
    } catch (err) {
      // Another server compacted as far already.
      if (!outOfRange(err, 'compacted')) throw err;
    }
    this.compacted = revision;
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  /** Another server compacted up to `revision` (the compactor read it from compact_rev_key). */
  compactedElsewhere(revision: number): void {
    this.compacted = Math.max(this.compacted, revision);
  }

  async close(): Promise<void> {
    if (this.healthTimer) clearInterval(this.healthTimer);
    for (const w of this.watches) w.stop();
    this.watches.clear();
    this.client.close();
  }

  /**
   * One etcd call. A failure to reach etcd becomes what kube-apiserver answers for an error its
   * storage does not interpret: a 500 Status whose message is the etcd client's error.
   */
  async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.unreachable = undefined;
      return result;
    } catch (err) {
      // While the client's circuit breaker holds calls back, the reason is the last real failure.
      const reason = (isBrokenCircuit(err) && this.unreachable) || unreachableReason(err as Error);
      if (!reason) throw err;
      this.unreachable = reason;
      throw new ApiError(500, '', reason);
    }
  }

  private kv(kv: IKeyValue): KeyValue {
    return { key: this.keys.fromEtcd(kv.key.toString()), value: kv.value.toString(), createRevision: Number(kv.create_revision), modRevision: Number(kv.mod_revision) };
  }

  private current(range: IRangeResponse | undefined): KeyValue | undefined {
    const kv = range?.kvs[0];
    return kv && this.kv(kv);
  }
}

/** The etcd client stopped trying a host that kept failing (for 5 s). */
function isBrokenCircuit(err: unknown): boolean {
  return (err as Error)?.constructor?.name === 'BrokenCircuitError';
}

function revisionOf(header: IResponseHeader): number {
  return Number(header.revision);
}

/**
 * The message of an error that means etcd could not be reached or did not answer in time, as the
 * Go client words it; undefined for other errors (a compacted or future revision, a request etcd
 * refused).
 */
function unreachableReason(err: Error): string | undefined {
  const name = err.constructor?.name ?? '';
  if (name === 'GRPCDeadlineExceededError') return 'context deadline exceeded';
  // grpc-js words it "14 UNAVAILABLE: No connection established. Last error: … Resolution note: ".
  const desc = err.message.replace(/^\d+ [A-Z_]+: /, '').replace(/\s*Resolution note:\s*$/, '');
  if (name === 'GRPCUnavailableError' || name === 'GRPCCancelledError' || name === 'EtcdWatchStreamEnded') return `rpc error: code = Unavailable desc = ${desc}`;
  if (isBrokenCircuit(err)) return `rpc error: code = Unavailable desc = ${err.message}`;
  if (/etcdserver: (request timed out|no leader|leader changed|too many requests)/.test(err.message)) return err.message;
  return undefined;
}
