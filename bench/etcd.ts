// (13) The etcd backend: creates per second through one Badge server on etcd beside raw puts
// with the same etcd client (npm etcd3) from this process, as many in flight as wrk keeps; and
// a GET of one object and a LIST with resourceVersion=0 (from the watch cache on etcd) on etcd
// beside the same on SQLite; 1,000 watchers on etcd, a write's delivery to all (as row 6).
// (13c) A GET of one object with resourceVersion=0 (from the watch cache) on etcd beside the
// same GET on SQLite.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { startEtcd } from '../src/testing/etcd.js';
import { progress, type Rate } from './measure.js';
import { watchBench, type WatchResult } from './scenarios.js';
import { startBenchServer, type BenchServer } from './server.js';
import { wrk, type WrkResult } from './wrk.js';

const TOKEN = 'bench-etcd-token';
/** wrk's connections (wrk.ts): as many raw puts in flight. */
const IN_FLIGHT = 16;

export interface EtcdBenchResult {
  creates: { badge: WrkResult; raw: Rate };
  get: { etcd: WrkResult; sqlite: WrkResult };
  /** LIST of 10 ConfigMaps with resourceVersion=0. */
  list: { etcd: WrkResult; sqlite: WrkResult };
  watch: WatchResult;
}

const LISTED = '/api/v1/namespaces/kube-public/configmaps';

/** Ten ConfigMaps to list (kube-public holds only cluster-info's, if any). */
async function tenToList(server: { api(method: string, path: string, body?: unknown): Promise<unknown> }): Promise<void> {
  for (let i = 0; i < 10; i++) await server.api('POST', LISTED, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `l${i}` }, data: { k: 'v' } });
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

/** Row 6's watchers on a server on its own etcd (another cluster's server would need its token). */
async function watchOnEtcd(): Promise<WatchResult> {
  progress('etcd: 1,000 watchers');
  const etcd = await startEtcd();
  try {
    return await watchBench(1000, 50, ['--storage-backend', 'etcd3', '--etcd-servers', etcd.urls.join(',')]);
  } finally {
    await etcd.close();
  }
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
    let listEtcd: WrkResult;
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
      progress('etcd: LIST resourceVersion=0');
      await tenToList(onEtcd);
      listEtcd = wrk(`${onEtcd.url}${LISTED}?resourceVersion=0`, { seconds, headers });
    } finally {
      await onEtcd.stop();
    }
    const onSqlite = await startBenchServer(['--token-auth-file', tokens]);
    try {
      progress('etcd: the same GET on SQLite');
      await onSqlite.api('POST', configmaps, one);
      const getSqlite = wrk(`${onSqlite.url}${configmaps}/one`, { seconds, headers });
      progress('etcd: the same LIST on SQLite');
      await tenToList(onSqlite);
      const listSqlite = wrk(`${onSqlite.url}${LISTED}?resourceVersion=0`, { seconds, headers });
      return { creates, get: { etcd: getEtcd, sqlite: getSqlite }, list: { etcd: listEtcd, sqlite: listSqlite }, watch: await watchOnEtcd() };
    } finally {
      await onSqlite.stop();
    }
  } finally {
    await etcd.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Row 13c: the GET of row 13 with resourceVersion=0, answered by the watch cache on etcd, beside
 * the same on SQLite: both servers up at once, measured in turn three times (the best of each), so
 * that other load on the machine falls on both alike.
 */
export async function cachedGetBench(seconds: number): Promise<{ etcd: WrkResult; sqlite: WrkResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'badge-bench-'));
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, `${TOKEN},bench-admin,bench-admin,system:masters\n`);
  const headers = { Authorization: `Bearer ${TOKEN}` };
  const one = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { k: 'v' } };
  const configmaps = '/api/v1/namespaces/default/configmaps';
  const path = `${configmaps}/one?resourceVersion=0`;
  const etcd = await startEtcd();
  const servers: BenchServer[] = [];
  try {
    servers.push(await startBenchServer(['--token-auth-file', tokens, '--storage-backend', 'etcd3', '--etcd-servers', etcd.urls.join(',')]));
    servers.push(await startBenchServer(['--token-auth-file', tokens]));
    for (const server of servers) {
      await server.api('POST', configmaps, one);
      // The first GETs start the cache of ConfigMaps, if the informers had not.
      for (let i = 0; i < 10; i++) await server.api('GET', path);
    }
    const best: Array<WrkResult | undefined> = [undefined, undefined];
    for (let round = 1; round <= 3; round++) {
      servers.forEach((server, i) => {
        progress(`etcd: GET resourceVersion=0 on ${i ? 'SQLite' : 'etcd'}, round ${round} of 3`);
        const r = wrk(`${server.url}${path}`, { seconds, headers });
        if (!best[i] || r.requestsPerSec > best[i]!.requestsPerSec) best[i] = r;
      });
    }
    return { etcd: best[0]!, sqlite: best[1]! };
  } finally {
    for (const server of servers) await server.stop();
    await etcd.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
