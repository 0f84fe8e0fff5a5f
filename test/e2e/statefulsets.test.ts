// StatefulSets with the real kubectl, on the server's node in the simulated runtime: a headless
// Service and a StatefulSet with a volumeClaimTemplate applied, `kubectl get sts` (and -o wide),
// pods web-0..2 made in order with their claims, `kubectl scale` down to 0, up to 3 and down to 1
// with the claims kept, `kubectl rollout status|history|undo`, `kubectl get all`, and an update of
// a field that may not change refused with kube-apiserver's message.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

const AGE = '\\d+s';
/** A table row: cells separated by at least two spaces. */
const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

const web = (serviceName = 'nginx') => `apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector: {app: nginx}
  ports:
  - {name: web, port: 80}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: ${serviceName}
  replicas: 3
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        volumeMounts:
        - {name: www, mountPath: /usr/share/nginx/html}
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests: {storage: 1Gi}
`;

describe('e2e: StatefulSets with the real kubectl', () => {
  let b: Badge;
  let dir: string;
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const webPods = async () =>
    JSON.parse(await b.ok(['get', 'pods', '-l', 'app=nginx', '-o', 'json'])).items.filter((p: any) => !p.metadata.deletionTimestamp).sort((a: any, c: any) => a.metadata.name.localeCompare(c.metadata.name));
  const podNames = async () => (await webPods()).map((p: any) => p.metadata.name).join();
  const claims = async () => (await b.ok(['get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}'])).trim();
  const until = async (what: string, check: () => Promise<boolean>) => {
    const end = Date.now() + 60_000;
    while (!(await check())) {
      assert.ok(Date.now() < end, what);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  // The partition is defaulted to 0, so kubectl reports a partitioned roll out, as against kube-apiserver.
  const rolledOut = async () => assert.match(await b.ok(['rollout', 'status', 'sts/web', '--timeout=60s']), /partitioned roll out complete: 3 new pods have been updated\.\.\.\n$/);

  before(async () => {
    b = await startBadge();
    dir = mkdtempSync(join(tmpdir(), 'badge-statefulsets-e2e-'));
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes web-0..2 in order, each with its claim, and kubectl get sts shows them', async () => {
    assert.equal(await b.ok(['apply', '-f', file('web.yaml', web())]), 'service/nginx created\nstatefulset.apps/web created\n');
    await rolledOut();
    assert.match(await b.ok(['get', 'sts']), row('NAME', 'READY', 'AGE'));
    assert.match(await b.ok(['get', 'sts', 'web']), row('web', '3/3', AGE));
    assert.match(await b.ok(['get', 'statefulsets', '-o', 'wide']), row('web', '3/3', AGE, 'nginx', 'nginx:1.27'));
    assert.equal(await claims(), 'www-web-0 www-web-1 www-web-2');

    const pods = await webPods();
    assert.deepEqual(pods.map((p: any) => p.metadata.name), ['web-0', 'web-1', 'web-2']);
    for (const [i, p] of pods.entries()) {
      assert.equal(p.status.phase, 'Running');
      assert.equal(p.spec.hostname, `web-${i}`);
      assert.equal(p.spec.subdomain, 'nginx');
      assert.equal(p.metadata.labels['statefulset.kubernetes.io/pod-name'], `web-${i}`);
      assert.equal(p.metadata.labels['apps.kubernetes.io/pod-index'], String(i));
      assert.deepEqual(p.spec.volumes.find((v: any) => v.name === 'www'), { name: 'www', persistentVolumeClaim: { claimName: `www-web-${i}` } });
      // OrderedReady: each pod is made once the one before it is ready.
      if (i > 0) {
        const readyAt = pods[i - 1].status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime;
        assert.ok(Date.parse(p.metadata.creationTimestamp) >= Date.parse(readyAt), `web-${i} made after web-${i - 1} was ready`);
      }
    }
    const events = await b.ok(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.reason} {.message}{"\\n"}{end}']);
    for (let i = 0; i < 3; i++) {
      assert.match(events, new RegExp(`^SuccessfulCreate create Claim www-web-${i} Pod web-${i} in StatefulSet web success$`, 'm'));
      assert.match(events, new RegExp(`^SuccessfulCreate create Pod web-${i} in StatefulSet web successful$`, 'm'));
    }
    assert.match(await b.ok(['get', 'all']), row('statefulset.apps/web', '3/3', AGE));
    const described = await b.ok(['describe', 'sts', 'web']);
    assert.match(described, /^Replicas:\s+3 desired \| 3 total$/m);
    assert.match(described, /^Update Strategy:\s+RollingUpdate\n\s+Partition:\s+0$/m);
    assert.match(described, /^Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    assert.match(described, /^Volume Claims:\n\s+Name:\s+www$/m);
  });

  it('scales to 0, 3 and 1 with kubectl scale, keeping the claims', async () => {
    assert.equal(await b.ok(['scale', 'sts/web', '--replicas=0']), 'statefulset.apps/web scaled\n');
    await until('no pods', async () => (await podNames()) === '');
    assert.equal(await claims(), 'www-web-0 www-web-1 www-web-2');
    await b.ok(['scale', 'sts/web', '--replicas=3']);
    await rolledOut();
    assert.equal(await podNames(), 'web-0,web-1,web-2');
    await b.ok(['scale', 'statefulset/web', '--replicas=1']);
    await until('only web-0', async () => (await podNames()) === 'web-0');
    assert.equal(await claims(), 'www-web-0 www-web-1 www-web-2');
    assert.match(await b.ok(['get', 'sts', 'web']), row('web', '1/1', AGE));
    await b.ok(['scale', 'sts/web', '--replicas=3']);
    await rolledOut();
  });

  it('rolls a new image out, keeps the history, and rolls back', async () => {
    await b.ok(['set', 'image', 'sts/web', 'nginx=nginx:1.28']);
    await rolledOut();
    assert.deepEqual((await webPods()).map((p: any) => p.spec.containers[0].image), ['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    assert.match(await b.ok(['rollout', 'history', 'sts/web']), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    assert.match(await b.ok(['rollout', 'history', 'sts/web', '--revision=1']), /Image:\s+nginx:1.27/);
    assert.equal(await b.ok(['rollout', 'undo', 'sts/web']), 'statefulset.apps/web rolled back\n');
    await rolledOut();
    assert.deepEqual((await webPods()).map((p: any) => p.spec.containers[0].image), ['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    const status = JSON.parse(await b.ok(['get', 'sts', 'web', '-o', 'json'])).status;
    assert.equal(status.currentRevision, status.updateRevision);
    assert.equal(status.updatedReplicas, 3);
  });

  it('refuses a change of a field that may not change, with kube-apiserver message', async () => {
    const r = await b.kubectl(['apply', '-f', file('web-other.yaml', web('other'))]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n$/,
    );
  });

  it('deletes the pods with the StatefulSet and keeps the claims', async () => {
    assert.equal(await b.ok(['delete', 'sts', 'web']), 'statefulset.apps "web" deleted\n');
    await until('the pods to go', async () => (await podNames()) === '');
    assert.equal(await claims(), 'www-web-0 www-web-1 www-web-2');
  });
});
