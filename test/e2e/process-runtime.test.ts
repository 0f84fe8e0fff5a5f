// The tutorial's "from inside a Pod" steps (WALKTHROUGH §5 and §9) with the process runtime and the
// real kubectl: exec (WebSockets, stdin, a terminal, exit codes), logs, the in-cluster API from
// curl, kubectl and the Python client, automountServiceAccountToken false, graceful deletion, and
// the `create` permission a WebSocket exec needs besides `get`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/api/clock.js';
import { eventually } from '../../src/testing/eventually.js';
import { processRuntimeUnavailable, pythonClientMissing, run, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const unavailable = processRuntimeUnavailable();

const MANIFESTS = `
apiVersion: v1
kind: ServiceAccount
metadata:
  name: no-rights
---
apiVersion: v1
kind: Pod
metadata:
  name: no-rights-pod
spec:
  serviceAccountName: no-rights
  containers:
  - name: main
    image: curlimages/curl
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: my-app-sa
---
apiVersion: v1
kind: Pod
metadata:
  name: my-app-no-token
spec:
  serviceAccountName: my-app-sa
  automountServiceAccountToken: false
  containers:
  - name: app
    image: nginx:1.25
---
apiVersion: v1
kind: Pod
metadata:
  name: logger
spec:
  containers:
  - name: a
    image: busybox
    command: ["sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; echo to-stderr >&2; sleep 3600"]
  - name: b
    image: busybox
    command: ["sh", "-c", "echo from b; sleep 3600"]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: exec-getter
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: exec-get-only
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["pods/exec"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: exec-getter
subjects:
- kind: ServiceAccount
  name: exec-getter
roleRef:
  kind: Role
  name: exec-get-only
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: exec-user
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: exec
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["pods/exec"]
  verbs: ["get", "create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: exec-user
subjects:
- kind: ServiceAccount
  name: exec-user
roleRef:
  kind: Role
  name: exec
  apiGroup: rbac.authorization.k8s.io
`;

/** The tutorial's curl line, run in a pod's shell. */
const CURL = `TOKEN=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)
NAMESPACE=$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)
CACERT=/var/run/secrets/kubernetes.io/serviceaccount/ca.crt
curl -s --cacert $CACERT \\
-H "Authorization: Bearer $TOKEN" \\
https://kubernetes.default.svc/api/v1/namespaces/$NAMESPACE/pods`;

/** The tutorial's Python example. */
const PYTHON = `from kubernetes import client, config
# Load in-cluster config (uses ServiceAccount)
config.load_incluster_config()
# Create API client
v1 = client.CoreV1Api()
# List pods
pods = v1.list_namespaced_pod(namespace="default")
for pod in pods.items:
    print(f"Pod: {pod.metadata.name}")
`;

describe('process runtime: the tutorial from inside pods', { skip: unavailable, timeout: 300_000 }, () => {
  let b: Badge;

  before(async () => {
    b = await startBadge({ runtime: 'process' });
    for (const f of ['06-pod-reader.yaml', '07-kubectl-pod.yaml']) {
      const r = await b.kubectl(['apply', '-f', `${EXAMPLES}/${f}`]);
      assert.equal(r.code, 0, r.stderr);
    }
    const r = await b.kubectl(['apply', '-f', '-'], { stdin: MANIFESTS });
    assert.equal(r.code, 0, r.stderr);
    const w = await b.kubectl(['wait', '--for=condition=Ready', 'pod/kubectl-pod', 'pod/app-pod', 'pod/no-rights-pod', 'pod/my-app-no-token', 'pod/logger', '--timeout=90s']);
    assert.equal(w.code, 0, w.stderr);
  });
  after(async () => {
    await b?.close();
  });

  it('kubectl exec: the mounted namespace file', async () => {
    const r = await b.kubectl(['exec', 'kubectl-pod', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace']);
    assert.deepEqual({ code: r.code, stdout: r.stdout }, { code: 0, stdout: 'default' });
    const token = await b.kubectl(['exec', 'app-pod', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
    assert.match(token.stdout, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const ca = await b.kubectl(['exec', 'app-pod', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt']);
    assert.equal(ca.stdout, b.server.pki.ca.cert);
  });

  it("the tutorial's curl: a PodList for app-reader, a 403 Status for an SA without rights", async () => {
    const ok = await b.kubectl(['exec', 'kubectl-pod', '--', 'sh', '-c', CURL]);
    assert.equal(ok.code, 0, ok.stderr);
    const list = JSON.parse(ok.stdout);
    assert.equal(list.kind, 'PodList');
    assert.ok(list.items.some((p: { metadata: { name: string } }) => p.metadata.name === 'kubectl-pod'));
    const denied = await b.kubectl(['exec', 'no-rights-pod', '--', 'sh', '-c', CURL]);
    assert.equal(denied.code, 0, denied.stderr);
    const status = JSON.parse(denied.stdout);
    assert.deepEqual([status.kind, status.code, status.reason], ['Status', 403, 'Forbidden']);
    assert.equal(status.message, 'pods is forbidden: User "system:serviceaccount:default:no-rights" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('kubectl inside a pod uses the mounted token', async () => {
    const pods = await b.kubectl(['exec', 'kubectl-pod', '--', 'kubectl', 'get', 'pods']);
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stdout, /^NAME +READY +STATUS +RESTARTS +AGE\n/);
    assert.match(pods.stdout, /\nkubectl-pod +1\/1 +Running +0 /);
    const services = await b.kubectl(['exec', 'kubectl-pod', '--', 'kubectl', 'get', 'services']);
    assert.equal(services.code, 1);
    assert.equal(services.stdout, '');
    assert.equal(
      services.stderr,
      'Error from server (Forbidden): services is forbidden: User "system:serviceaccount:default:app-reader" cannot list resource "services" in API group "" in the namespace "default"\ncommand terminated with exit code 1\n',
    );
  });

  it("the tutorial's Python example", { skip: pythonClientMissing() }, async () => {
    const r = await b.kubectl(['exec', 'kubectl-pod', '--', '/usr/bin/python3', '-c', PYTHON]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    for (const name of ['app-pod', 'kubectl-pod', 'logger']) assert.ok(lines.includes(`Pod: ${name}`), r.stdout);
  });

  it('no token directory with automountServiceAccountToken: false', async () => {
    const r = await b.kubectl(['exec', 'my-app-no-token', '--', 'ls', '/var/run/secrets/kubernetes.io/serviceaccount/']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "ls: cannot access '/var/run/secrets/kubernetes.io/serviceaccount/': No such file or directory\ncommand terminated with exit code 2\n");
  });

  it('exec: exit codes, stdin, a terminal', async () => {
    const three = await b.kubectl(['exec', 'kubectl-pod', '--', 'sh', '-c', 'exit 3']);
    assert.deepEqual(three, { code: 3, stdout: '', stderr: 'command terminated with exit code 3\n' });
    const cat = await b.kubectl(['exec', '-i', 'kubectl-pod', '--', 'sh', '-c', 'cat; echo done'], { stdin: 'one\ntwo\n' });
    assert.deepEqual(cat, { code: 0, stdout: 'one\ntwo\ndone\n', stderr: '' });
    const missing = await b.kubectl(['exec', 'kubectl-pod', '--', 'no-such-command']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: Internal error occurred: .*exec: "no-such-command": executable file not found in \$PATH: unknown\n$/);
    // kubectl uses a terminal only when its own stdin is one: `script` gives it one.
    const cmd = `/usr/bin/kubectl --kubeconfig ${b.kubeconfig} exec -it kubectl-pod -- sh -c 'tty; stty size; exit 4'`;
    const tty = await run('script', ['-qec', cmd, '/dev/null'], { env: { COLUMNS: '100', LINES: '30' } });
    assert.equal(tty.code, 4, tty.stdout + tty.stderr);
    assert.match(tty.stdout, /\/dev\/pts\/\d+\r\n/);
  });

  it('kubectl logs: -c, --tail, the container a pod without -c defaults to, -f', async () => {
    const a = await b.kubectl(['logs', 'logger', '-c', 'a']);
    assert.deepEqual(a, { code: 0, stdout: 'line 1\nline 2\nline 3\nline 4\nline 5\nto-stderr\n', stderr: '' });
    const tail = await b.kubectl(['logs', 'logger', '-c', 'a', '--tail', '2']);
    assert.equal(tail.stdout, 'line 5\nto-stderr\n');
    const dflt = await b.kubectl(['logs', 'logger']);
    assert.equal(dflt.stdout, 'line 1\nline 2\nline 3\nline 4\nline 5\nto-stderr\n');
    assert.equal(dflt.stderr, 'Defaulted container "a" out of: a, b\n');
    assert.equal((await b.kubectl(['logs', 'logger', '-c', 'b'])).stdout, 'from b\n');
    // The API without a container for a pod of two, and with one it does not have.
    const none = await b.api('GET', '/api/v1/namespaces/default/pods/logger/log');
    assert.deepEqual([none.status, none.json.message], [400, 'a container name must be specified for pod logger, choose one of: [a b]']);
    const wrong = await b.api('GET', '/api/v1/namespaces/default/pods/logger/log?container=zz');
    assert.deepEqual([wrong.status, wrong.json.message], [400, 'container zz is not valid for pod logger']);
    const neg = await b.api('GET', '/api/v1/namespaces/default/pods/logger/log?container=a&tailLines=-1');
    assert.deepEqual([neg.status, neg.json.message], [422, 'PodLogOptions "logger" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0']);

    // -f keeps the stream open while the container runs and shows what it writes next.
    const follower = spawn('/usr/bin/kubectl', ['--kubeconfig', b.kubeconfig, 'logs', '-f', 'kubectl-pod']);
    let text = '';
    follower.stdout.on('data', (d) => (text += d));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(follower.exitCode, null, 'still following');
    follower.kill();
  });

  it('a WebSocket exec needs create besides get (AuthorizePodWebsocketUpgradeCreatePermission)', async () => {
    const getter = await b.kubectl(['exec', '--as=system:serviceaccount:default:exec-getter', 'kubectl-pod', '--', 'true']);
    assert.equal(getter.code, 1);
    assert.equal(
      getter.stderr,
      'Error from server (Forbidden): pods "kubectl-pod" is forbidden: User "system:serviceaccount:default:exec-getter" cannot create resource "pods/exec" in API group "" in the namespace "default"\n',
    );
    const user = await b.kubectl(['exec', '--as=system:serviceaccount:default:exec-user', 'kubectl-pod', '--', 'echo', 'hi']);
    assert.deepEqual(user, { code: 0, stdout: 'hi\n', stderr: '' });
  });

  it('securityContext: a pod runs as its runAsUser and reads its token; runAsNonRoot without one is refused', async () => {
    const pods = `
apiVersion: v1
kind: Pod
metadata:
  name: non-root
spec:
  securityContext:
    runAsUser: 1000
  containers:
  - name: main
    image: curlimages/curl
    command: ["sleep", "3600"]
    securityContext:
      allowPrivilegeEscalation: false
---
apiVersion: v1
kind: Pod
metadata:
  name: must-not-be-root
spec:
  securityContext:
    runAsNonRoot: true
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
`;
    assert.equal((await b.kubectl(['apply', '-f', '-'], { stdin: pods })).code, 0);
    assert.equal((await b.kubectl(['wait', '--for=condition=Ready', 'pod/non-root', '--timeout=60s'])).code, 0);
    assert.deepEqual(await b.kubectl(['exec', 'non-root', '--', 'sh', '-c', 'id -u; grep NoNewPrivs /proc/self/status']), { code: 0, stdout: '1000\nNoNewPrivs:\t1\n', stderr: '' });
    const denied = await b.kubectl(['exec', 'non-root', '--', 'sh', '-c', CURL]);
    assert.equal(denied.code, 0, denied.stderr);
    assert.equal(JSON.parse(denied.stdout).message, 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"');
    const uid = (await b.kubectl(['get', 'pod', 'must-not-be-root', '-o', 'jsonpath={.metadata.uid}'])).stdout;
    // As `kubectl get pod` shows it.
    await eventually(async () => /^must-not-be-root\s+0\/1\s+CreateContainerConfigError\s+0\s+\d+s\n$/.test((await b.kubectl(['get', 'pod', 'must-not-be-root', '--no-headers'])).stdout), 'must-not-be-root refused');
    const message = await b.kubectl(['get', 'pod', 'must-not-be-root', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}']);
    assert.equal(message.stdout, `container has runAsNonRoot and image will run as root (pod: "must-not-be-root_default(${uid})", container: main)`);
  });

  it('deleting a pod sends SIGTERM, and SIGKILL after the grace period', async () => {
    const pods = `
apiVersion: v1
kind: Pod
metadata:
  name: polite
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "trap 'echo got TERM; exit 0' TERM; echo started; while :; do sleep 0.2; done"]
---
apiVersion: v1
kind: Pod
metadata:
  name: stubborn
spec:
  terminationGracePeriodSeconds: 3
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
`;
    assert.equal((await b.kubectl(['apply', '-f', '-'], { stdin: pods })).code, 0);
    assert.equal((await b.kubectl(['wait', '--for=condition=Ready', 'pod/polite', 'pod/stubborn', '--timeout=60s'])).code, 0);
    const follower = spawn('/usr/bin/kubectl', ['--kubeconfig', b.kubeconfig, 'logs', '-f', 'polite']);
    let text = '';
    follower.stdout.on('data', (d) => (text += d));
    const followed = new Promise((r) => follower.on('close', r));
    await new Promise((r) => setTimeout(r, 1000));
    let t = Date.now();
    const polite = await b.kubectl(['delete', 'pod', 'polite']);
    assert.equal(polite.stdout, 'pod "polite" deleted\n');
    assert.ok(Date.now() - t < 15_000);
    await followed;
    assert.equal(text, 'started\ngot TERM\n');
    // sleep, process 1 of its container, ignores SIGTERM: the pod goes after the grace period.
    t = Date.now();
    const stubborn = await b.kubectl(['delete', 'pod', 'stubborn']);
    assert.equal(stubborn.stdout, 'pod "stubborn" deleted\n');
    assert.ok(Date.now() - t >= 2500, `deleted after ${Date.now() - t} ms`);
  });
  it('a Deployment of real processes scales and rolls out', async () => {
    const deployment = (message: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
spec:
  replicas: 2
  selector:
    matchLabels: {app: echo}
  template:
    metadata:
      labels: {app: echo}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c", "echo ${message}; sleep 3600"]
`;
    assert.equal((await b.kubectl(['apply', '-f', '-'], { stdin: deployment('one') })).code, 0);
    const first = await b.kubectl(['rollout', 'status', 'deployment/echo', '--timeout=90s']);
    assert.match(first.stdout, /deployment "echo" successfully rolled out\n$/, first.stderr);
    assert.equal((await b.kubectl(['scale', 'deployment/echo', '--replicas=3'])).stdout, 'deployment.apps/echo scaled\n');
    assert.match((await b.kubectl(['rollout', 'status', 'deployment/echo', '--timeout=90s'])).stdout, /successfully rolled out\n$/);
    assert.equal((await b.kubectl(['apply', '-f', '-'], { stdin: deployment('two') })).stdout, 'deployment.apps/echo configured\n');
    assert.match((await b.kubectl(['rollout', 'status', 'deployment/echo', '--timeout=120s'])).stdout, /successfully rolled out\n$/);
    // The manifest sets replicas back to 2; the old pods end within their grace period (sh,
    // process 1, ignores SIGTERM and is killed).
    const deadline = Date.now() + 30_000;
    let pods = '';
    do {
      await new Promise((r) => setTimeout(r, 300));
      pods = (await b.kubectl(['get', 'pods', '-l', 'app=echo', '-o', 'name'])).stdout;
    } while (pods.trim().split('\n').length !== 2 && Date.now() < deadline);
    assert.equal(pods.trim().split('\n').length, 2, pods);
    const logs = await b.kubectl(['logs', 'deployment/echo']);
    assert.equal(logs.stdout, 'two\n', logs.stderr);
  });

  it('a Job whose pods fail is retried after a backoff, then Failed with BackoffLimitExceeded', async () => {
    const job = `
apiVersion: batch/v1
kind: Job
metadata:
  name: fails
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox
        command: ["sh", "-c", "echo trying; exit 1"]
`;
    assert.equal((await b.kubectl(['apply', '-f', '-'], { stdin: job })).stdout, 'job.batch/fails created\n');
    const failed = await b.kubectl(['wait', '--for=condition=failed', 'job/fails', '--timeout=120s']);
    assert.equal(failed.stdout, 'job.batch/fails condition met\n', failed.stderr);
    const pods = await b.kubectl(['get', 'pods', '-l', 'job-name=fails', '--no-headers']);
    assert.equal(pods.stdout.match(/^fails-[bcdfghjklmnpqrstvwxz2456789]{5}\s+0\/1\s+Error\s+0\s+\d+s$/gm)?.length, 2, pods.stdout);
    const exitCodes = await b.kubectl(['get', 'pods', '-l', 'job-name=fails', '-o', 'jsonpath={.items[*].status.containerStatuses[0].state.terminated.exitCode}']);
    assert.equal(exitCodes.stdout, '1 1');
    const described = await b.kubectl(['describe', 'job', 'fails']);
    assert.match(described.stdout, /\nPods Statuses:\s+0 Active \(0 Ready\) \/ 0 Succeeded \/ 2 Failed\n/);
    assert.match(described.stdout, /\n {2}Warning {2}BackoffLimitExceeded {2}\d+s\s+job-controller {2}Job has reached the specified backoff limit\n/);
    const table = await b.kubectl(['get', 'job', 'fails', '--no-headers']);
    assert.match(table.stdout, /^fails\s+Failed\s+0\/1\s+\d+s\s+\d+s\n$/);
  });
});

describe('process runtime: the token a pod sees is rotated', { skip: unavailable, timeout: 120_000 }, () => {
  it('rewrites the mounted token past 80 % of its lifetime, on the injectable clock', async () => {
    const clock = new ManualClock(new Date());
    const b = await startBadge({ runtime: 'process', clock, nodeSyncIntervalMs: 200 });
    try {
      const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: rotating\nspec:\n  containers:\n  - name: main\n    image: busybox\n    command: ["sleep", "3600"]\n';
      assert.equal((await b.kubectl(['apply', '-f', '-'], { stdin: pod })).code, 0);
      assert.equal((await b.kubectl(['wait', '--for=condition=Ready', 'pod/rotating', '--timeout=60s'])).code, 0);
      const read = async () => (await b.kubectl(['exec', 'rotating', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'])).stdout;
      const before = await read();
      assert.match(before, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      clock.advance(Math.ceil(3607 * 0.8 + 11) * 1000);
      const deadline = Date.now() + 20_000;
      let after = before;
      while (after === before && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        after = await read();
      }
      assert.notEqual(after, before, 'the token was rewritten');
      const iat = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()).iat as number;
      assert.ok(iat(after) > iat(before));
    } finally {
      await b.close();
    }
  });
});
