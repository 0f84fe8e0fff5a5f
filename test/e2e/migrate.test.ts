// `badge migrate`: a cluster made on SQLite moves to a real etcd; the server started on etcd with
// the same data dir serves the same objects (UIDs, creation timestamps) and honours a token issued
// before the move, and a second server with the cluster token serves them too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { etcdMissing, startEtcd, type EtcdCluster } from '../../src/testing/etcd.js';
import { BADGE_CLI, run, startBadgeProcess, type BadgeProcess } from './harness.js';

const EXAMPLES = '/work/shared/seed/examples';
const FILES = ['01-serviceaccount.yaml', '06-pod-reader.yaml', '09-readonly-app.yaml'].map((f) => join(EXAMPLES, f));
const IDENTITY = '{range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name} {.metadata.uid} {.metadata.creationTimestamp}{"\\n"}{end}';

describe('e2e: badge migrate from SQLite to etcd', { skip: etcdMissing() }, () => {
  const root = mkdtempSync(join(tmpdir(), 'badge-migrate-e2e-'));
  const dataDir = join(root, 'a');
  let etcd: EtcdCluster;
  const servers: BadgeProcess[] = [];
  const kubectl = (server: string, args: string[], token?: string) =>
    run('/usr/bin/kubectl', [
      ...(token ? ['--kubeconfig', '/dev/null', '--certificate-authority', join(dataDir, 'pki', 'ca.crt'), '--token', token] : ['--kubeconfig', join(dataDir, 'kubeconfig.yaml')]),
      '--server', server, '--cache-dir', join(root, 'cache'), ...args,
    ]);
  const ok = async (server: string, args: string[], token?: string) => {
    const r = await kubectl(server, args, token);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const migrate = (args: string[]) => run(process.execPath, [BADGE_CLI, 'migrate', '--from-data-dir', dataDir, '--etcd-servers', etcd.urls.join(','), ...args]);
  const onEtcd = () => ['--storage-backend', 'etcd3', '--etcd-servers', etcd.urls.join(','), '--etcd-compaction-interval', '0'];

  before(async () => {
    etcd = await startEtcd();
  });
  after(async () => {
    for (const s of servers) await s.stop();
    await etcd?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('moves the objects and the identity; old tokens keep working on every server', async () => {
    const sqlite = await startBadgeProcess(dataDir);
    servers.push(sqlite);
    await ok(sqlite.url, ['create', 'namespace', 'production']);
    for (const f of FILES) await ok(sqlite.url, ['apply', '-f', f]);
    const before = await ok(sqlite.url, ['get', ...FILES.flatMap((f) => ['-f', f]), '-o', `jsonpath=${IDENTITY}`]);
    assert.equal(before.trim().split('\n').length, 9, before);
    const token = (await ok(sqlite.url, ['create', 'token', 'readonly-app', '-n', 'production', '--duration', '1h'])).trim();

    // Refused while the server holds the data dir.
    const busy = await migrate([]);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /is in use by another badge server/);
    await sqlite.stop();

    const moved = await migrate([]);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, /^copied \d+ objects from .*state\.db to etcd /m);
    assert.match(moved.stdout, /^ {2}serviceaccounts +\d+$/m);
    assert.match(moved.stdout, new RegExp(`sealed with the cluster token ${join(dataDir, 'token')}`));
    const again = await migrate([]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already holds \d+ objects under \/registry: migrate into an empty etcd/);

    const first = await startBadgeProcess(dataDir, onEtcd());
    servers.push(first);
    assert.equal(await ok(first.url, ['get', ...FILES.flatMap((f) => ['-f', f]), '-o', `jsonpath=${IDENTITY}`]), before);
    assert.equal(await ok(first.url, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], token), 'system:serviceaccount:production:readonly-app');

    const second = await startBadgeProcess(join(root, 'b'), [...onEtcd(), '--cluster-token-file', join(dataDir, 'token')]);
    servers.push(second);
    assert.equal(await ok(second.url, ['get', ...FILES.flatMap((f) => ['-f', f]), '-o', `jsonpath=${IDENTITY}`]), before);
    assert.equal(await ok(second.url, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], token), 'system:serviceaccount:production:readonly-app');
  });
});
