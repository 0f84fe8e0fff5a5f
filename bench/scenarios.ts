// The benchmark scenarios of `npm run bench`, each measured beside its baseline.
import { spawn } from 'node:child_process';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CompactSign } from 'jose';
import { median, progress, rate, type Rate } from './measure.js';
import { h2load, type H2loadResult } from './h2load.js';
import { pkiOf, startBenchServer, type BenchServer } from './server.js';
import { wrk, type WrkResult } from './wrk.js';

const ADMIN_TOKEN = 'bench-admin-token';

/** A token file making ADMIN_TOKEN a system:masters user (wrk cannot present client certificates). */
function tokenFile(dir: string): string {
  const f = join(dir, 'tokens.csv');
  writeFileSync(f, `${ADMIN_TOKEN},bench-admin,bench-admin,system:masters\n`);
  return f;
}

export async function must<T extends { status: number; text: string }>(r: Promise<T>, what: string): Promise<T> {
  const res = await r;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res;
}

/** Runs fn over items with `n` in flight at once. */
export async function parallel<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

function startBaseline(certFile: string, keyFile: string, bodyFile: string, contentType: string): Promise<{ port: number; stop(): void; pid: number }> {
  const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'bench', 'baseline-server.js'), certFile, keyFile, bodyFile, contentType]);
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /listening (\d+)/.exec(String(d));
      if (m) resolve({ port: Number(m[1]), pid: child.pid!, stop: () => child.kill() });
    });
    child.once('exit', (code) => reject(new Error(`baseline exited ${code}`)));
  });
}

export interface RequestPathResult {
  badge: WrkResult;
  ceiling: WrkResult;
  withPolicy: WrkResult;
  /** (9) The same GET over HTTP/2 and over HTTP/1.1, from the same client. */
  protocols: { h2: H2loadResult; h1: H2loadResult };
  rssIdleBytes: number;
  rssAfterPolicyBytes: number;
  baselineRssBytes: number;
  policyObjects: number;
}

/**
 * (1) and (2): an authenticated, RBAC-authorized GET of one object, beside a bare HTTPS server;
 * (9) the same GET over HTTP/2 beside HTTP/1.1.
 */
export async function requestPathBench(seconds: number, policySize: number): Promise<RequestPathResult> {
  const dir = mkdtempSync(join(tmpdir(), 'badge-bench-'));
  const s = await startBenchServer(['--token-auth-file', tokenFile(dir)]);
  try {
    progress('request path: setting up');
    await must(s.api('POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader' } }), 'sa');
    await must(s.api('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }), 'role');
    await must(
      s.api('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'cm-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'default' }],
      }),
      'binding',
    );
    await must(s.api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench' }, data: { greeting: 'hello' } }), 'configmap');
    const token = (await must(s.api('POST', '/api/v1/namespaces/default/serviceaccounts/reader/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 86400 } }), 'token')).json as {
      status: { token: string };
    };
    const path = '/api/v1/namespaces/default/configmaps/bench';
    const headers = { Authorization: `Bearer ${token.status.token}` };
    const sample = await s.api('GET', path, undefined, headers);
    if (sample.status !== 200) throw new Error(`the bench request is not allowed: ${sample.text}`);

    await new Promise((r) => setTimeout(r, 1000));
    const rssIdleBytes = s.rssBytes();
    progress('request path: Badge');
    const badge = wrk(`${s.url}${path}`, { seconds, headers });
    progress('request path: Badge over HTTP/2 and HTTP/1.1');
    const protocols = { h2: h2load(`${s.url}${path}`, 'h2', { seconds, headers }), h1: h2load(`${s.url}${path}`, 'http/1.1', { seconds, headers }) };

    progress('request path: bare Node HTTPS server');
    const pki = pkiOf(s.dataDir);
    const files = { cert: join(dir, 'c.pem'), key: join(dir, 'k.pem'), body: join(dir, 'body.json') };
    writeFileSync(files.cert, pki.servingCert);
    writeFileSync(files.key, pki.servingKey);
    writeFileSync(files.body, sample.text);
    const base = await startBaseline(files.cert, files.key, files.body, 'application/json');
    const ceiling = wrk(`https://127.0.0.1:${base.port}${path}`, { seconds, headers });
    const baselineRssBytes = Number(readFileSync(`/proc/${base.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)![1]) * 1024;
    base.stop();

    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const items = Array.from({ length: policySize }, (_, i) => i);
    let done = 0;
    const tick = () => {
      if (++done % 1000 === 0) progress(`request path: creating policy objects ${done.toLocaleString('en-US')}/${(policySize * 3).toLocaleString('en-US')}`);
    };
    const rbac = '/apis/rbac.authorization.k8s.io/v1';
    for (let n = 0; n < 20; n++) await must(s.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } }, admin), 'namespace');
    await parallel(items, 16, async (i) => {
      const ns = `team-${i % 20}`;
      await must(s.api('POST', `${rbac}/namespaces/${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `role-${i}` }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] }, admin), 'role');
      tick();
      await must(
        s.api('POST', `${rbac}/namespaces/${ns}/rolebindings`, {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: `binding-${i}` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${i}` },
          subjects: [{ kind: 'ServiceAccount', name: `sa-${i}`, namespace: ns }],
        }, admin),
        'rolebinding',
      );
      tick();
      await must(
        s.api('POST', `${rbac}/clusterrolebindings`, {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: `crb-${i}` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
          subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${i}` }],
        }, admin),
        'clusterrolebinding',
      );
      tick();
    });
    progress(`request path: Badge with ${(policySize * 3).toLocaleString('en-US')} policy objects`);
    const withPolicy = wrk(`${s.url}${path}`, { seconds, headers });
    const rssAfterPolicyBytes = s.rssBytes();
    return { badge, ceiling, withPolicy, protocols, rssIdleBytes, rssAfterPolicyBytes, baselineRssBytes, policyObjects: policySize * 3 };
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TokenResult {
  alg: string;
  badge: WrkResult;
  jose: Rate;
}

