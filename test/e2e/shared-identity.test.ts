// Shared identity (--cluster-token-file): two `badge server` processes on one store have one CA,
// one admin and one service account signing key. On SQLite the servers share the store one after
// the other (each data dir's state.db is the same file); on etcd, when this Badge has the etcd
// backend and /usr/bin/etcd is there, at the same time.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BADGE_CLI, run, startBadgeProcess, type BadgeProcess } from './harness.js';
import { etcdMissing, startEtcd } from '../../src/testing/etcd.js';

const root = mkdtempSync(join(tmpdir(), 'badge-shared-'));
after(() => rmSync(root, { recursive: true, force: true }));

function tokenFile(name: string, token: string): string {
  const file = join(root, name);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return file;
}
const TOKEN = tokenFile('token', 'e2e-cluster-token-0123456789abcdef');
const WRONG = tokenFile('wrong', 'not-the-cluster-token-0123456789');

/** kubectl with A's kubeconfig (its CA, its admin certificate) against `server`. */
const kubectl = (kubeconfig: string, server: string, args: string[]) => run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--server', server, '--cache-dir', join(root, 'kubecache'), ...args]);

/** kubectl as the bearer of `token` against `server`, trusting the CA in `caFile`. */
const kubectlAsBearer = (caFile: string, server: string, token: string, args: string[]) =>
  run('/usr/bin/kubectl', ['--kubeconfig', '/dev/null', '--server', server, '--certificate-authority', caFile, '--token', token, '--cache-dir', join(root, 'kubecache'), ...args]);

/** Checks that B serves A's cluster: A's kubeconfig works against it, and a token A issued. */
async function servesTheSameCluster(a: string, b: BadgeProcess, token: string): Promise<void> {
  const r = await kubectl(join(a, 'kubeconfig.yaml'), b.url, ['get', 'serviceaccount', 'builder', '-o', 'name']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'serviceaccount/builder\n');
  const who = await kubectlAsBearer(join(a, 'pki/ca.crt'), b.url, token, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.stdout, 'system:serviceaccount:default:builder');
}

/** Makes the ServiceAccount `builder` through `server` and returns a token for it. */
async function builderToken(a: string, server: string): Promise<string> {
  const made = await kubectl(join(a, 'kubeconfig.yaml'), server, ['create', 'serviceaccount', 'builder']);
  assert.equal(made.code, 0, made.stderr);
  const token = await kubectl(join(a, 'kubeconfig.yaml'), server, ['create', 'token', 'builder']);
  assert.equal(token.code, 0, token.stderr);
  return token.stdout.trim();
}

describe('e2e: shared identity on one SQLite store, one server after the other', () => {
  const a = join(root, 'a');
  const b = join(root, 'b');

  it('a second server with the token serves the same cluster with the same CA', async () => {
    const first = await startBadgeProcess(a, ['--cluster-token-file', TOKEN]);
    let token: string;
    try {
      token = await builderToken(a, first.url);
    } finally {
      await first.stop();
    }
    mkdirSync(b, { mode: 0o700 });
    symlinkSync(join(a, 'state.db'), join(b, 'state.db'));
    const second = await startBadgeProcess(b, ['--cluster-token-file', TOKEN]);
    try {
      for (const f of ['ca.crt', 'ca.key', 'admin.crt', 'front-proxy-client.key', 'sa-rs256.key']) assert.equal(readFileSync(join(b, 'pki', f), 'utf8'), readFileSync(join(a, 'pki', f), 'utf8'), f);
      assert.notEqual(readFileSync(join(b, 'pki/serving.crt'), 'utf8'), readFileSync(join(a, 'pki/serving.crt'), 'utf8'), 'its own serving certificate');
      await servesTheSameCluster(a, second, token);
    } finally {
      await second.stop();
    }
  });

  it('a server with a wrong token stops at start, and makes no CA', async () => {
    const c = join(root, 'c');
    mkdirSync(c, { mode: 0o700 });
    symlinkSync(join(a, 'state.db'), join(c, 'state.db'));
    const r = await run(process.execPath, [BADGE_CLI, 'server', '--data-dir', c, '--port', '0', '--cluster-token-file', WRONG]);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stderr, `badge: the cluster token in ${WRONG} does not decrypt the cluster's bootstrap data in ${join(c, 'state.db')} (/bootstrap/identity: the passphrase does not open it (or it was changed)): start with the token of the cluster's first server\n`);
    assert.ok(!existsSync(join(c, 'pki/ca.crt')));
  });
});


describe('e2e: shared identity on etcd, two servers at once', { skip: etcdMissing() }, () => {
  it('two first servers racing make one cluster, and each serves it', async () => {
    const etcd = await startEtcd();
    const endpoint = etcd.urls.join(',');
    const servers: BadgeProcess[] = [];
    try {
      const [a, b] = [join(root, 'ea'), join(root, 'eb')];
      const flags = (name: string) => ['--storage-backend', 'etcd3', '--etcd-servers', endpoint, '--cluster-token-file', TOKEN, '--node-name', name];
      servers.push(...(await Promise.all([startBadgeProcess(a, flags('a')), startBadgeProcess(b, flags('b'))])));
      assert.equal(readFileSync(join(b, 'pki/ca.key'), 'utf8'), readFileSync(join(a, 'pki/ca.key'), 'utf8'));
      const token = await builderToken(a, servers[0]!.url);
      await servesTheSameCluster(a, servers[1]!, token);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await etcd.close();
    }
  });
});
