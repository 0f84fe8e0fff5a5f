// ServiceAccounts with the real kubectl (WALKTHROUGH §1, §3, §6, §9, §10): the `default` account
// and the root CA ConfigMap of every namespace, the ServiceAccount admission plugin (token volume,
// imagePullSecrets, the missing-account error), legacy token Secrets filled in and revoked by the
// tokens controller, and the cleaner of unused auto-generated token Secrets.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/api/clock.js';
import { startBadge, type Badge } from './harness.js';
import { EXAMPLES, MY_APP_SPEC, NODE, POD_UPDATE_FORBIDDEN } from './tutorial.js';
import { eventually } from '../../src/testing/eventually.js';

const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';
const SUFFIX = /kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}\n/g;

/** The `status:` of MY_APP_SPEC's pod once Running: times as TIME, the container ID as ID, the pod IP as POD_IP. */
const MY_APP_STATUS = `status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: TIME
    status: "True"
    type: PodReadyToStartContainers
  - lastProbeTime: null
    lastTransitionTime: TIME
    status: "True"
    type: Initialized
  - lastProbeTime: null
    lastTransitionTime: TIME
    status: "True"
    type: Ready
  - lastProbeTime: null
    lastTransitionTime: TIME
    status: "True"
    type: ContainersReady
  - lastProbeTime: null
    lastTransitionTime: TIME
    status: "True"
    type: PodScheduled
  containerStatuses:
  - containerID: ID
    image: docker.io/library/nginx:1.25
    imageID: IMAGE_ID
    lastState: {}
    name: app
    ready: true
    restartCount: 0
    started: true
    state:
      running:
        startedAt: TIME
    volumeMounts:
    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      name: kube-api-access-xxxxx
      readOnly: true
      recursiveReadOnly: Disabled
  hostIP: 127.0.0.1
  hostIPs:
  - ip: 127.0.0.1
  phase: Running
  podIP: POD_IP
  podIPs:
  - ip: POD_IP
  qosClass: BestEffort
  startTime: TIME
`;

const FORBIDDEN_PODS = (user: string) => `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "default"`;
const decode = (jwt: string) => jwt.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
const utcDate = (d: Date) => d.toISOString().slice(0, 10);

/** What the bearer-token requests read. */
const PODS = '/api/v1/namespaces/default/pods';

