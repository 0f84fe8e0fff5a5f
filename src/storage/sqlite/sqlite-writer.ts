// The SQLite writer thread: commits the large batches (commit.ts) on its own connection, off the
// server's event loop: writing and syncing a large object takes tens of milliseconds that the
// event loop spends answering others meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { commit, writeStatements, type WriteOp } from './commit.js';

export interface WriterData {
  file: string;
}

const db = new Database((workerData as WriterData).file, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const statements = writeStatements(db);

parentPort!.on('message', (batch: WriteOp[]) => parentPort!.postMessage(commit(statements, batch)));
