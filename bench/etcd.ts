// (13) The etcd backend: creates per second through one Badge server on etcd beside raw puts
// with the same etcd client (npm etcd3) from this process, as many in flight as wrk keeps; and
// a GET of one object on etcd beside the same GET on SQLite.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { startEtcd } from '../src/testing/etcd.js';
import { progress, type Rate } from './measure.js';
import { startBenchServer } from './server.js';
import { wrk, type WrkResult } from './wrk.js';

const TOKEN = 'bench-etcd-token';
/** wrk's connections (wrk.ts): as many raw puts in flight. */
const IN_FLIGHT = 16;

export interface EtcdBenchResult {
  creates: { badge: WrkResult; raw: Rate };
  get: { etcd: WrkResult; sqlite: WrkResult };
}

/** Puts with `inFlight` at once for `ms`; their rate. */
export async function rawPuts(client: Etcd3, body: string, ms: number, inFlight: number): Promise<Rate> {
  let n = 0;
  let started = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await client.put(`/raw/configmaps/default/raw-${started++}`).value(body);
        n++;
      }
    }),
  );
  const took = performance.now() - start;
  return { opsPerSec: (n * 1000) / took, iterations: n, ms: took };
}

export async function etcdBench(seconds: number): Promise<EtcdBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'badge-bench-'));
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, `${TOKEN},bench-admin,bench-admin,system:masters\n`);
  const headers = { Authorization: `Bearer ${TOKEN}` };
  const etcd = await startEtcd();
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'w-' }, data: { k: 'v' } });
  const one = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { k: 'v' } };
  const configmaps = '/api/v1/namespaces/default/configmaps';
  try {
    const onEtcd = await startBenchServer(['--token-auth-file', tokens, '--storage-backend', 'etcd3', '--etcd-servers', etcd.urls.join(',')]);
    let creates: EtcdBenchResult['creates'];
    let getEtcd: WrkResult;
    try {
      progress('etcd: Badge creates');
      const badge = wrk(`${onEtcd.url}${configmaps}`, { seconds, method: 'POST', body, headers });
      progress('etcd: raw puts');
      const client = new Etcd3({ hosts: etcd.urls });
      const raw = await rawPuts(client, body, seconds * 1000, IN_FLIGHT);
      client.close();
      creates = { badge, raw };
      progress('etcd: GET');
      await onEtcd.api('POST', configmaps, one);
      getEtcd = wrk(`${onEtcd.url}${configmaps}/one`, { seconds, headers });
    } finally {
      await onEtcd.stop();
    }
    const onSqlite = await startBenchServer(['--token-auth-file', tokens]);
    try {
      progress('etcd: the same GET on SQLite');
      await onSqlite.api('POST', configmaps, one);
      return { creates, get: { etcd: getEtcd, sqlite: wrk(`${onSqlite.url}${configmaps}/one`, { seconds, headers }) } };
    } finally {
      await onSqlite.stop();
    }
  } finally {
    await etcd.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
