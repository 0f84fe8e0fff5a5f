// `badge server --explain-forbidden` with the real kubectl: the tutorial's app-reader (06-pod-reader,
// its token alone) tries `kubectl delete pod`; the reply is Kubernetes' exact Forbidden Status, with
// a Warning naming the read-pods grant and the `kubectl access why` command, which then runs as
// given; the audit log's event is the same as without the flag; without the flag, no Warning.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { run, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const FORBIDDEN = 'pods "app-pod" is forbidden: User "system:serviceaccount:default:app-reader" cannot delete resource "pods" in API group "" in the namespace "default"';
const COMMAND = 'kubectl access why system:serviceaccount:default:app-reader delete pods app-pod -n default';
const WARNING = `closest grant: RoleBinding default/read-pods → Role default/pod-reader allows get, list, watch on pods in namespace default, not delete; details: ${COMMAND}`;
const POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n';

/** Badge with the tutorial's 06-pod-reader.yaml applied, and a kubeconfig with app-reader's token alone (no client certificate). */
async function withAppReader(b: Badge, dir: string): Promise<{ path: string; token: string }> {
  await b.ok(['apply', '-f', join(EXAMPLES, '06-pod-reader.yaml')]);
  const token = (await b.ok(['create', 'token', 'app-reader'])).trim();
  const path = join(dir, 'app-reader.kubeconfig');
  const ca = Buffer.from(b.server.pki.ca.cert).toString('base64');
  writeFileSync(path, `apiVersion: v1\nkind: Config\nclusters: [{name: badge, cluster: {server: "${b.server.url}", certificate-authority-data: ${ca}}}]\nusers: [{name: app-reader, user: {token: ${token}}}]\ncontexts: [{name: app-reader, context: {cluster: badge, user: app-reader, namespace: default}}]\ncurrent-context: app-reader\n`);
  await eventually(async () => (await b.kubectl(['--kubeconfig', path, 'get', 'pod', 'app-pod'])).code === 0, 'the RoleBinding to apply');
  return { path, token };
}

describe('e2e: --explain-forbidden', () => {
  let dir: string;
  let b: Badge;
  let asApp: string;
  let token: string;
  const logPath = () => join(dir, 'audit.log');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'badge-explain-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    b = await startBadge({ explainForbidden: true, audit: { policyFile: join(dir, 'policy.yaml'), logPath: logPath(), maxAgeDays: 0, maxBackups: 0, maxSizeMb: 0 } });
    ({ path: asApp, token } = await withAppReader(b, dir));
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl delete pod: the exact Forbidden error, and the Warning naming read-pods and the command', async () => {
    const r = await b.kubectl(['--kubeconfig', asApp, 'delete', 'pod', 'app-pod']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Warning: ${WARNING}\nError from server (Forbidden): ${FORBIDDEN}\n`);
  });

  it('the reply: the Status byte for byte as without the flag, one Warning header', async () => {
    const r = await b.asBearer(token, '/api/v1/namespaces/default/pods/app-pod', 'DELETE');
    assert.equal(r.status, 403);
    assert.equal(
      r.text,
      `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":${JSON.stringify(FORBIDDEN)},"reason":"Forbidden","details":{"name":"app-pod","kind":"pods"},"code":403}\n`,
    );
    assert.deepEqual(r.warnings, [`299 - "${WARNING}"`]);
  });

  it('no grant close: the Warning says so, and still gives the command', async () => {
    const r = await b.kubectl(['--kubeconfig', asApp, 'get', 'secrets']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'Warning: no grant comes close: nothing bound to system:serviceaccount:default:app-reader or its groups allows any verb on secrets in namespace default; details: kubectl access why system:serviceaccount:default:app-reader list secrets -n default\n' +
        'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:default:app-reader" cannot list resource "secrets" in API group "" in the namespace "default"\n',
    );
  });

  it('the command in the Warning runs as given (kubectl access, as the admin) and explains the denial', async () => {
    const bin = join(dir, 'plugins');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'kubectl-access'), `#!/bin/sh\nexec ${process.execPath} ${join(process.cwd(), 'dist/kubectl-access.mjs')} "$@"\n`);
    chmodSync(join(bin, 'kubectl-access'), 0o755);
    const r = await run('/bin/sh', ['-c', COMMAND], { env: { PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: b.kubeconfig } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^denied: system:serviceaccount:default:app-reader cannot delete pods app-pod in namespace default\n/);
    assert.match(r.stdout, /closest grants:\n {2}RoleBinding default\/read-pods → Role default\/pod-reader → rule 0 .*allows verbs get,list,watch, not this one\n/);
  });

  it('the audit log is unaffected: the Forbidden event has the Status and authorization annotations only', async () => {
    const events = readFileSync(logPath(), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((e) => e.verb === 'delete' && e.objectRef?.name === 'app-pod');
    assert.equal(events.length, 2);
    for (const e of events) {
      assert.equal(e.stage, 'ResponseComplete');
      assert.deepEqual(e.responseStatus, { metadata: {}, status: 'Failure', message: FORBIDDEN, reason: 'Forbidden', details: { name: 'app-pod', kind: 'pods' }, code: 403 });
      assert.deepEqual(e.annotations, { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' });
    }
  });
});

describe('e2e: without --explain-forbidden', () => {
  let dir: string;
  let b: Badge;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'badge-explain-off-'));
    b = await startBadge();
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl delete pod: the Forbidden error alone', async () => {
    const { path: asApp } = await withAppReader(b, dir);
    const r = await b.kubectl(['--kubeconfig', asApp, 'delete', 'pod', 'app-pod']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error from server (Forbidden): ${FORBIDDEN}\n`);
  });
});
