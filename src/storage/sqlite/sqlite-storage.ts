// The default backend: one SQLite file (better-sqlite3), an append-only log whose row id is the
// revision (as kine does), plus a table of current values for fast reads. Writes are committed
// (commit.ts) with synchronous=FULL before the caller is answered, so an acknowledged write
// survives kill -9 and power loss: small batches on this thread, large ones by the writer thread
// (sqlite-writer.ts) on its own connection. Reads use this thread's connection, which sees every
// committed write (WAL), possibly before the writer thread has reported it.
import { closeSync, existsSync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../api/clock.js';
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
import { WatcherSet } from '../watchers.js';
import { batchBytes, commit, LARGE_BATCH, writeStatements, type Row, type WriteOp, type WriteOutcome, type WriteStatements } from './commit.js';
import type { WriterData } from './sqlite-writer.js';

interface ObjectRow {
  key: string;
  create_rev: number;
  mod_rev: number;
  value: string;
}

interface LogRow {
  rev: number;
  key: string;
  create_rev: number;
  value: string | null;
  prev_mod_rev: number | null;
  prev_value: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS objects (
  key TEXT PRIMARY KEY,
  create_rev INTEGER NOT NULL,
  mod_rev INTEGER NOT NULL,
  value TEXT NOT NULL,
  expires_at INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS objects_expiry ON objects(expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS log (
  rev INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  create_rev INTEGER NOT NULL,
  value TEXT,
  prev_mod_rev INTEGER,
  prev_value TEXT
);
CREATE INDEX IF NOT EXISTS log_key ON log(key, rev);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/** The read cache's bounds: keys, and the length of their values (the views readers keep of them cost a few times as much). */
const RECENT_KEYS = 100_000;
const RECENT_CHARS = 32 * 2 ** 20;

export interface SqliteOptions {
  clock?: Clock;
  /** How often expired (TTL) keys are removed; 0 turns the sweeper off. */
  sweepIntervalMs?: number;
}

/** A write, as watchers see it. */
type Change = Exclude<WatchEvent, { type: 'progress' }>;

type Pending = { op: WriteOp; settle(o: WriteOutcome): void; fail(err: unknown): void };

export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  private readonly writes: WriteStatements;
  /** The writer thread, started at the first large batch. */
  private writer?: Worker;
  private readonly clock: Clock;
  private readonly watchers: WatcherSet;
  private readonly sweeper?: NodeJS.Timeout;
  /** The revision of the last write this thread has been told of. */
  private rev: number;
  /** The revision of the last write handed to watchers (a turn after its reply). */
  private published: number;
  /** Writes told of, not yet handed to watchers. */
  private unpublished: Change[] = [];
  private compacted: number;
  private readonly recent = new Map<string, KeyValue>();
  /** The length of the values in `recent`. */
  private recentChars = 0;
  /** Writes asked for since the writer was last handed a batch. */
  private pending: Pending[] = [];
  /** The batch the writer is committing. */
  private inFlight: Pending[] = [];
  private readonly drainers: (() => void)[] = [];
  /** Why writes can no longer be made (the writer stopped, or the store was closed). */
  private stopped?: Error;
  private readonly q;
  private readonly file: string;

  constructor(file: string, opts: SqliteOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    // The file holds Secrets: owner-only, and SQLite gives its -wal and -shm files the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'w', 0o600));
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.writes = writeStatements(this.db);
    const db = this.db;
    this.q = {
      get: db.prepare<[string], ObjectRow>('SELECT key, create_rev, mod_rev, value FROM objects WHERE key = ?'),
      range: db.prepare<[string, string, number], ObjectRow>(
        'SELECT key, create_rev, mod_rev, value FROM objects WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
      ),
      count: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM objects WHERE key >= ? AND key < ?'),
      rangeAt: db.prepare<[string, string, number], ObjectRow>(
        'SELECT key, create_rev, mod_rev, value FROM objects WHERE key >= ? AND key < ? AND mod_rev <= ? ORDER BY key',
      ),
      firstChangesAfter: db.prepare<[number, string, string], LogRow>(
        `SELECT l.* FROM log l JOIN (SELECT key, MIN(rev) AS rev FROM log WHERE rev > ? AND key >= ? AND key < ? GROUP BY key) f
         ON l.rev = f.rev`,
      ),
      history: db.prepare<[number, number, string, string], LogRow>('SELECT * FROM log WHERE rev > ? AND rev <= ? AND key >= ? AND key < ? ORDER BY rev'),
      expired: db.prepare<[number], { key: string; mod_rev: number }>('SELECT key, mod_rev FROM objects WHERE expires_at IS NOT NULL AND expires_at <= ?'),
      maxRev: db.prepare<[], { rev: number | null }>("SELECT seq AS rev FROM sqlite_sequence WHERE name = 'log'"),
      getMeta: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE name = ?'),
    };
    this.rev = this.published = this.q.maxRev.get()?.rev ?? 0;
    this.compacted = this.q.getMeta.get('compacted')?.value ?? 0;
    this.watchers = new WatcherSet(() => this.published);
    this.file = file;
    const sweep = opts.sweepIntervalMs ?? 5000;
    if (sweep > 0) {
      this.sweeper = setInterval(() => this.sweepExpired(), sweep);
      this.sweeper.unref();
    }
  }

  create(key: string, value: string, opts: WriteOptions = {}): Promise<KeyValue | undefined> {
    return this.write({ op: 'create', key, value, expiresAt: this.expiry(opts) }, (o) =>
      'rev' in o ? this.committed({ type: 'put', kv: { key, value, createRevision: o.rev, modRevision: o.rev } }) : undefined,
    );
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const hit = this.recent.get(key);
    if (hit) return hit;
    const row = this.q.get.get(key);
    if (!row) return undefined;
    const kv = toKv(row);
    this.remember(kv);
    return kv;
  }

  /**
   * Recently read keys, kept current by every write: this process is the only writer (the data
   * directory is locked), so a point read need not go to SQLite, and a key read again (a GET, a
   * LIST) is the same KeyValue, whose decoded view and text readers keep (registry/store.ts).
   * Oldest first, at most RECENT_KEYS keys and RECENT_CHARS of values.
   */
  private remember(kv: KeyValue): void {
    this.forget(kv.key);
    this.recent.set(kv.key, kv);
    this.recentChars += kv.value.length;
    while (this.recent.size > RECENT_KEYS || this.recentChars > RECENT_CHARS) this.forget(this.recent.keys().next().value!);
  }

  private forget(key: string): void {
    const old = this.recent.get(key);
    if (!old) return;
    this.recent.delete(key);
    this.recentChars -= old.value.length;
  }

  /**
   * A row listed at the current revision as the KeyValue the cache holds for it, when it holds
   * that revision; a key it lacks is remembered (a row at the current revision is at least as new
   * as any write reported), one it holds at another revision is not (a write not yet reported).
   */
  private listed(row: ObjectRow): KeyValue {
    const hit = this.recent.get(row.key);
    if (hit?.modRevision === row.mod_rev) return hit;
    const kv = toKv(row);
    if (!hit) this.remember(kv);
    return kv;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const start = opts.startKey && opts.startKey > prefix ? opts.startKey : prefix;
    const end = prefixEnd(prefix);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    return this.db.transaction((): ListResult => {
      // The revision this read sees: the writer may have committed writes not yet reported here.
      const current = this.q.maxRev.get()?.rev ?? 0;
      const revision = opts.revision && opts.revision > 0 ? opts.revision : current;
      if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
      if (revision > current) throw new FutureRevisionError(revision, current);
      // A page of a paged LIST is pinned to its first page's revision: where no key of the range
      // changed since, the range as it is now is the range as it was then (a page read, cached KeyValues).
      const changed = revision === current ? undefined : this.firstChangesAfter(start, end, revision);
      let rows: ObjectRow[];
      let count: number;
      if (!changed?.size) {
        rows = this.q.range.all(start, end, limit ? limit + 1 : -1);
        count = limit ? this.q.count.get(start, end)!.n : rows.length;
      } else {
        const all = this.snapshot(start, end, revision, changed);
        count = all.length;
        rows = limit ? all.slice(0, limit + 1) : all;
      }
      const more = limit > 0 && rows.length > limit;
      if (more) rows = rows.slice(0, limit);
      return { kvs: rows.map(changed?.size ? toKv : (row) => this.listed(row)), revision, more, count };
    })();
  }

  update(key: string, value: string, expected: number, opts: WriteOptions = {}): Promise<CasResult> {
    return this.write({ op: 'update', key, value, expected, expiresAt: this.expiry(opts) }, (o): CasResult => {
      if (!('rev' in o)) return { succeeded: false, current: currentOf(key, o) };
      const kv = this.committed({ type: 'put', kv: { key, value, createRevision: o.createRev, modRevision: o.rev }, prev: rowKv(key, o.prev!) });
      return { succeeded: true, kv };
    });
  }

  delete(key: string, expected: number): Promise<CasResult> {
    return this.write({ op: 'delete', key, expected }, (o): CasResult => {
      if (!('rev' in o)) return { succeeded: false, current: currentOf(key, o) };
      const prev = rowKv(key, o.prev!);
      const kv = this.committed({ type: 'delete', kv: { ...prev, modRevision: o.rev }, prev });
      return { succeeded: true, kv };
    });
  }

  /** A write the writer made: this thread's revision and read cache learn of it, watchers next. */
  private committed(e: Change): KeyValue {
    this.rev = e.kv.modRevision;
    if (e.type === 'put') this.remember(e.kv);
    else this.forget(e.kv.key);
    this.unpublished.push(e);
    return e.kv;
  }

  /** Hands what was written to watchers, once the writers' replies have gone on their way. */
  private publish(): void {
    const events = this.unpublished;
    this.unpublished = [];
    for (const e of events) {
      this.published = e.kv.modRevision;
      this.watchers.publish(e);
    }
  }

  /**
   * Group commit: writes asked for in the same turn of the event loop, or while the writer thread
   * commits a batch, go together in the next one, so concurrent writers share one fsync; each is
   * answered only once its transaction is durable.
   */
  private write<R>(op: WriteOp, done: (o: WriteOutcome) => R): Promise<R> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise<R>((resolve, reject) => {
      const settle = (o: WriteOutcome) => {
        if (!('error' in o)) return resolve(done(o));
        const err = new Error(o.error);
        reject(o.code ? Object.assign(err, { code: o.code }) : err);
      };
      this.pending.push({ op, settle, fail: reject });
      if (this.pending.length === 1 && !this.inFlight.length) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    if (this.inFlight.length || !this.pending.length || this.stopped) return;
    [this.inFlight, this.pending] = [this.pending, []];
    const batch = this.inFlight.map((p) => p.op);
    if (batchBytes(batch) <= LARGE_BATCH) return this.settle(commit(this.writes, batch));
    const writer = this.writerThread();
    writer.ref();
    writer.postMessage(batch);
  }

  private writerThread(): Worker {
    if (this.writer) return this.writer;
    const writer = new Worker(new URL('./sqlite-writer.js', import.meta.url), { workerData: { file: this.file } satisfies WriterData });
    writer.on('message', (outcomes: WriteOutcome[]) => this.settle(outcomes));
    const fail = (why: string) => this.stop(new Error(`the SQLite writer thread for ${this.file} stopped: ${why}`));
    writer.on('error', (err) => fail(err.message));
    writer.on('exit', (code) => fail(`exit code ${code}`));
    // After the listeners (a 'message' listener refs the worker): only a batch in flight keeps
    // the process alive.
    writer.unref();
    return (this.writer = writer);
  }

  /** The writer's outcomes for the batch in flight, in order. */
  private settle(outcomes: WriteOutcome[]): void {
    const batch = this.inFlight;
    this.inFlight = [];
    this.writer?.unref();
    batch.forEach((p, i) => p.settle(outcomes[i]!));
    // A turn later: the writers' replies are on their way before the fan-out to watchers starts.
    if (this.unpublished.length) setImmediate(() => this.publish());
    if (this.pending.length) this.flush();
    else for (const drained of this.drainers.splice(0)) drained();
  }

  private stop(err: Error): void {
    if (this.stopped) return;
    this.stopped = err;
    for (const p of [...this.inFlight, ...this.pending]) p.fail(err);
    this.inFlight = [];
    this.pending = [];
    for (const drained of this.drainers.splice(0)) drained();
  }

  watch(prefix: string, afterRevision: number, onEvent: (e: WatchEvent) => void): Watch {
    if (afterRevision < this.compacted) throw new CompactedError(afterRevision, this.compacted);
    // History up to what watchers have been handed; later writes come through publish().
    const backlog = this.q.history.all(afterRevision, this.published, prefix, prefixEnd(prefix)).map(toEvent);
    const w = this.watchers.add(prefix, afterRevision, backlog, onEvent);
    // Progress is reported after every write already answered, as etcd reports it.
    return { stop: () => w.stop(), requestProgress: () => (this.publish(), w.requestProgress()) };
  }

  async currentRevision(): Promise<number> {
    return this.rev;
  }

  async compact(revision: number): Promise<void> {
    if (revision <= this.compacted) return;
    if (revision > this.rev) throw new FutureRevisionError(revision, this.rev);
    // Known before the log rows go: no read or watch starts from a revision being removed.
    this.compacted = revision;
    await this.write({ op: 'compact', revision }, () => undefined);
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.inFlight.length || this.pending.length) {
      const drained = new Promise<void>((r) => this.drainers.push(r));
      this.flush();
      await drained;
    }
    this.stop(new Error('the storage is closed'));
    await this.writer?.terminate();
    this.watchers.stopAll();
    this.db.close();
  }

  /** Deletes keys whose TTL has passed, each as an ordinary delete that watchers see. */
  sweepExpired(): void {
    for (const row of this.q.expired.all(this.clock.now().getTime())) {
      // A failed delete is tried again at the next sweep.
      this.delete(row.key, row.mod_rev).catch(() => undefined);
    }
  }

  /** The first change after `revision` of each key in [start, end) that changed since. */
  private firstChangesAfter(start: string, end: string, revision: number): Map<string, LogRow> {
    const changed = new Map<string, LogRow>();
    for (const row of this.q.firstChangesAfter.all(revision, start, end)) changed.set(row.key, row);
    return changed;
  }

  /** The keys in [start, end) as they were at `revision` (compacted <= revision < current), given their first changes since. */
  private snapshot(start: string, end: string, revision: number, changed: Map<string, LogRow>): ObjectRow[] {
    const rows = this.q.rangeAt.all(start, end, revision).filter((r) => !changed.has(r.key));
    for (const c of changed.values()) {
      if (c.prev_mod_rev !== null && c.prev_value !== null) {
        rows.push({ key: c.key, create_rev: c.create_rev, mod_rev: c.prev_mod_rev, value: c.prev_value });
      }
    }
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private expiry(opts: WriteOptions): number | null {
    return opts.ttlSeconds ? this.clock.now().getTime() + opts.ttlSeconds * 1000 : null;
  }
}

function rowKv(key: string, row: Row): KeyValue {
  return { key, value: row.value, createRevision: row.create_rev, modRevision: row.mod_rev };
}

/** The key's current value when a precondition failed, as the writer found it. */
function currentOf(key: string, o: WriteOutcome): KeyValue | undefined {
  return 'current' in o && o.current ? rowKv(key, o.current) : undefined;
}

function toKv(row: ObjectRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.create_rev, modRevision: row.mod_rev };
}

function toEvent(row: LogRow): WatchEvent {
  const prev: KeyValue | undefined =
    row.prev_mod_rev !== null && row.prev_value !== null
      ? { key: row.key, value: row.prev_value, createRevision: row.create_rev, modRevision: row.prev_mod_rev }
      : undefined;
  if (row.value === null) {
    return { type: 'delete', kv: { key: row.key, value: row.prev_value!, createRevision: row.create_rev, modRevision: row.rev }, prev: prev! };
  }
  return { type: 'put', kv: { key: row.key, value: row.value, createRevision: row.create_rev, modRevision: row.rev }, prev };
}

/**
 * What is wrong with an existing database file, or undefined if nothing is. The check is SQLite's
 * quick_check, which reads every page (about 1 ms a megabyte here, so it runs at every start);
 * integrity_check, which also matches every index against its table, takes half as long again.
 */
export function databaseProblem(file: string): string | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    const found = db.pragma('quick_check(1)', { simple: true }) as string;
    return found === 'ok' ? undefined : `fails SQLite's quick_check (${found.replace(/^\*\*\* .* \*\*\*\n/, '')})`;
  } catch (err) {
    return (err as { code?: string }).code === 'SQLITE_NOTADB' ? 'is not a SQLite database' : `cannot be read (${(err as Error).message})`;
  } finally {
    db?.close();
  }
}

/** A current key of a SQLite store, with when it expires (ms since the epoch; null: never). */
export interface StoredObject {
  key: string;
  value: string;
  expiresAt: number | null;
}

/** The current keys under `prefix` of the store in `file`, in key order, read-only (for `badge migrate`). */
export function readStoredObjects(file: string, prefix: string): StoredObject[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[string, string], { key: string; value: string; expires_at: number | null }>('SELECT key, value, expires_at FROM objects WHERE key >= ? AND key < ? ORDER BY key')
      .all(prefix, prefixEnd(prefix))
      .map((r) => ({ key: r.key, value: r.value, expiresAt: r.expires_at }));
  } finally {
    db.close();
  }
}
