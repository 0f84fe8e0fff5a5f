// How a batch of writes is committed: one transaction, each write in its own savepoint, durable
// (synchronous=FULL) before the outcomes are returned. The server's thread commits small batches
// itself; large ones go to the writer thread (sqlite-writer.ts), which runs the same function on
// its own connection. One batch commits at a time, so each starts from the file's last revision.
import type Database from 'better-sqlite3';

export type WriteOp =
  | { op: 'create'; key: string; value: string; expiresAt: number | null }
  | { op: 'update'; key: string; value: string; expected: number; expiresAt: number | null }
  | { op: 'delete'; key: string; expected: number }
  | { op: 'compact'; revision: number };

/** A stored row, as the writer found it before the write. */
export interface Row {
  create_rev: number;
  mod_rev: number;
  value: string;
}

export type WriteOutcome =
  /** The write was made at `rev`; `prev` is the row it replaced (updates and deletes). */
  | { rev: number; createRev: number; prev?: Row }
  /** A precondition failed: the key exists (create), or is missing or at another revision. */
  | { current?: Row }
  | { compacted: number }
  | { error: string; code?: string };

/** The statements a connection commits with. */
export function writeStatements(db: Database.Database) {
  return {
    db,
    get: db.prepare<[string], Row>('SELECT create_rev, mod_rev, value FROM objects WHERE key = ?'),
    maxRev: db.prepare<[], { rev: number | null }>("SELECT seq AS rev FROM sqlite_sequence WHERE name = 'log'"),
    insertLog: db.prepare('INSERT INTO log (rev, key, create_rev, value, prev_mod_rev, prev_value) VALUES (?, ?, ?, ?, ?, ?)'),
    upsert: db.prepare(
      `INSERT INTO objects (key, create_rev, mod_rev, value, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET create_rev = excluded.create_rev, mod_rev = excluded.mod_rev, value = excluded.value, expires_at = excluded.expires_at`,
    ),
    remove: db.prepare('DELETE FROM objects WHERE key = ?'),
    compactLog: db.prepare('DELETE FROM log WHERE rev <= ?'),
    setMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
  };
}

export type WriteStatements = ReturnType<typeof writeStatements>;

/** Commits a batch; one outcome per write, in order. */
export function commit(q: WriteStatements, batch: WriteOp[]): WriteOutcome[] {
  const failure = (err: unknown): WriteOutcome => ({ error: (err as Error).message, code: (err as { code?: string }).code });
  try {
    return q.db.transaction(() => {
      let rev = q.maxRev.get()?.rev ?? 0;
      const apply = (w: WriteOp): WriteOutcome => {
        if (w.op === 'compact') {
          q.compactLog.run(w.revision);
          q.setMeta.run('compacted', w.revision);
          return { compacted: w.revision };
        }
        const cur = q.get.get(w.key);
        if (w.op === 'create') {
          if (cur) return {};
          q.insertLog.run(rev + 1, w.key, rev + 1, w.value, null, null);
          q.upsert.run(w.key, rev + 1, rev + 1, w.value, w.expiresAt);
          return { rev: ++rev, createRev: rev };
        }
        if (!cur || cur.mod_rev !== w.expected) return { current: cur };
        if (w.op === 'update') {
          q.insertLog.run(rev + 1, w.key, cur.create_rev, w.value, cur.mod_rev, cur.value);
          q.upsert.run(w.key, cur.create_rev, rev + 1, w.value, w.expiresAt);
        } else {
          q.insertLog.run(rev + 1, w.key, cur.create_rev, null, cur.mod_rev, cur.value);
          q.remove.run(w.key);
        }
        return { rev: ++rev, createRev: cur.create_rev, prev: cur };
      };
      // Each write runs in its own savepoint, so one failing write does not undo the others.
      return batch.map((w): WriteOutcome => {
        try {
          return q.db.transaction(apply)(w);
        } catch (err) {
          return failure(err);
        }
      });
    }).immediate();
  } catch (err) {
    // The commit itself failed: nothing of the batch is stored.
    return batch.map(() => failure(err));
  }
}

/** Characters of values in a batch. */
export const batchBytes = (batch: WriteOp[]): number => batch.reduce((n, w) => n + ('value' in w ? w.value.length : 0), 0);

/**
 * Batches larger than this go to the writer thread. Below it a commit takes a few milliseconds
 * here, less than starting the thread and handing it the values (start-up's bootstrap policy, the
 * busiest writes of most servers, stays below it).
 */
export const LARGE_BATCH = 512 * 1024;
