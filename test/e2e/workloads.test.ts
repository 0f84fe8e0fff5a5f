// Deployments, ReplicaSets, Jobs and the scheduler with the real kubectl: the tutorial's §3
// (04-deployment-with-sa.yaml, and a Deployment whose ServiceAccount is missing), kubectl scale,
// a rolling update with rollout status/history/undo and 12-backup-job.yaml, on the server's node
// in the simulated runtime. A Job whose pods really fail is in process-runtime.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const AGE = '\\d+s';
const HASH = '[4-9bcdf]{1,10}';
const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';
/** A table row: cells separated by at least two spaces. */
const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

describe('e2e: Deployments, ReplicaSets, Jobs and scheduling with the real kubectl', () => {
  let b: Badge;
  let dir: string;
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const rolledOut = async (name: string) => {
    const out = await b.ok(['rollout', 'status', `deployment/${name}`, '--timeout=60s']);
    assert.match(out, new RegExp(`deployment "${name}" successfully rolled out\\n$`));
  };
  const rsNames = async (app: string) => (await b.ok(['get', 'rs', '-l', `app=${app}`, '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean);
  const revisionOf = async (rs: string) => b.ok(['get', 'rs', rs, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']);

  before(async () => {
    b = await startBadge();
    dir = mkdtempSync(join(tmpdir(), 'badge-workloads-e2e-'));
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('§3: 04-deployment-with-sa.yaml makes a ReplicaSet and 3 Pods with the ServiceAccount and its token volume', async () => {
    assert.equal(await b.ok(['apply', '-f', `${EXAMPLES}/01-serviceaccount.yaml`]), 'serviceaccount/my-app-sa created\n');
    assert.equal(await b.ok(['apply', '-f', `${EXAMPLES}/04-deployment-with-sa.yaml`]), 'deployment.apps/my-app created\n');
    await rolledOut('my-app');

    const [rs, ...more] = await rsNames('my-app');
    assert.deepEqual(more, []);
    assert.match(rs!, new RegExp(`^my-app-${HASH}$`));
    assert.match(await b.ok(['get', 'deploy', 'my-app']), row('my-app', '3/3', '3', '3', AGE));
    assert.match(await b.ok(['get', 'rs']), row(rs!, '3', '3', '3', AGE));
    const table = await b.ok(['get', 'pods', '-l', 'app=my-app']);
    assert.equal(table.trim().split('\n').length, 4, table);
    assert.match(table, row(`${rs}-${SUFFIX}`, '1/1', 'Running', '0', AGE));

    const pods = JSON.parse(await b.ok(['get', 'pods', '-l', 'app=my-app', '-o', 'json'])).items;
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      assert.equal(pod.metadata.generateName, `${rs}-`);
      assert.deepEqual(pod.metadata.ownerReferences.map((r: { kind: string; name: string; controller: boolean; blockOwnerDeletion: boolean }) => [r.kind, r.name, r.controller, r.blockOwnerDeletion]), [['ReplicaSet', rs, true, true]]);
      assert.equal(pod.metadata.labels['pod-template-hash'], rs!.slice('my-app-'.length));
      assert.equal(pod.spec.serviceAccountName, 'my-app-sa');
      const volume = pod.spec.volumes.find((v: { name: string }) => /^kube-api-access-[a-z0-9]{5}$/.test(v.name));
      assert.ok(volume, JSON.stringify(pod.spec.volumes));
      assert.equal(volume.projected.sources[0].serviceAccountToken.expirationSeconds, 3607);
      assert.deepEqual(pod.spec.containers[0].volumeMounts, [{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    }

    const described = await b.ok(['describe', 'deploy', 'my-app']);
    assert.match(described, /\nAnnotations:\s+deployment\.kubernetes\.io\/revision: 1\n/);
    assert.match(described, /\nReplicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable\n/);
    assert.match(described, /\nConditions:\n\s+Type\s+Status\s+Reason\n\s+----\s+------\s+------\n\s+Available\s+True\s+MinimumReplicasAvailable\n\s+Progressing\s+True\s+NewReplicaSetAvailable\n/);
    assert.match(described, new RegExp(`\\nNewReplicaSet:\\s+${rs} \\(3/3 replicas created\\)\\n`));
    assert.match(described, new RegExp(`\\n  Normal  ScalingReplicaSet  ${AGE}\\s+deployment-controller  Scaled up replica set ${rs} from 0 to 3\\n`));

    const rsDescribed = await b.ok(['describe', 'rs', rs!]);
    assert.match(rsDescribed, /\nControlled By:\s+Deployment\/my-app\n/);
    assert.match(rsDescribed, /\nPods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\n/);
    assert.equal(rsDescribed.match(new RegExp(`  Normal  SuccessfulCreate  ${AGE}\\s+replicaset-controller  Created pod: ${rs}-${SUFFIX}\\n`, 'g'))?.length, 3, rsDescribed);

    const pod = pods[0].metadata.name;
    const node = pods[0].spec.nodeName;
    assert.match(await b.ok(['describe', 'pod', pod]), new RegExp(`\\n  Normal  Scheduled  ${AGE}\\s+default-scheduler  Successfully assigned default/${pod} to ${node}\\n`));
  });

  it('§3: a Deployment whose ServiceAccount is missing has a ReplicaSet, no Pods and a FailedCreate event, until the account exists', async () => {
    const manifest = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: no-sa-app',
      'spec:',
      '  replicas: 2',
      '  selector:',
      '    matchLabels:',
      '      app: no-sa-app',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: no-sa-app',
      '    spec:',
      '      serviceAccountName: missing-sa',
      '      containers:',
      '      - name: app',
      '        image: nginx:1.25',
      '',
    ].join('\n');
    assert.equal(await b.ok(['apply', '-f', file('no-sa.yaml', manifest)]), 'deployment.apps/no-sa-app created\n');
    const [rs] = await eventually(async () => {
      const names = await rsNames('no-sa-app');
      return names.length ? names : undefined;
    }, 'the ReplicaSet', 30_000);
    const failedCreate = new RegExp(
      `\\n  Warning  FailedCreate  ${AGE}(?: \\(x\\d+ over ${AGE}\\))?\\s+replicaset-controller  Error creating: pods "${rs}-" is forbidden: error looking up service account default/missing-sa: serviceaccount "missing-sa" not found\\n`,
    );
    const described = await eventually(async () => {
      const out = await b.ok(['describe', 'rs', rs!]);
      return failedCreate.test(out) ? out : undefined;
    }, 'FailedCreate', 30_000);
    assert.match(described, /\nReplicas:\s+0 current \/ 2 desired\n/);
    assert.match(described, /\nConditions:\n\s+Type\s+Status\s+Reason\n\s+----\s+------\s+------\n\s+ReplicaFailure\s+True\s+FailedCreate\n/);
    assert.match(await b.ok(['get', 'deploy', 'no-sa-app']), row('no-sa-app', '0/2', '0', '0', AGE));
    const none = await b.kubectl(['get', 'pods', '-l', 'app=no-sa-app']);
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
    const deployment = await b.ok(['describe', 'deploy', 'no-sa-app']);
    assert.match(deployment, /\n\s+ReplicaFailure\s+True\s+FailedCreate\n/);

    assert.equal(await b.ok(['create', 'serviceaccount', 'missing-sa']), 'serviceaccount/missing-sa created\n');
    await rolledOut('no-sa-app');
    const names = (await b.ok(['get', 'pods', '-l', 'app=no-sa-app', '-o', 'jsonpath={.items[*].spec.serviceAccountName}'])).split(' ');
    assert.deepEqual(names, ['missing-sa', 'missing-sa']);
    const after = await b.ok(['describe', 'rs', rs!]);
    assert.doesNotMatch(after, /ReplicaFailure/);
  });

  it('scales with kubectl scale', async () => {
    const [rs] = await rsNames('my-app');
    assert.equal(await b.ok(['scale', 'deployment/my-app', '--replicas=5']), 'deployment.apps/my-app scaled\n');
    await rolledOut('my-app');
    assert.match(await b.ok(['get', 'deploy', 'my-app']), row('my-app', '5/5', '5', '5', AGE));
    assert.match(await b.ok(['get', 'rs', rs!]), row(rs!, '5', '5', '5', AGE));
    assert.match(await b.ok(['describe', 'deploy', 'my-app']), new RegExp(`  Normal  ScalingReplicaSet  ${AGE}\\s+deployment-controller  Scaled up replica set ${rs} from 3 to 5\\n`));
    assert.equal(await b.ok(['scale', 'deployment/my-app', '--replicas=3']), 'deployment.apps/my-app scaled\n');
    await rolledOut('my-app');
    assert.match(await b.ok(['get', 'rs', rs!]), row(rs!, '3', '3', '3', AGE));
    assert.equal((await b.ok(['get', 'pods', '-l', 'app=my-app', '--field-selector', 'status.phase=Running', '-o', 'name'])).trim().split('\n').length, 3);
  });

  it('rolls a template change out to a new ReplicaSet, with rollout status, history and undo', async () => {
    const [first] = await rsNames('my-app');
    assert.equal(await b.ok(['set', 'image', 'deployment/my-app', 'app=nginx:1.26']), 'deployment.apps/my-app image updated\n');
    await rolledOut('my-app');
    const names = await rsNames('my-app');
    assert.equal(names.length, 2);
    const second = names.find((n) => n !== first)!;
    assert.equal(await revisionOf(second), '2');
    const rsTable = await b.ok(['get', 'rs', '-l', 'app=my-app', '-o', 'wide']);
    assert.match(rsTable, row(second, '3', '3', '3', AGE, 'app', 'nginx:1.26', `app=my-app,pod-template-hash=${second.slice('my-app-'.length)}`));
    assert.match(rsTable, row(first!, '0', '0', '0', AGE, 'app', 'nginx:1.25', `app=my-app,pod-template-hash=${first!.slice('my-app-'.length)}`));
    assert.match(await b.ok(['get', 'deploy', 'my-app', '-o', 'wide']), row('my-app', '3/3', '3', '3', AGE, 'app', 'nginx:1.26', 'app=my-app'));
    const images = await eventually(async () => {
      const out = await b.ok(['get', 'pods', '-l', 'app=my-app', '-o', 'jsonpath={.items[*].spec.containers[0].image}']);
      return out.split(' ').length === 3 ? out : undefined;
    }, 'only new pods', 30_000);
    assert.equal(images, 'nginx:1.26 nginx:1.26 nginx:1.26');
    const described = await b.ok(['describe', 'deploy', 'my-app']);
    assert.match(described, new RegExp(`\\nOldReplicaSets:\\s+${first} \\(0/0 replicas created\\)\\nNewReplicaSet:\\s+${second} \\(3/3 replicas created\\)\\n`));
    assert.match(described, new RegExp(`Scaled up replica set ${second} from 0 to 1\\n`));
    assert.match(described, new RegExp(`Scaled down replica set ${first} from 3 to 2\\n`));

    assert.equal(await b.ok(['rollout', 'history', 'deployment/my-app']), 'deployment.apps/my-app \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    assert.equal(await b.ok(['rollout', 'undo', 'deployment/my-app']), 'deployment.apps/my-app rolled back\n');
    await rolledOut('my-app');
    assert.equal(await b.ok(['get', 'deploy', 'my-app', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), 'nginx:1.25 3');
    assert.deepEqual((await rsNames('my-app')).sort(), [first, second].sort());
    assert.equal(await revisionOf(first!), '3');
    assert.equal(await b.ok(['get', 'rs', first!, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}']), '1');
    assert.equal(await b.ok(['rollout', 'history', 'deployment/my-app']), 'deployment.apps/my-app \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
  });

  it('12-backup-job.yaml: the Job runs a pod as backup-job-sa and completes', async () => {
    assert.equal(
      await b.ok(['apply', '-f', `${EXAMPLES}/12-backup-job.yaml`]),
      'serviceaccount/backup-job-sa created\nrole.rbac.authorization.k8s.io/backup-role created\nrolebinding.rbac.authorization.k8s.io/backup-binding created\njob.batch/backup-job created\n',
    );
    assert.equal(await b.ok(['wait', '--for=condition=complete', 'job/backup-job', '--timeout=60s']), 'job.batch/backup-job condition met\n');
    assert.match(await b.ok(['get', 'jobs']), row('backup-job', 'Complete', '1/1', AGE, AGE));
    const pods = JSON.parse(await b.ok(['get', 'pods', '-l', 'job-name=backup-job', '-o', 'json'])).items;
    assert.equal(pods.length, 1);
    assert.match(pods[0].metadata.name, new RegExp(`^backup-job-${SUFFIX}$`));
    assert.equal(pods[0].spec.serviceAccountName, 'backup-job-sa');
    assert.equal(pods[0].metadata.labels['batch.kubernetes.io/job-name'], 'backup-job');
    assert.equal(pods[0].metadata.finalizers, undefined);
    assert.match(await b.ok(['get', 'pods', '-l', 'job-name=backup-job']), row(pods[0].metadata.name, '0/1', 'Completed', '0', AGE));
    const status = JSON.parse(await b.ok(['get', 'job', 'backup-job', '-o', 'jsonpath={.status}']));
    assert.deepEqual(
      status.conditions.map((c: Record<string, string>) => [c.type, c.status, c.reason, c.message]),
      [
        ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
        ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ],
    );
    assert.deepEqual([status.succeeded, status.ready, status.terminating, status.uncountedTerminatedPods, status.active], [1, 0, 0, {}, undefined]);
    const described = await b.ok(['describe', 'job', 'backup-job']);
    assert.match(described, /\nPods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed\n/);
    assert.match(described, new RegExp(`\\n  Normal  SuccessfulCreate  ${AGE}\\s+job-controller  Created pod: ${pods[0].metadata.name}\\n`));
    assert.match(described, new RegExp(`\\n  Normal  Completed         ${AGE}\\s+job-controller  Job completed\\n`));
  });
});
