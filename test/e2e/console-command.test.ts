// `badge console --print-url [--open]` (the bundled CLI) against a Badge server: the link's token
// is a short-lived token of a ServiceAccount bound to cluster-admin, made on first use and reused.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BADGE_CLI, run, startBadge, type Badge } from './harness.js';

const ADMIN = 'system:serviceaccount:kube-system:badge-console-admin';
const SA = '/api/v1/namespaces/kube-system/serviceaccounts/badge-console-admin';
const CRB = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/badge-console-admin';
const badgeConsole = (args: string[], env: Record<string, string> = {}) => run(process.execPath, [BADGE_CLI, 'console', ...args], { env });

/** The token of a sign-in link, after checking the link's shape. */
function tokenOf(b: Badge, stdout: string): string {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, stdout);
  const url = new URL(lines[0]!);
  assert.equal(`${url.origin}${url.pathname}`, `${b.server.url}/console/`);
  assert.equal(url.search, '', 'the token is never in the query');
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  assert.ok(token, stdout);
  return token;
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number; iat: number; sub: string };

describe('e2e: badge console --print-url', () => {
  let b: Badge;
  let dir: string;
  before(async () => {
    b = await startBadge();
    dir = mkdtempSync(join(tmpdir(), 'badge-console-'));
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes the ServiceAccount and its cluster-admin binding, and prints a link whose token is theirs for an hour', async () => {
    const r = await badgeConsole(['--print-url', '--data-dir', b.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    const token = tokenOf(b, r.stdout);
    assert.match(r.stderr, /^serviceaccount\/badge-console-admin \(namespace kube-system\) created$/m);
    assert.match(r.stderr, /^clusterrolebinding\.rbac\.authorization\.k8s\.io\/badge-console-admin created$/m);
    assert.ok(!r.stderr.includes(token), 'the token is on standard output only');

    const review = await b.asBearer(token, '/apis/authentication.k8s.io/v1/selfsubjectreviews', 'POST', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
    assert.equal(review.status, 201, review.text);
    assert.equal(review.json.status.userInfo.username, ADMIN);
    const bindings = await b.asBearer(token, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings');
    assert.equal(bindings.status, 200, bindings.text);
    assert.ok(bindings.json.items.some((i: any) => i.metadata.name === 'badge-console-admin'));
    const { exp, iat, sub } = claims(token);
    assert.equal(sub, ADMIN);
    assert.equal(exp - iat, 3600);

    const sa = (await b.api('GET', SA)).json;
    assert.equal(sa.metadata.labels['app.kubernetes.io/managed-by'], 'badge');
    assert.equal(sa.automountServiceAccountToken, false);
    const crb = (await b.api('GET', CRB)).json;
    assert.deepEqual(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    assert.deepEqual(crb.subjects, [{ kind: 'ServiceAccount', name: 'badge-console-admin', namespace: 'kube-system' }]);
  });

  it('a second run (--kubeconfig, --duration) reuses them and gets a token of the lifetime asked for', async () => {
    const uids = [(await b.api('GET', SA)).json.metadata.uid, (await b.api('GET', CRB)).json.metadata.uid];
    const r = await badgeConsole(['--print-url', '--kubeconfig', b.kubeconfig, '--duration', '20m']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /created/);
    const { exp, iat } = claims(tokenOf(b, r.stdout));
    assert.equal(exp - iat, 1200);
    assert.deepEqual([(await b.api('GET', SA)).json.metadata.uid, (await b.api('GET', CRB)).json.metadata.uid], uids);
  });

  it('--open hands the link to xdg-open as one argument, and fails clearly without one', async () => {
    const bin = join(dir, 'bin');
    const out = join(dir, 'opened');
    mkdirSync(bin);
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$#" "$@" > ${out}\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const r = await badgeConsole(['--open', '--data-dir', b.dataDir], { PATH: bin });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'without --print-url the link is not printed');
    const [count, url] = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(count, '1');
    assert.ok(url!.startsWith(`${b.server.url}/console/#token=`), url);

    const none = await badgeConsole(['--open', '--data-dir', b.dataDir], { PATH: join(dir, 'empty') });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /badge: cannot open the link: xdg-open not found \(install it, or use --print-url and open the link yourself\)/);
  });

  it('fails clearly: no server, no kubeconfig, a too short --duration, no action', async () => {
    const kc = join(dir, 'gone.yaml');
    writeFileSync(kc, readFileSync(b.kubeconfig, 'utf8').replace(b.server.url, 'https://127.0.0.1:1'));
    const gone = await badgeConsole(['--print-url', '--kubeconfig', kc]);
    assert.equal(gone.code, 1);
    assert.equal(gone.stdout, '');
    assert.match(gone.stderr, /^badge: cannot reach the server https:\/\/127\.0\.0\.1:1 \(kubeconfig .*gone\.yaml\): connect ECONNREFUSED 127\.0\.0\.1:1; is it running\?$/m);

    const missing = await badgeConsole(['--print-url', '--data-dir', join(dir, 'nowhere')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^badge: no kubeconfig at .*nowhere\/kubeconfig\.yaml: start the server first \(badge server\), or give --data-dir or --kubeconfig$/m);

    const short = await badgeConsole(['--print-url', '--data-dir', b.dataDir, '--duration', '5m']);
    assert.equal(short.code, 1);
    assert.match(short.stderr, /--duration must be at least 10m/);

    const bare = await badgeConsole(['--data-dir', b.dataDir]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /say --print-url or --open/);
    const help = await badgeConsole(['--help']);
    assert.match(help.stdout, /ClusterRoleBinding badge-console-admin\s+to cluster-admin/);
  });

  it('leaves a ServiceAccount or binding Badge did not make alone', async () => {
    assert.equal((await b.api('DELETE', CRB)).status, 200);
    assert.equal((await b.api('DELETE', SA)).status, 200);
    await b.ok(['create', 'serviceaccount', 'badge-console-admin', '-n', 'kube-system']);
    const r = await badgeConsole(['--print-url', '--data-dir', b.dataDir]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^badge: serviceaccount\/badge-console-admin \(namespace kube-system\) exists but Badge did not make it \(no label app\.kubernetes\.io\/managed-by=badge\)/m);
    assert.equal((await b.api('GET', CRB)).status, 404, 'no binding to cluster-admin was made for it');
  });
});