describe('e2e: service accounts with the real kubectl', () => {
  let b: Badge;
  let dir: string;
  const k = (args: string[], stdin?: string) => b.kubectl(args, { stdin });
  const get = async (path: string) => (await b.api('GET', path)).json;
  const exists = async (path: string) => (await b.api('GET', path)).status === 200;
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  before(async () => {
    b = await startBadge();
    dir = mkdtempSync(join(tmpdir(), 'badge-sa-'));
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('§1 the default ServiceAccount', () => {
    it('kubectl get serviceaccount shows default with 0 secrets', async () => {
      await eventually(() => exists('/api/v1/namespaces/default/serviceaccounts/default'), 'the default account');
      assert.match(await b.ok(['get', 'serviceaccount']), /^NAME {6}SECRETS {3}AGE\ndefault {3}0 {9}\d+s\n$/);
      const all = await b.ok(['get', 'sa', '--all-namespaces']);
      for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) assert.match(all, new RegExp(`\\n${ns} +default +0 +\\d+s\\n`));
    });

    it('gives a new namespace its default account and the kube-root-ca.crt ConfigMap', async () => {
      assert.equal(await b.ok(['create', 'namespace', 'fresh']), 'namespace/fresh created\n');
      await eventually(() => exists('/api/v1/namespaces/fresh/serviceaccounts/default'), 'the default account in fresh');
      const cm = await eventually(async () => (await b.api('GET', '/api/v1/namespaces/fresh/configmaps/kube-root-ca.crt')).json?.data && get('/api/v1/namespaces/fresh/configmaps/kube-root-ca.crt'), 'the root CA ConfigMap');
      assert.deepEqual(cm.data, { 'ca.crt': b.server.pki.ca.cert });
      assert.deepEqual(cm.metadata.annotations, { 'kubernetes.io/description': ROOT_CA_DESCRIPTION });
      assert.equal(await b.ok(['get', 'configmap', 'kube-root-ca.crt', '-n', 'fresh', '-o', 'jsonpath={.data.ca\\.crt}']), b.server.pki.ca.cert);
      const sa = await b.ok(['get', 'sa', 'default', '-n', 'fresh', '-o', 'yaml']);
      assert.match(sa, /^apiVersion: v1\nkind: ServiceAccount\nmetadata:\n {2}creationTimestamp: "[^"]+"\n {2}name: default\n {2}namespace: fresh\n {2}resourceVersion: "\d+"\n {2}uid: [0-9a-f-]{36}\n$/);
    });

    it('brings default back when it is deleted', async () => {
      const before = (await get('/api/v1/namespaces/default/serviceaccounts/default')).metadata.uid;
      assert.equal(await b.ok(['delete', 'serviceaccount', 'default']), 'serviceaccount "default" deleted\n');
      const again = await eventually(async () => {
        const r = await b.api('GET', '/api/v1/namespaces/default/serviceaccounts/default');
        return r.status === 200 && r.json;
      }, 'default to come back');
      assert.notEqual(again.metadata.uid, before);
    });

    it('restores kube-root-ca.crt when it is changed or deleted', async () => {
      await b.ok(['patch', 'configmap', 'kube-root-ca.crt', '--type=merge', '-p', '{"data":{"ca.crt":"nope","extra":"x"},"metadata":{"annotations":{"kubernetes.io/description":null,"mine":"kept"}}}']);
      const fixed = await eventually(async () => {
        const cm = await get('/api/v1/namespaces/default/configmaps/kube-root-ca.crt');
        return cm.data['ca.crt'] === b.server.pki.ca.cert && cm;
      }, 'the CA to be restored');
      assert.deepEqual(fixed.data, { 'ca.crt': b.server.pki.ca.cert });
      assert.deepEqual(fixed.metadata.annotations, { 'kubernetes.io/description': ROOT_CA_DESCRIPTION, mine: 'kept' });
      assert.equal(await b.ok(['delete', 'configmap', 'kube-root-ca.crt']), 'configmap "kube-root-ca.crt" deleted\n');
      await eventually(() => exists('/api/v1/namespaces/default/configmaps/kube-root-ca.crt'), 'the ConfigMap to come back');
    });

    it('runs a pod without serviceAccountName as default, with the token volume', async () => {
      await b.ok(['run', 'plain', '--image=nginx']);
      const spec = (await get('/api/v1/namespaces/default/pods/plain')).spec;
      assert.equal(spec.serviceAccountName, 'default');
      assert.equal(spec.serviceAccount, 'default');
      assert.match(spec.volumes[0].name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(spec.containers[0].volumeMounts, [{ name: spec.volumes[0].name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    });
  });

  describe('§3 ServiceAccounts in pods', () => {
    it('refuses a pod whose ServiceAccount does not exist, with the exact error', async () => {
      const r = await k(['apply', '-f', `${EXAMPLES}/03-pod-with-sa.yaml`]);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `Error from server (Forbidden): error when creating "${EXAMPLES}/03-pod-with-sa.yaml": pods "my-app" is forbidden: error looking up service account default/my-app-sa: serviceaccount "my-app-sa" not found\n`,
      );
      const gen = await k(['create', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: my-app-\nspec:\n  serviceAccountName: ghost\n  containers:\n  - name: app\n    image: nginx\n');
      assert.equal(gen.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "my-app-" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found\n');
    });

    it('03: the projected token volume, mounted read-only, exactly as a real cluster shows it', async () => {
      assert.equal(await b.ok(['apply', '-f', `${EXAMPLES}/01-serviceaccount.yaml`]), 'serviceaccount/my-app-sa created\n');
      assert.equal(await b.ok(['apply', '-f', `${EXAMPLES}/03-pod-with-sa.yaml`]), 'pod/my-app created\n');
      // The scheduler binds it to the node, whose kubelet runs it.
      assert.equal(await b.ok(['wait', '--for=condition=Ready', 'pod/my-app', '--timeout=30s']), 'pod/my-app condition met\n');
      const yaml = (await b.ok(['get', 'pod', 'my-app', '-o', 'yaml'])).replace(SUFFIX, 'kube-api-access-xxxxx\n');
      const specAt = yaml.indexOf('\nspec:\n');
      const statusAt = yaml.indexOf('\nstatus:\n');
      assert.ok(specAt > 0 && statusAt > specAt, yaml);
      assert.equal(yaml.slice(specAt + 1, statusAt + 1), MY_APP_SPEC);
      const status = yaml
        .slice(statusAt + 1)
        .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/g, 'TIME')
        .replace(/containerID: badge:\/\/[0-9a-f]{64}\n/, 'containerID: ID\n')
        .replace(/imageID: docker\.io\/library\/nginx@sha256:[0-9a-f]{64}\n/, 'imageID: IMAGE_ID\n')
        .replace(/ip: 10\.244\.\d+\.\d+\n/, 'ip: POD_IP\n')
        .replace(/podIP: 10\.244\.\d+\.\d+\n/, 'podIP: POD_IP\n');
      assert.equal(status, MY_APP_STATUS);
      assert.equal(await b.ok(['get', 'pod', 'my-app', '-o', 'jsonpath={.status.podIP} {.status.podIPs[0].ip}']).then((ips) => new Set(ips.split(' ')).size), 1);
      assert.match(await b.ok(['get', 'pod', 'my-app', '-o', 'wide']), new RegExp(`^my-app +1/1 +Running +0 +\\d+s +10\\.244\\.\\d+\\.\\d+ +${NODE} +<none> +<none>\n`, 'm'));
      const names = await b.ok(['get', 'pod', 'my-app', '-o', 'jsonpath={.spec.volumes[0].name} {.spec.containers[0].volumeMounts[0].name}']);
      const [volume, mount] = names.split(' ');
      assert.equal(volume, mount);
      assert.equal(await b.ok(['apply', '-f', `${EXAMPLES}/03-pod-with-sa.yaml`]), 'pod/my-app unchanged\n');
    });

    it('mounts the token in init containers too', async () => {
      const path = file('init.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: with-init\nspec:\n  serviceAccountName: my-app-sa\n  initContainers:\n  - name: init\n    image: busybox\n  containers:\n  - name: app\n    image: nginx\n');
      await b.ok(['apply', '-f', path]);
      const out = await b.ok(['get', 'pod', 'with-init', '-o', 'jsonpath={.spec.initContainers[0].volumeMounts[0].mountPath} {.spec.initContainers[0].volumeMounts[0].readOnly}']);
      assert.equal(out, '/var/run/secrets/kubernetes.io/serviceaccount true');
    });

    it('05: automountServiceAccountToken false gives neither volume nor mount', async () => {
      assert.equal(await b.ok(['apply', '-f', `${EXAMPLES}/05-pod-no-automount.yaml`]), 'pod/my-app-no-token created\n');
      const spec = (await get('/api/v1/namespaces/default/pods/my-app-no-token')).spec;
      assert.equal(spec.volumes, undefined);
      assert.equal(spec.containers[0].volumeMounts, undefined);
      assert.equal(spec.automountServiceAccountToken, false);
      const yaml = await b.ok(['get', 'pod', 'my-app-no-token', '-o', 'yaml']);
      assert.doesNotMatch(yaml, /kube-api-access|volumeMounts/);
      assert.match(yaml, /\n {2}automountServiceAccountToken: false\n/);
    });

    it('02: pods created later copy the imagePullSecrets of their ServiceAccount', async () => {
      assert.equal(await b.ok(['apply', '-f', `${EXAMPLES}/02-serviceaccount-pull-secret.yaml`]), 'serviceaccount/my-app-sa configured\n');
      const path = file('pull.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: pulls\nspec:\n  serviceAccountName: my-app-sa\n  containers:\n  - name: app\n    image: nginx\n');
      await b.ok(['apply', '-f', path]);
      assert.match(await b.ok(['get', 'pod', 'pulls', '-o', 'yaml']), /\n {2}imagePullSecrets:\n {2}- name: docker-registry-secret\n/);
      // The pod created before the change keeps what it had.
      assert.equal(await b.ok(['get', 'pod', 'my-app', '-o', 'jsonpath={.spec.imagePullSecrets}']), '');
    });

    it('refuses a pod in namespace B that names a ServiceAccount of namespace A', async () => {
      await b.ok(['create', 'namespace', 'team-b']);
      await eventually(() => exists('/api/v1/namespaces/team-b/serviceaccounts/default'), 'the default account in team-b');
      const r = await k(['apply', '-n', 'team-b', '-f', `${EXAMPLES}/03-pod-with-sa.yaml`]);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `Error from server (Forbidden): error when creating "${EXAMPLES}/03-pod-with-sa.yaml": pods "my-app" is forbidden: error looking up service account team-b/my-app-sa: serviceaccount "my-app-sa" not found\n`,
      );
    });

    it('spec.serviceAccountName cannot be changed', async () => {
      const r = await k(['patch', 'pod', 'my-app', '-p', '{"spec":{"serviceAccountName":"default"}}']);
      assert.equal(r.code, 1);
      assert.ok(r.stderr.startsWith(`${POD_UPDATE_FORBIDDEN}\n`), r.stderr);
      assert.match(r.stderr, /\n- \tServiceAccountName: +"my-app-sa",\n\+ \tServiceAccountName: +"default",\n/);
    });
  });

  describe('§6 legacy token Secrets', () => {
    let token: string;
    it('08: the tokens controller fills in token, ca.crt, namespace and the uid annotation', async () => {
      const saUid = (await get('/api/v1/namespaces/default/serviceaccounts/my-app-sa')).metadata.uid;
      assert.equal(await b.ok(['apply', '-f', `${EXAMPLES}/08-legacy-token-secret.yaml`]), 'secret/my-app-sa-token created\n');
      const secret = await eventually(async () => {
        const s = await get('/api/v1/namespaces/default/secrets/my-app-sa-token');
        return s.data?.token && s;
      }, 'the token');
      assert.deepEqual(Object.keys(secret.data).sort(), ['ca.crt', 'namespace', 'token']);
      assert.equal(Buffer.from(secret.data['ca.crt'], 'base64').toString(), b.server.pki.ca.cert);
      assert.equal(Buffer.from(secret.data.namespace, 'base64').toString(), 'default');
      assert.equal(secret.metadata.annotations['kubernetes.io/service-account.uid'], saUid);
      assert.equal(secret.metadata.annotations['kubernetes.io/service-account.name'], 'my-app-sa');

      token = await b.ok(['get', 'secret', 'my-app-sa-token', '-o', 'jsonpath={.data.token}']).then((t) => Buffer.from(t, 'base64').toString());
      const [header, claims] = decode(token);
      assert.deepEqual(Object.keys(header), ['alg', 'kid']);
      assert.deepEqual(claims, {
        iss: 'kubernetes/serviceaccount',
        'kubernetes.io/serviceaccount/namespace': 'default',
        'kubernetes.io/serviceaccount/secret.name': 'my-app-sa-token',
        'kubernetes.io/serviceaccount/service-account.name': 'my-app-sa',
        'kubernetes.io/serviceaccount/service-account.uid': saUid,
        sub: 'system:serviceaccount:default:my-app-sa',
      });
      assert.match(rows(await b.ok(['get', 'secret', 'my-app-sa-token'])), /^my-app-sa-token +kubernetes\.io\/service-account-token +3 +\d+s$/);
    });

    it('kubectl describe serviceaccount lists the Secret under Tokens', async () => {
      const d = await b.ok(['describe', 'serviceaccount', 'my-app-sa']);
      assert.match(d, /\nTokens: +my-app-sa-token\n/);
      assert.match(d, /\nImage pull secrets: +docker-registry-secret \(not found\)\n/);
    });

    it('the token authenticates as system:serviceaccount:default:my-app-sa and records its use', async () => {
      const day = utcDate(new Date());
      const r = await b.asBearer(token, PODS);
      assert.equal(r.status, 403);
      assert.equal(r.json.message, FORBIDDEN_PODS('system:serviceaccount:default:my-app-sa'));
      const garbage = await b.asBearer(`${token.slice(0, -4)}AAAA`, PODS);
      assert.equal(garbage.status, 401);
      assert.equal(garbage.json.message, 'Unauthorized');
      const labels = await eventually(async () => {
        const l = (await get('/api/v1/namespaces/default/secrets/my-app-sa-token')).metadata.labels;
        return l?.['kubernetes.io/legacy-token-last-used'] && l;
      }, 'the last-used label');
      assert.ok([day, utcDate(new Date())].includes(labels['kubernetes.io/legacy-token-last-used']), labels['kubernetes.io/legacy-token-last-used']);
    });

    it('deletes a token Secret whose ServiceAccount does not exist', async () => {
      const path = file('orphan.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: orphan-token\n  annotations:\n    kubernetes.io/service-account.name: nobody\ntype: kubernetes.io/service-account-token\n');
      assert.equal(await b.ok(['apply', '-f', path]), 'secret/orphan-token created\n');
      await eventually(async () => !(await exists('/api/v1/namespaces/default/secrets/orphan-token')), 'the orphan token to be deleted');
    });
  });

  describe('the tracking ConfigMap', () => {
    it('kube-system records since when legacy token use is tracked', async () => {
      const cm = await get('/api/v1/namespaces/kube-system/configmaps/kube-apiserver-legacy-service-account-token-tracking');
      assert.deepEqual(cm.data, { since: utcDate(new Date(Date.parse(cm.metadata.creationTimestamp))) });
      await b.ok(['patch', 'configmap', 'kube-apiserver-legacy-service-account-token-tracking', '-n', 'kube-system', '--type=merge', '-p', '{"data":{"since":"2024-02-30"}}']);
      await eventually(async () => /^\d{4}-\d{2}-\d{2}$/.test((await get('/api/v1/namespaces/kube-system/configmaps/kube-apiserver-legacy-service-account-token-tracking')).data.since), 'the date to be repaired');
    });
  });
});

/** The one data row of a one-row table, with runs of spaces kept. */
function rows(stdout: string): string {
  return stdout.trimEnd().split('\n')[1]!;
}

describe('e2e: revocation and clean-up of legacy tokens on an injectable clock', () => {
  const clock = new ManualClock(new Date());
  const started = utcDate(clock.now());
  const PERIOD_DAYS = 30;
  const DAY = 24 * 3600_000;
  let b: Badge;
  const get = async (path: string) => (await b.api('GET', path)).json;
  const review = async (token: string) =>
    (await b.api('POST', '/apis/authentication.k8s.io/v1/tokenreviews', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }))).json.status;
  const tokenOf = async (name: string) =>
    Buffer.from(
      await eventually(async () => (await get(`/api/v1/namespaces/default/secrets/${name}`)).data?.token, `the token of ${name}`),
      'base64',
    ).toString();
  const tokenSecret = (name: string, sa: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  annotations:\n    kubernetes.io/service-account.name: ${sa}\ntype: kubernetes.io/service-account-token\n`;

  before(async () => {
    b = await startBadge({ clock, legacyTokenCleanUpPeriodSeconds: PERIOD_DAYS * 24 * 3600 });
  });
  after(() => b.close());

  it('§10: deleting a ServiceAccount deletes its token Secrets; its tokens get 401 once the 10 s cache is over', async () => {
    await b.ok(['create', 'serviceaccount', 'my-app-sa']);
    await b.ok(['apply', '-f', `${EXAMPLES}/08-legacy-token-secret.yaml`]);
    const legacy = await tokenOf('my-app-sa-token');
    const bound = await b.ok(['create', 'token', 'my-app-sa']);
    for (const t of [legacy, bound]) {
      const r = await b.asBearer(t, PODS);
      assert.equal(r.status, 403);
      assert.equal(r.json.message, FORBIDDEN_PODS('system:serviceaccount:default:my-app-sa'));
    }
    assert.equal(await b.ok(['delete', 'serviceaccount', 'my-app-sa']), 'serviceaccount "my-app-sa" deleted\n');
    await eventually(async () => (await b.api('GET', '/api/v1/namespaces/default/secrets/my-app-sa-token')).status === 404, 'the token Secret to be deleted');
    clock.advance(11_000);
    for (const t of [legacy, bound]) {
      const r = await b.asBearer(t, PODS);
      assert.equal(r.status, 401);
    }
    assert.equal((await review(legacy)).error, 'Token has been invalidated');
    assert.equal((await review(bound)).error, 'serviceaccounts "my-app-sa" not found');
  });

  it('the cleaner labels an unused auto-generated token Secret invalid, then deletes it', async () => {
    const since = (await get('/api/v1/namespaces/kube-system/configmaps/kube-apiserver-legacy-service-account-token-tracking')).data.since;
    assert.equal(since, started);
    await b.ok(['create', 'serviceaccount', 'old-sa']);
    for (const name of ['old-token', 'manual-token', 'mounted-token']) await b.ok(['apply', '-f', '-'], tokenSecret(name, 'old-sa'));
    // Auto-generated tokens are the ones the account lists (as 1.23 and earlier made them).
    await b.ok(['patch', 'sa', 'old-sa', '-p', '{"secrets":[{"name":"old-token"},{"name":"mounted-token"}]}']);
    const token = await tokenOf('old-token');
    await tokenOf('mounted-token');
    await b.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: uses-token\nspec:\n  serviceAccountName: old-sa\n  containers:\n  - name: app\n    image: nginx\n    volumeMounts:\n    - name: t\n      mountPath: /t\n  volumes:\n  - name: t\n    secret:\n      secretName: mounted-token\n');
    const labelsOf = async (name: string) => (await get(`/api/v1/namespaces/default/secrets/${name}`)).metadata.labels ?? {};

    // Used as an auto-generated token: accepted, with a warning.
    const used = await review(token);
    assert.equal(used.authenticated, true);
    assert.equal(used.user.username, 'system:serviceaccount:default:old-sa');

    clock.advance((PERIOD_DAYS + 2) * DAY);
    const marked = utcDate(clock.now());
    await eventually(async () => (await labelsOf('old-token'))['kubernetes.io/legacy-token-invalid-since'] === marked, 'the invalid-since label');
    assert.equal((await labelsOf('manual-token'))['kubernetes.io/legacy-token-invalid-since'], undefined, 'not listed by its account: manual');
    assert.equal((await labelsOf('mounted-token'))['kubernetes.io/legacy-token-invalid-since'], undefined, 'used by a pod');
    const rejected = await review(token);
    assert.equal(
      rejected.error,
      "the token in secret default/old-token for service account default/old-sa has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token",
    );
    assert.equal((await b.asBearer(token, PODS)).status, 401);

    clock.advance((PERIOD_DAYS + 1) * DAY);
    await eventually(async () => (await b.api('GET', '/api/v1/namespaces/default/secrets/old-token')).status === 404, 'the token Secret to be deleted');
    // The tokens controller takes it off the account's list.
    await eventually(async () => !(await get('/api/v1/namespaces/default/serviceaccounts/old-sa')).secrets?.some((s: { name: string }) => s.name === 'old-token'), 'the reference to go');
    assert.equal((await b.api('GET', '/api/v1/namespaces/default/secrets/manual-token')).status, 200);
    assert.equal((await b.api('GET', '/api/v1/namespaces/default/secrets/mounted-token')).status, 200);
  });
});
