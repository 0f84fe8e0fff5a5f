// The SQLite writer thread: commits the storage's writes on its own connection, off the server's
// event loop (see sqlite-storage.ts). A batch is one transaction, each write in its own savepoint,
// committed with synchronous=FULL before the batch's outcomes are posted back: writing and syncing
// a large object takes tens of milliseconds that the event loop now spends answering others.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

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

export interface WriterData {
  file: string;
}

const db = new Database((workerData as WriterData).file, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');

const q = {
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

let rev = q.maxRev.get()?.rev ?? 0;

function apply(w: WriteOp): WriteOutcome {
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
}

parentPort!.on('message', (batch: WriteOp[]) => {
  const before = rev;
  let outcomes: WriteOutcome[];
  try {
    // Each write runs in its own savepoint, so one failing write does not undo the others.
    outcomes = db.transaction(() => batch.map((w): WriteOutcome => {
      try {
        return db.transaction(apply)(w);
      } catch (err) {
        return { error: (err as Error).message, code: (err as { code?: string }).code };
      }
    })).immediate();
  } catch (err) {
    // The commit itself failed: nothing of the batch is stored.
    rev = before;
    const error = { error: (err as Error).message, code: (err as { code?: string }).code };
    outcomes = batch.map(() => error);
  }
  parentPort!.postMessage(outcomes);
});