/** (4) TokenRequest per second beside signing the same claims with jose alone. */
export async function tokenBench(alg: 'RS256' | 'ES256', seconds: number): Promise<TokenResult> {
  const dir = mkdtempSync(join(tmpdir(), 'badge-bench-'));
  const s = await startBenchServer(['--token-auth-file', tokenFile(dir), '--service-account-signing-alg', alg]);
  try {
    progress(`tokens ${alg}: Badge TokenRequest`);
    await must(s.api('POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'minted' } }), 'sa');
    const url = `${s.url}/api/v1/namespaces/default/serviceaccounts/minted/token`;
    const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
    const badge = wrk(url, { seconds, method: 'POST', body, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    progress(`tokens ${alg}: jose alone`);
    const key = createPrivateKey(readFileSync(join(s.dataDir, 'pki', `sa-${alg.toLowerCase()}.key`), 'utf8'));
    const sample = (await s.api('POST', '/api/v1/namespaces/default/serviceaccounts/minted/token', JSON.parse(body))).json.status.token as string;
    const header = JSON.parse(Buffer.from(sample.split('.')[0]!, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(sample.split('.')[1]!, 'base64url').toString());
    const jose = await rate(() => new CompactSign(Buffer.from(JSON.stringify({ ...claims, jti: randomUUID() }))).setProtectedHeader(header).sign(key), seconds * 1000, 10);
    return { alg, badge, jose };
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface StartResult {
  coldMs: number;
  warmMs: number;
  nodeMs: number;
}

async function readyz(s: BenchServer): Promise<void> {
  for (;;) {
    const r = await s.api('GET', '/readyz').catch(() => undefined);
    if (r?.status === 200) return;
    await new Promise((res) => setTimeout(res, 5));
  }
}

/** (5) Cold start (empty data dir) and warm start to /readyz, beside starting Node itself. */
export async function startBench(runs = 5): Promise<StartResult> {
  const cold: number[] = [];
  const warm: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < runs; i++) {
    progress(`start: run ${i + 1} of ${runs}`);
    const dir = mkdtempSync(join(tmpdir(), 'badge-bench-start-'));
    let t = performance.now();
    let s = await startBenchServer([], dir, true);
    await readyz(s);
    cold.push(performance.now() - t);
    await s.stop();
    t = performance.now();
    s = await startBenchServer([], dir, true);
    await readyz(s);
    warm.push(performance.now() - t);
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
    t = performance.now();
    await new Promise((r) => spawn(process.execPath, ['-e', '']).once('exit', r));
    node.push(performance.now() - t);
  }
  return { coldMs: median(cold), warmMs: median(warm), nodeMs: median(node) };
}

export interface WatchResult {
  watchers: number;
  badge: { p50ms: number; p99ms: number };
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

/** (6) 1,000 watchers: from a write's acknowledgement to its delivery to the last watcher. */
export async function watchBench(watchers: number, writes: number, serverArgs: string[] = []): Promise<WatchResult> {
  const s = await startBenchServer(serverArgs);
  try {
    return await watchFanOut([s], watchers, writes);
  } finally {
    await s.stop();
  }
}

/**
 * Watchers spread evenly over the servers (of one cluster: the first one's admin credentials serve
 * all), writes through the first: from each write's acknowledgement to its delivery to the last watcher.
 */
export async function watchFanOut(servers: BenchServer[], watchers: number, writes: number): Promise<WatchResult> {
  const s = servers[0]!;
  const pki = pkiOf(s.dataDir);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, ca: pki.ca, cert: pki.cert, key: pki.key });
  const requests: { destroy(): void }[] = [];
  try {
    progress(`watch: opening ${watchers} watches`);
    await must(s.api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched' }, data: { n: '0' } }), 'configmap');
    const rv = (await s.api('GET', '/api/v1/namespaces/default/configmaps/watched')).json.metadata.resourceVersion;
    const seen = new Map<string, number>();
    let expected = '';
    let waiting: (() => void) | undefined;
    await Promise.all(
      Array.from({ length: watchers }, (_, i) =>
        new Promise<void>((resolve, reject) => {
          const url = servers[i % servers.length]!.url;
          const req = request(`${url}/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dwatched&resourceVersion=${rv}`, { agent }, (res) => {
            resolve();
            let buf = '';
            res.on('data', (c) => {
              buf += c;
              let i;
              // Delivery is measured, not decoding: each event's line is only searched for its number.
              while ((i = buf.indexOf('\n')) >= 0) {
                const n = /"data":\{"n":"(\d+)"\}/.exec(buf.slice(0, i))?.[1] ?? '';
                buf = buf.slice(i + 1);
                const count = (seen.get(n) ?? 0) + 1;
                seen.set(n, count);
                if (n === expected && count === watchers) waiting?.();
              }
            });
          });
          req.on('error', reject);
          req.end();
          requests.push(req);
        }),
      ),
    );
    const latencies: number[] = [];
    for (let i = 1; i <= writes; i++) {
      progress(`watch: write ${i} of ${writes}`);
      expected = String(i);
      const delivered = new Promise<void>((r) => (waiting = r));
      await must(s.api('PATCH', '/api/v1/namespaces/default/configmaps/watched', { data: { n: expected } }, { 'Content-Type': 'application/merge-patch+json' }), 'patch');
      const acked = performance.now();
      if ((seen.get(expected) ?? 0) < watchers) await delivered;
      latencies.push(performance.now() - acked);
    }
    return { watchers, badge: { p50ms: quantile(latencies, 0.5), p99ms: quantile(latencies, 0.99) } };
  } finally {
    requests.forEach((r) => r.destroy());
    agent.destroy();
  }
}

export interface WritesResult {
  badge: WrkResult;
  sqlite: Rate;
}

/** (7) Creates per second through the API beside raw inserts into the same SQLite file. */
export async function writesBench(seconds: number): Promise<WritesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'badge-bench-'));
  const s = await startBenchServer(['--token-auth-file', tokenFile(dir)], undefined, true);
  try {
    progress('writes: Badge creates');
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'w-' }, data: { k: 'v' } });
    const badge = wrk(`${s.url}/api/v1/namespaces/default/configmaps`, { seconds, method: 'POST', body, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    await s.stop();
    progress('writes: raw SQLite inserts');
    const db = new Database(join(s.dataDir, 'state.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE IF NOT EXISTS raw_bench (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO raw_bench (key, value) VALUES (?, ?)');
    let n = 0;
    const sqlite = await rate(() => insert.run(`/registry/configmaps/default/raw-${n++}`, body), seconds * 1000, 10);
    db.close();
    return { badge, sqlite };
  } finally {
    rmSync(s.dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CustomResourceResult {
  get: { custom: WrkResult; configMap: WrkResult };
  create: { custom: WrkResult; configMap: WrkResult };
}

/** (8) GET and create of a custom resource beside the same for a ConfigMap. */
export async function customResourceBench(seconds: number): Promise<CustomResourceResult> {
  const dir = mkdtempSync(join(tmpdir(), 'badge-bench-'));
  const s = await startBenchServer(['--token-auth-file', tokenFile(dir)]);
  try {
    progress('custom resources: setup');
    const schema = { type: 'object', properties: { data: { type: 'object', additionalProperties: { type: 'string' } } } };
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.bench.example.com' }, spec: { group: 'bench.example.com', scope: 'Namespaced', names: { plural: 'things', kind: 'Thing' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] } };
    await must(s.api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd), 'create the CRD');
    const things = '/apis/bench.example.com/v1/namespaces/default/things';
    const configmaps = '/api/v1/namespaces/default/configmaps';
    for (let i = 0; (await s.api('GET', things)).status !== 200; i++) {
      if (i > 100) throw new Error('the custom resource is not served');
      await new Promise((r) => setTimeout(r, 20));
    }
    await must(s.api('POST', things, { apiVersion: 'bench.example.com/v1', kind: 'Thing', metadata: { name: 'one' }, data: { k: 'v' } }), 'create a Thing');
    await must(s.api('POST', configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { k: 'v' } }), 'create a ConfigMap');
    const headers = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    progress('custom resources: GET');
    const get = { custom: wrk(`${s.url}${things}/one`, { seconds, headers }), configMap: wrk(`${s.url}${configmaps}/one`, { seconds, headers }) };
    progress('custom resources: create');
    const body = (apiVersion: string, kind: string) => JSON.stringify({ apiVersion, kind, metadata: { generateName: 'w-' }, data: { k: 'v' } });
    const create = {
      custom: wrk(`${s.url}${things}`, { seconds, method: 'POST', body: body('bench.example.com/v1', 'Thing'), headers }),
      configMap: wrk(`${s.url}${configmaps}`, { seconds, method: 'POST', body: body('v1', 'ConfigMap'), headers }),
    };
    return { get, create };
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
