// The default backend: one SQLite file (better-sqlite3), an append-only log whose row id is the
// revision (as kine does), plus a table of current values for fast reads. Every write is one
// transaction, committed with synchronous=FULL before the caller is answered, so an
// acknowledged write survives kill -9 and power loss.
import { closeSync, existsSync, openSync } from 'node:fs';
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

const RECENT_KEYS = 10_000;

export interface SqliteOptions {
  clock?: Clock;
  /** How often expired (TTL) keys are removed; 0 turns the sweeper off. */
  sweepIntervalMs?: number;
}

export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly watchers: WatcherSet;
  private readonly sweeper?: NodeJS.Timeout;
  private rev: number;
  private compacted: number;
  private readonly recent = new Map<string, KeyValue>();
  private readonly pending: { op: () => { result: unknown; event?: WatchEvent }; resolve: (r: unknown) => void; reject: (e: unknown) => void }[] = [];
  private readonly q;

  constructor(file: string, opts: SqliteOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    // The file holds Secrets: owner-only, and SQLite gives its -wal and -shm files the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'w', 0o600));
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
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
      history: db.prepare<[number, string, string], LogRow>('SELECT * FROM log WHERE rev > ? AND key >= ? AND key < ? ORDER BY rev'),
      insertLog: db.prepare('INSERT INTO log (rev, key, create_rev, value, prev_mod_rev, prev_value) VALUES (?, ?, ?, ?, ?, ?)'),
      upsert: db.prepare(
        `INSERT INTO objects (key, create_rev, mod_rev, value, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET create_rev = excluded.create_rev, mod_rev = excluded.mod_rev, value = excluded.value, expires_at = excluded.expires_at`,
      ),
      remove: db.prepare('DELETE FROM objects WHERE key = ?'),
      expired: db.prepare<[number], { key: string; mod_rev: number }>('SELECT key, mod_rev FROM objects WHERE expires_at IS NOT NULL AND expires_at <= ?'),
      maxRev: db.prepare<[], { rev: number | null }>("SELECT seq AS rev FROM sqlite_sequence WHERE name = 'log'"),
      getMeta: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE name = ?'),
      setMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
      compactLog: db.prepare('DELETE FROM log WHERE rev <= ?'),
    };
    this.rev = this.q.maxRev.get()?.rev ?? 0;
    this.compacted = this.q.getMeta.get('compacted')?.value ?? 0;
    this.watchers = new WatcherSet(() => this.rev);
    const sweep = opts.sweepIntervalMs ?? 5000;
    if (sweep > 0) {
      this.sweeper = setInterval(() => this.sweepExpired(), sweep);
      this.sweeper.unref();
    }
  }

  create(key: string, value: string, opts: WriteOptions = {}): Promise<KeyValue | undefined> {
    return this.write<KeyValue | undefined>(() => {
      if (this.q.get.get(key)) return { result: undefined };
      const rev = this.rev + 1;
      this.q.insertLog.run(rev, key, rev, value, null, null);
      this.q.upsert.run(key, rev, rev, value, this.expiry(opts));
      this.rev = rev;
      const kv = { key, value, createRevision: rev, modRevision: rev };
      return { result: kv, event: { type: 'put', kv } };
    });
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
   * directory is locked), so a point read need not go to SQLite. Oldest first, at most RECENT_KEYS.
   */
  private remember(kv: KeyValue): void {
    this.recent.delete(kv.key);
    if (this.recent.size >= RECENT_KEYS) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(kv.key, kv);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const start = opts.startKey && opts.startKey > prefix ? opts.startKey : prefix;
    const end = prefixEnd(prefix);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    return this.db.transaction((): ListResult => {
      const revision = opts.revision && opts.revision > 0 ? opts.revision : this.rev;
      if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
      if (revision > this.rev) throw new FutureRevisionError(revision, this.rev);
      let rows: ObjectRow[];
      let count: number;
      if (revision === this.rev) {
        rows = this.q.range.all(start, end, limit ? limit + 1 : -1);
        count = limit ? this.q.count.get(start, end)!.n : rows.length;
      } else {
        const all = this.snapshot(start, end, revision);
        count = all.length;
        rows = limit ? all.slice(0, limit + 1) : all;
      }
      const more = limit > 0 && rows.length > limit;
      if (more) rows = rows.slice(0, limit);
      return { kvs: rows.map(toKv), revision, more, count };
    })();
  }

  update(key: string, value: string, expected: number, opts: WriteOptions = {}): Promise<CasResult> {
    return this.write<CasResult>(() => {
      const cur = this.q.get.get(key);
      if (!cur || cur.mod_rev !== expected) return { result: { succeeded: false, current: cur && toKv(cur) } };
      const rev = this.rev + 1;
      this.q.insertLog.run(rev, key, cur.create_rev, value, cur.mod_rev, cur.value);
      this.q.upsert.run(key, cur.create_rev, rev, value, this.expiry(opts));
      this.rev = rev;
      const kv = { key, value, createRevision: cur.create_rev, modRevision: rev };
      return { result: { succeeded: true, kv }, event: { type: 'put', kv, prev: toKv(cur) } };
    });
  }

  delete(key: string, expected: number): Promise<CasResult> {
    return this.write<CasResult>(() => {
      const cur = this.q.get.get(key);
      if (!cur || cur.mod_rev !== expected) return { result: { succeeded: false, current: cur && toKv(cur) } };
      const rev = this.rev + 1;
      this.q.insertLog.run(rev, key, cur.create_rev, null, cur.mod_rev, cur.value);
      this.q.remove.run(key);
      this.rev = rev;
      const kv = { key, value: cur.value, createRevision: cur.create_rev, modRevision: rev };
      return { result: { succeeded: true, kv }, event: { type: 'delete', kv, prev: toKv(cur) } };
    });
  }

  /**
   * Group commit: writes asked for in the same turn of the event loop run in one transaction, so
   * concurrent writers share one fsync; each is answered only once that transaction is durable.
   */
  private write<R>(op: () => { result: R; event?: WatchEvent }): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ op, resolve: resolve as (r: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending.splice(0);
    const before = this.rev;
    type Outcome = { ok: { result: unknown; event?: WatchEvent } } | { err: unknown };
    let outcomes: Outcome[];
    try {
      // Each write runs in its own savepoint, so one failing write does not undo the others.
      outcomes = this.db.transaction(() => batch.map((w): Outcome => {
        try { return { ok: this.db.transaction(w.op)() }; } catch (err) { return { err }; }
      })).immediate();
    } catch (err) {
      this.rev = before;
      for (const w of batch) w.reject(err);
      return;
    }
    outcomes.forEach((o, i) => {
      if ('err' in o) return batch[i]!.reject(o.err);
      const event = o.ok.event;
      if (event?.type === 'put') this.remember(event.kv);
      else if (event?.type === 'delete') this.recent.delete(event.kv.key);
      if (event) this.watchers.publish(event);
      batch[i]!.resolve(o.ok.result);
    });
  }

  watch(prefix: string, afterRevision: number, onEvent: (e: WatchEvent) => void): Watch {
    if (afterRevision < this.compacted) throw new CompactedError(afterRevision, this.compacted);
    const backlog = this.q.history.all(afterRevision, prefix, prefixEnd(prefix)).map(toEvent);
    return this.watchers.add(prefix, backlog, onEvent);
  }

  async currentRevision(): Promise<number> {
    return this.rev;
  }

  async compact(revision: number): Promise<void> {
    if (revision <= this.compacted) return;
    if (revision > this.rev) throw new FutureRevisionError(revision, this.rev);
    this.db.transaction(() => {
      this.q.compactLog.run(revision);
      this.q.setMeta.run('compacted', revision);
    }).immediate();
    this.compacted = revision;
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.pending.length) this.flush();
    this.watchers.stopAll();
    this.db.close();
  }

  /** Deletes keys whose TTL has passed, each as an ordinary delete that watchers see. */
  sweepExpired(): void {
    for (const row of this.q.expired.all(this.clock.now().getTime())) void this.delete(row.key, row.mod_rev);
  }

  /** The keys in [start, end) as they were at `revision` (compacted <= revision < current). */
  private snapshot(start: string, end: string, revision: number): ObjectRow[] {
    const changed = new Map<string, LogRow>();
    for (const row of this.q.firstChangesAfter.all(revision, start, end)) changed.set(row.key, row);
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
