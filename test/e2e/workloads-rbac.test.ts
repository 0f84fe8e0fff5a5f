// Deployments, ReplicaSets, Jobs and the RBAC objects with the real kubectl: the tutorial manifests,
// tables, defaults, describe, the create subcommands, scale and the validation messages.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-workloads-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const example = (name: string) => join(EXAMPLES, name);
const AGE = '\\d+s';
/** A table as kubectl prints it: columns separated by at least two spaces (or one before an empty cell). */
const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

describe('e2e: workloads and RBAC with the real kubectl', () => {
  let b: Badge;
  const ok = (args: string[], opts?: { stdin?: string }) => b.ok(args, opts?.stdin);
  /**
   * `kubectl rollout status`: the controllers, the scheduler and the node have made every replica
   * available (kubectl prints what it waits for meanwhile, as on any cluster).
   */
  const rolledOut = async (name: string, namespace = 'default') => {
    const lines = (await ok(['rollout', 'status', `deployment/${name}`, '-n', namespace, '--timeout=60s'])).split('\n');
    assert.deepEqual(lines.slice(-2), [`deployment "${name}" successfully rolled out`, '']);
    for (const l of lines.slice(0, -2)) assert.match(l, new RegExp(`^Waiting for deployment "${name}" rollout to finish: `));
  };
  const jobComplete = async (name: string) => assert.equal(await ok(['wait', '--for=condition=complete', `job/${name}`, '--timeout=60s']), `job.batch/${name} condition met\n`);

  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('applies the Deployment: created, unchanged, configured', async () => {
    await ok(['create', 'serviceaccount', 'my-app-sa']);
    assert.equal(await ok(['apply', '-f', example('04-deployment-with-sa.yaml')]), 'deployment.apps/my-app created\n');
    assert.equal(await ok(['apply', '-f', example('04-deployment-with-sa.yaml')]), 'deployment.apps/my-app unchanged\n');
    const changed = readFileSync(example('04-deployment-with-sa.yaml'), 'utf8').replace('image: nginx:1.25', 'image: nginx:1.26');
    assert.equal(await ok(['apply', '-f', file('deploy-changed.yaml', changed)]), 'deployment.apps/my-app configured\n');
    assert.equal(await ok(['get', 'deploy', 'my-app', '-o', 'jsonpath={.metadata.generation} {.spec.template.spec.containers[0].image}']), '2 nginx:1.26');
  });

  it('applies the RBAC tutorial manifests', async () => {
    assert.equal(
      await ok(['apply', '-f', example('06-pod-reader.yaml')]),
      'serviceaccount/app-reader created\nrole.rbac.authorization.k8s.io/pod-reader created\nrolebinding.rbac.authorization.k8s.io/read-pods created\npod/app-pod created\n',
    );
    assert.equal(
      await ok(['apply', '-f', example('06-pod-reader.yaml')]),
      'serviceaccount/app-reader unchanged\nrole.rbac.authorization.k8s.io/pod-reader unchanged\nrolebinding.rbac.authorization.k8s.io/read-pods unchanged\npod/app-pod unchanged\n',
    );
    assert.equal(
      await ok(['apply', '-f', example('10-cicd-deployer.yaml')]),
      'serviceaccount/cicd-deployer created\nclusterrole.rbac.authorization.k8s.io/deployer-role created\nclusterrolebinding.rbac.authorization.k8s.io/cicd-deployer-binding created\n',
    );
    assert.equal(
      await ok(['apply', '-f', example('12-backup-job.yaml')]),
      'serviceaccount/backup-job-sa created\nrole.rbac.authorization.k8s.io/backup-role created\nrolebinding.rbac.authorization.k8s.io/backup-binding created\njob.batch/backup-job created\n',
    );
    assert.equal(
      await ok(['apply', '-f', example('12-backup-job.yaml')]),
      'serviceaccount/backup-job-sa unchanged\nrole.rbac.authorization.k8s.io/backup-role unchanged\nrolebinding.rbac.authorization.k8s.io/backup-binding unchanged\njob.batch/backup-job unchanged\n',
    );
    const wider = readFileSync(example('06-pod-reader.yaml'), 'utf8').replace('verbs: ["get", "list", "watch"]', 'verbs: ["get", "list", "watch", "delete"]');
    assert.match(await ok(['apply', '-f', file('pod-reader-changed.yaml', wider)]), /^role\.rbac\.authorization\.k8s\.io\/pod-reader configured$/m);
  });

  it('applies the manifests of other namespaces once they exist', async () => {
    await ok(['create', 'namespace', 'production']);
    await ok(['create', 'namespace', 'monitoring']);
    assert.equal(
      await ok(['apply', '-f', example('09-readonly-app.yaml')]),
      'serviceaccount/readonly-app created\nrole.rbac.authorization.k8s.io/readonly-role created\nrolebinding.rbac.authorization.k8s.io/readonly-binding created\ndeployment.apps/readonly-app created\n',
    );
    assert.equal(
      await ok(['apply', '-f', example('11-monitoring-app.yaml')]),
      'serviceaccount/monitoring-app created\nclusterrole.rbac.authorization.k8s.io/metrics-reader created\nclusterrolebinding.rbac.authorization.k8s.io/monitoring-binding created\ndeployment.apps/monitoring-app created\n',
    );
  });

  it('prints the Deployment, Job and ReplicaSet tables', async () => {
    await rolledOut('my-app');
    const deploy = await ok(['get', 'deploy']);
    assert.match(deploy, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    assert.match(deploy, row('my-app', '3/3', '3', '3', AGE));
    await rolledOut('readonly-app', 'production');
    const wide = await ok(['get', 'deploy', '-n', 'production', '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
    assert.match(wide, row('readonly-app', '2/2', '2', '2', AGE, 'app', 'myapp:latest', 'app=readonly-app'));

    await jobComplete('backup-job');
    const job = await ok(['get', 'job']);
    assert.match(job, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\n/);
    assert.match(job, row('backup-job', 'Complete', '1/1', AGE, AGE));
    const uid = await ok(['get', 'job', 'backup-job', '-o', 'jsonpath={.metadata.uid}']);
    const jobWide = await ok(['get', 'job', '-o', 'wide']);
    assert.match(jobWide, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
    assert.match(jobWide, row('backup-job', 'Complete', '1/1', AGE, AGE, 'backup', 'backup-tool:latest', `batch.kubernetes.io/controller-uid=${uid}`));

    // The only ReplicaSets so far are my-app's: the first template's, scaled down to 0 by the
    // rollout of nginx:1.26, and the current one with all three replicas.
    const deployRs = await ok(['get', 'rs', '-o', 'wide', '--sort-by=.status.replicas']);
    assert.match(deployRs, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
    const deployRows = deployRs.trimEnd().split('\n').slice(1);
    assert.equal(deployRows.length, 2, deployRs);
    const [oldRs, newRs] = deployRows.map((r) => r.split(/\s+/)[0]!);
    const hash = (name: string) => name.slice('my-app-'.length);
    assert.match(deployRows[0]!, row(oldRs!, '0', '0', '0', AGE, 'app', 'nginx:1\\.25', `app=my-app,pod-template-hash=${hash(oldRs!)}`));
    assert.match(deployRows[1]!, row(newRs!, '3', '3', '3', AGE, 'app', 'nginx:1\\.26', `app=my-app,pod-template-hash=${hash(newRs!)}`));
    assert.match(newRs!, /^my-app-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.notEqual(oldRs, newRs);
    assert.equal(await ok(['get', 'rs', newRs!, '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}']), 'Deployment/my-app');
    const rs = [
      'apiVersion: apps/v1',
      'kind: ReplicaSet',
      'metadata:',
      '  name: web',
      'spec:',
      '  replicas: 2',
      '  selector:',
      '    matchLabels:',
      '      app: web',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: web',
      '    spec:',
      '      containers:',
      '      - name: nginx',
      '        image: nginx:1.25',
      '',
    ].join('\n');
    assert.equal(await ok(['apply', '-f', file('rs.yaml', rs)]), 'replicaset.apps/web created\n');
    assert.equal(await ok(['wait', '--for=jsonpath={.status.readyReplicas}=2', 'rs/web', '--timeout=60s']), 'replicaset.apps/web condition met\n');
    const rsTable = await ok(['get', 'rs', 'web', '-o', 'wide']);
    assert.match(rsTable, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
    assert.match(rsTable, row('web', '2', '2', '2', AGE, 'nginx', 'nginx:1.25', 'app=web'));
    assert.equal(await ok(['get', 'rs', '--field-selector', 'status.replicas=2', '-o', 'name']), 'replicaset.apps/web\n');
    assert.equal(await ok(['get', 'rs', '--field-selector', 'status.replicas=0', '-o', 'name']), `replicaset.apps/${oldRs}\n`);
    assert.equal((await b.kubectl(['get', 'rs', '--field-selector', 'status.replicas=1'])).stderr, 'No resources found in default namespace.\n');
    assert.equal(await ok(['get', 'jobs', '--field-selector', 'status.successful=1', '-o', 'name']), 'job.batch/backup-job\n');
    assert.equal((await b.kubectl(['get', 'jobs', '--field-selector', 'status.successful=0'])).stderr, 'No resources found in default namespace.\n');
  });

  it('prints the RBAC tables', async () => {
    const role = await ok(['get', 'role']);
    assert.match(role, /^NAME\s+CREATED AT\n/);
    assert.match(role, /^pod-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    const rb = await ok(['get', 'rolebinding', 'read-pods']);
    assert.match(rb, /^NAME\s+ROLE\s+AGE\nread-pods\s+Role\/pod-reader\s+\d+s\n$/);
    const rbWide = await ok(['get', 'rolebinding', 'read-pods', '-o', 'wide']);
    assert.match(rbWide, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\nread-pods\s+Role\/pod-reader\s+\d+s\s+default\/app-reader\n$/);
    const cr = await ok(['get', 'clusterrole', 'deployer-role']);
    assert.match(cr, /^NAME\s+CREATED AT\ndeployer-role\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    assert.equal(await ok(['get', 'clusterrole', 'deployer-role', '-o', 'wide']), cr, 'no wide columns without a printer');
    assert.equal(await ok(['get', 'role', '-o', 'wide']), role);
    const crb = await ok(['get', 'clusterrolebinding', 'cicd-deployer-binding', '-o', 'wide']);
    assert.match(crb, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\ncicd-deployer-binding\s+ClusterRole\/deployer-role\s+\d+s\s+default\/cicd-deployer\n$/);
  });

  it('shows the defaults a real cluster shows', async () => {
    const deploy = JSON.parse(await ok(['get', 'deploy', 'my-app', '-o', 'json']));
    assert.deepEqual(
      { ...deploy.spec, template: undefined },
      {
        progressDeadlineSeconds: 600,
        replicas: 3,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { app: 'my-app' } },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: undefined,
      },
    );
    // The status is the controller's (rolled out in the table test): only its counts are checked here.
    assert.deepEqual(
      { ...deploy.status, conditions: deploy.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]) },
      {
        availableReplicas: 3,
        conditions: [
          ['Available', 'True', 'MinimumReplicasAvailable'],
          ['Progressing', 'True', 'NewReplicaSetAvailable'],
        ],
        observedGeneration: 2,
        readyReplicas: 3,
        replicas: 3,
        updatedReplicas: 3,
      },
    );
    const yaml = await ok(['get', 'deploy', 'my-app', '-o', 'yaml']);
    assert.match(yaml, /^  strategy:\n    rollingUpdate:\n      maxSurge: 25%\n      maxUnavailable: 25%\n    type: RollingUpdate\n/m);
    const spec = yaml.slice(yaml.indexOf('\nspec:\n') + 1, yaml.indexOf('\nstatus:\n') + 1);
    assert.equal(
      spec,
      [
        'spec:',
        '  progressDeadlineSeconds: 600',
        '  replicas: 3',
        '  revisionHistoryLimit: 10',
        '  selector:',
        '    matchLabels:',
        '      app: my-app',
        '  strategy:',
        '    rollingUpdate:',
        '      maxSurge: 25%',
        '      maxUnavailable: 25%',
        '    type: RollingUpdate',
        '  template:',
        '    metadata:',
        '      creationTimestamp: null',
        '      labels:',
        '        app: my-app',
        '    spec:',
        '      containers:',
        '      - image: nginx:1.26',
        '        imagePullPolicy: IfNotPresent',
        '        name: app',
        '        resources: {}',
        '        terminationMessagePath: /dev/termination-log',
        '        terminationMessagePolicy: File',
        '      dnsPolicy: ClusterFirst',
        '      restartPolicy: Always',
        '      schedulerName: default-scheduler',
        '      securityContext: {}',
        '      serviceAccount: my-app-sa',
        '      serviceAccountName: my-app-sa',
        '      terminationGracePeriodSeconds: 30',
        '',
      ].join('\n'),
    );

    const job = JSON.parse(await ok(['get', 'job', 'backup-job', '-o', 'json']));
    const uid = job.metadata.uid;
    const generated = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'backup-job', 'controller-uid': uid, 'job-name': 'backup-job' };
    assert.deepEqual(job.metadata.labels, generated);
    assert.deepEqual({ ...job.spec, template: undefined }, {
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      completions: 1,
      manualSelector: false,
      parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      suspend: false,
      template: undefined,
    });
    assert.deepEqual(job.spec.template.metadata.labels, generated);
    assert.equal(job.metadata.generation, 1);

    const rb = JSON.parse(await ok(['get', 'rolebinding', 'read-pods', '-o', 'json']));
    assert.deepEqual(rb.subjects, [{ kind: 'ServiceAccount', name: 'app-reader', namespace: 'default' }]);
    assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' });

    const all = await ok(['get', 'all', '-o', 'name']);
    for (const name of ['pod/app-pod', 'deployment.apps/my-app', 'replicaset.apps/web', 'job.batch/backup-job']) assert.match(all, new RegExp(`^${name}$`, 'm'));
  });

  it('describes a Role with its PolicyRule table', async () => {
    const out = await ok(['describe', 'role', 'backup-role']);
    assert.equal(
      out,
      [
        'Name:         backup-role',
        'Labels:       <none>',
        'Annotations:  <none>',
        'PolicyRule:',
        '  Resources               Non-Resource URLs  Resource Names  Verbs',
        '  ---------               -----------------  --------------  -----',
        '  pods                    []                 []              [get list create]',
        '  persistentvolumeclaims  []                 []              [get list]',
        '',
      ].join('\n'),
    );
  });

  it('creates roles and bindings with kubectl create', async () => {
    await ok(['create', 'namespace', 'dev']);
    assert.equal(await ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', 'dev']), 'role.rbac.authorization.k8s.io/pod-reader created\n');
    assert.deepEqual(JSON.parse(await ok(['get', 'role', 'pod-reader', '-n', 'dev', '-o', 'jsonpath={.rules}'])), [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
    assert.equal(
      await ok(['create', 'rolebinding', 'read-pods', '--role=pod-reader', '--serviceaccount=default:my-app-sa', '-n', 'dev']),
      'rolebinding.rbac.authorization.k8s.io/read-pods created\n',
    );
    assert.equal(
      await ok(['create', 'clusterrole', 'pod-lister', '--verb=get,list,watch', '--resource=pods,deployments.apps']),
      'clusterrole.rbac.authorization.k8s.io/pod-lister created\n',
    );
    assert.equal(await ok(['create', 'clusterrole', 'health', '--verb=get', '--non-resource-url=/healthz,/livez']), 'clusterrole.rbac.authorization.k8s.io/health created\n');
    assert.equal(await ok(['get', 'clusterrole', 'health', '-o', 'jsonpath={.rules}']), '[{"nonResourceURLs":["/healthz","/livez"],"verbs":["get"]}]');
    assert.equal(
      await ok(['create', 'clusterrole', 'monitoring', '--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true']),
      'clusterrole.rbac.authorization.k8s.io/monitoring created\n',
    );
    assert.equal(
      await ok(['create', 'clusterrolebinding', 'pod-lister', '--clusterrole=pod-lister', '--user=jane', '--user=joe', '--group=devs', '--serviceaccount=default:my-app-sa']),
      'clusterrolebinding.rbac.authorization.k8s.io/pod-lister created\n',
    );
    assert.match(await ok(['get', 'clusterrolebinding', 'pod-lister', '-o', 'wide']), row('pod-lister', 'ClusterRole/pod-lister', AGE, 'jane, joe', 'devs', 'default/my-app-sa'));
    const again = await b.kubectl(['create', 'role', 'pod-reader', '--verb=get', '--resource=pods', '-n', 'dev']);
    assert.equal(again.stderr, 'Error from server (AlreadyExists): roles.rbac.authorization.k8s.io "pod-reader" already exists\n');
  });

  it('scales a Deployment through the scale subresource', async () => {
    assert.equal(await ok(['scale', 'deploy', 'my-app', '--replicas=5']), 'deployment.apps/my-app scaled\n');
    await rolledOut('my-app');
    assert.match(await ok(['get', 'deploy', 'my-app']), row('my-app', '5/5', '5', '5', AGE));
    const scale = JSON.parse(await ok(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/my-app/scale']));
    assert.deepEqual([scale.kind, scale.apiVersion, scale.spec, scale.status], ['Scale', 'autoscaling/v1', { replicas: 5 }, { replicas: 5, selector: 'app=my-app' }]);
    assert.equal(await ok(['scale', 'rs', 'web', '--replicas=1']), 'replicaset.apps/web scaled\n');
    assert.equal(await ok(['wait', '--for=jsonpath={.status.replicas}=1', 'rs/web', '--timeout=60s']), 'replicaset.apps/web condition met\n');
    assert.match(await ok(['get', 'rs', 'web']), row('web', '1', '1', '1', AGE));
    const negative = await b.kubectl(['patch', 'deploy', 'my-app', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":-1}}']);
    assert.equal(negative.code, 1);
    assert.equal(negative.stderr, 'The Scale "my-app" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
  });

  it('creates a Job with kubectl create job', async () => {
    assert.equal(await ok(['create', 'job', 'once', '--image=busybox', '--', 'date']), 'job.batch/once created\n');
    await jobComplete('once');
    assert.match(await ok(['get', 'job', 'once']), row('once', 'Complete', '1/1', AGE, AGE));
    assert.equal(await ok(['get', 'job', 'once', '-o', 'jsonpath={.spec.template.spec.restartPolicy}']), 'Never');
  });

  it('refuses a Job that restarts Always', async () => {
    const job = [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata:',
      '  name: always',
      'spec:',
      '  template:',
      '    spec:',
      '      restartPolicy: Always',
      '      containers:',
      '      - name: c',
      '        image: busybox',
      '',
    ].join('\n');
    const r = await b.kubectl(['create', '-f', file('job-always.yaml', job)]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'The Job "always" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n');
  });

  it('refuses a changed roleRef with the exact message', async () => {
    const changed = readFileSync(example('06-pod-reader.yaml'), 'utf8').replace('  kind: Role\n  name: pod-reader', '  kind: ClusterRole\n  name: view');
    const r = await b.kubectl(['apply', '-f', file('binding-changed.yaml', changed)]);
    assert.equal(r.code, 1);
    const message = 'The RoleBinding "read-pods" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef\n';
    assert.equal(r.stderr, message);
  });
});
