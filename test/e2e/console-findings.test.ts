// The console's findings are the CLI's: on one Badge server, the console's live reader (run in Node
// here, through the console's own api.ts, signed in with `badge console --print-url`'s token)
// and `badge access lint`'s reader (as the kubeconfig's admin) read the same lists, and the same
// lint gives the same findings, workloads and token Secrets included.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadKubeconfig, loadLive } from '../../src/access/live-source.js';
import { AccessPolicy } from '../../src/access/policy.js';
import { lint } from '../../src/access/lint/lint.js';
import { describeRef, type Finding } from '../../src/access/lint/types.js';
import { bearerApi } from '../../src/console/api.js';
import { LiveCluster } from '../../src/console/live.js';
import { eventually } from '../../src/testing/eventually.js';
import { BADGE_CLI, run, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

/** Two Deployments sharing the privileged cicd-deployer, and one naming a ServiceAccount that does not exist (no pod: only its Deployment tells). */
const DEPLOYMENTS = ['deployer', 'deployer-canary', 'ghost']
  .map((name) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: ${name === 'ghost' ? 0 : 1}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      serviceAccountName: ${name === 'ghost' ? 'missing' : 'cicd-deployer'}
      containers: [{name: app, image: nginx}]
`)
  .join('---\n');

/** fetch for the console's api.ts in Node: HTTPS trusting the server's CA, its reply streamed (watches too), stopped by the signal. */
function fetchTrusting(ca: string): typeof fetch {
  return ((url: string, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', ca, headers: Object.fromEntries(new Headers(init.headers)), ...(init.signal ? { signal: init.signal } : {}) }, (res) => {
        const headers = new Headers(Object.entries(res.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])) as [string, string][]);
        resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status: res.statusCode ?? 0, headers }));
      });
      req.on('error', reject);
      req.end(init.body as string | undefined);
    })) as typeof fetch;
}

const text = (f: Finding) => `${f.severity} ${f.id} ${describeRef(f.object)} ${f.message} | ${f.provenance.join(' | ')}${f.suppressed ? ` (suppressed: ${f.suppressed})` : ''}`;

describe('e2e: the console\u2019s findings are badge access lint\u2019s', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
    for (const f of ['01-serviceaccount.yaml', '08-legacy-token-secret.yaml', '10-cicd-deployer.yaml']) await b.ok(['apply', '-f', join(EXAMPLES, f)]);
    await b.ok(['apply', '-f', '-'], DEPLOYMENTS);
    await eventually(async () => (await b.ok(['get', 'pods', '-l', 'app in (deployer,deployer-canary)', '-o', 'name'])).trim().split('\n').length === 2, 'the deployers\u2019 pods');
  });
  after(() => b?.close());

  it('the same findings, those that need workloads and token Secrets included', async () => {
    const link = await run(process.execPath, [BADGE_CLI, 'console', '--print-url', '--data-dir', b.dataDir]);
    assert.equal(link.code, 0, link.stderr);
    const token = new URLSearchParams(new URL(link.stdout.trim()).hash.slice(1)).get('token')!;
    const live = new LiveCluster(bearerApi(token, fetchTrusting(b.server.pki.ca.cert), b.server.url), () => {}, () => {});
    await live.start();
    live.stop();
    assert.deepEqual(live.denials, []);
    const cli = await loadLive(loadKubeconfig(b.kubeconfig), 'default');
    assert.deepEqual(cli.unreadable, []);
    const consoleFindings = lint(live.policy(), 'the cluster').findings.map(text);
    const cliFindings = lint(new AccessPolicy(cli.objects, { resources: cli.resources }), 'the cluster').findings.map(text);
    assert.deepEqual(consoleFindings.sort(), cliFindings.sort());
    // Findings only a reader of workloads and token Secrets makes.
    for (const expected of [
      /^med SA007 Secret\/default\/my-app-sa-token legacy token Secret for ServiceAccount default\/my-app-sa;/,
      /^high SA004 Deployment\/default\/ghost ServiceAccount default\/missing is not in the cluster/,
      /^med SA003 ServiceAccount\/default\/cicd-deployer used by 2 workloads: Deployment\/deployer, Deployment\/deployer-canary/,
    ]) assert.ok(consoleFindings.some((f) => expected.test(f)), `${expected} in:\n${consoleFindings.join('\n')}`);
  });
});
