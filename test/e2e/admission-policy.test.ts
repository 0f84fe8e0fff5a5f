// ValidatingAdmissionPolicy with the real kubectl 1.27 and 1.33: the tutorial's best practice "don't run
// pods as the default ServiceAccount" enforced (Deny, then Warn), a ConfigMap param, the authorizer, match
// conditions and a namespace selector, pods made by a Deployment's ReplicaSet, and the end of enforcement
// when the binding goes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBadge, type Badge } from './harness.js';

const NS = 'enforced';
const POLICY = 'no-default-serviceaccount';
const MESSAGE = 'pods must not run as the default ServiceAccount';

const policy = (name: string, spec: object) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec });
const binding = (name: string, spec: object) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec });
const podRules = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] };
const pod = (name: string, extra: { labels?: Record<string, string>; serviceAccountName?: string; image?: string } = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS, ...(extra.labels ? { labels: extra.labels } : {}) },
  spec: { ...(extra.serviceAccountName ? { serviceAccountName: extra.serviceAccountName } : {}), containers: [{ name: 'c', image: extra.image ?? 'registry.example/app:1' }] },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ValidatingAdmissionPolicy', () => {
  let b: Badge;
  const apply = (obj: object, version = '1.33') => b.kubectl(['apply', '-f', '-'], { version, stdin: JSON.stringify(obj) });
  /** Applies until the outcome is decided by `done` (policies reach admission through a watch). */
  async function applyUntil(obj: object, done: (r: { code: number; stdout: string; stderr: string }) => boolean, version = '1.33') {
    for (let i = 0; ; i++) {
      const r = await apply(obj, version);
      if (done(r) || i >= 40) return r;
      if (r.code === 0) await b.kubectl(['delete', '-n', NS, 'pod', (obj as { metadata: { name: string } }).metadata.name, '--wait=false']);
      await sleep(100);
    }
  }

  before(async () => {
    b = await startBadge();
    const ns = await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { policy: 'enforced' } } });
    assert.equal(ns.code, 0, ns.stderr);
    await apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: NS } });
    for (let i = 0; i < 50 && (await b.kubectl(['get', 'sa', 'default', '-n', NS])).code !== 0; i++) await sleep(100);
    const p = await apply(policy(POLICY, {
      matchConstraints: { ...podRules, namespaceSelector: { matchLabels: { policy: 'enforced' } } },
      matchConditions: [{ name: 'not-exempt', expression: "!has(object.metadata.labels) || !('exempt' in object.metadata.labels)" }],
      variables: [{ name: 'sa', expression: 'object.spec.serviceAccountName' }],
      validations: [{ expression: "variables.sa != 'default'", message: MESSAGE, reason: 'Forbidden' }],
    }));
    assert.equal(p.code, 0, p.stderr);
  });
  after(() => b?.close());

  it('serves the policy with its defaults and kubectl get columns', async () => {
    const got = await b.api('GET', `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${POLICY}`);
    assert.equal(got.json.spec.failurePolicy, 'Fail');
    assert.equal(got.json.spec.matchConstraints.matchPolicy, 'Equivalent');
    assert.deepEqual(got.json.spec.matchConstraints.objectSelector, {});
    assert.equal(got.json.spec.matchConstraints.resourceRules[0].scope, '*');
    const table = await b.kubectl(['get', 'validatingadmissionpolicies'], { version: '1.33' });
    assert.match(table.stdout, /^NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE\n/);
    assert.match(table.stdout, new RegExp(`${POLICY}\\s+1\\s+<unset>\\s+\\d+s`));
  });

  it('rejects invalid bindings and policies with kube-apiserver texts', async () => {
    const both = await apply(binding('bad', { policyName: POLICY, validationActions: ['Deny', 'Warn'] }));
    assert.match(both.stderr, /The ValidatingAdmissionPolicyBinding "bad" is invalid: spec.validationActions: Invalid value: \[\]admissionregistration.ValidationAction\{"Deny", "Warn"\}: must not contain both Deny and Warn \(repeating the same validation failure information in the API response and headers serves no purpose\)/);
    const bad = await apply(policy('bad', { matchConstraints: podRules, validations: [{ expression: 'object.spec.replicas + 1', reason: 'Teapot' }] }));
    assert.match(bad.stderr, /spec.validations\[0\].expression: Invalid value: "object.spec.replicas \+ 1": must evaluate to bool but got int/);
    assert.match(bad.stderr, /spec.validations\[0\].reason: Unsupported value: "Teapot": supported values: "Forbidden", "Invalid", "RequestEntityTooLarge"/);
    const syntax = await apply(policy('bad', { matchConstraints: podRules, validations: [{ expression: 'object.spec.x ==' }] }));
    assert.match(syntax.stderr, /spec.validations\[0\].expression: Invalid value: "object.spec.x ==": compilation failed: ERROR: <input>:1:/);
  });

  for (const version of ['1.27', '1.33']) {
    it(`Deny: kubectl ${version} shows the denial; an exempt pod and another account pass`, async () => {
      const bound = await apply(binding(`${POLICY}-deny`, { policyName: POLICY, validationActions: ['Deny'] }), version);
      assert.equal(bound.code, 0, bound.stderr);
      const name = `p-${version.replace('.', '-')}`;
      const denied = await applyUntil(pod(name), (r) => r.code !== 0, version);
      assert.equal(denied.code, 1);
      assert.equal(denied.stderr.trim(), `Error from server (Forbidden): error when creating "STDIN": pods "${name}" is forbidden: ValidatingAdmissionPolicy '${POLICY}' with binding '${POLICY}-deny' denied request: ${MESSAGE}`);
      const exempt = await apply(pod(`${name}-exempt`, { labels: { exempt: 'yes' } }), version);
      assert.equal(exempt.code, 0, exempt.stderr);
      const app = await apply(pod(`${name}-app`, { serviceAccountName: 'app' }), version);
      assert.equal(app.code, 0, app.stderr);
      const gone = await b.kubectl(['delete', 'validatingadmissionpolicybinding', `${POLICY}-deny`], { version });
      assert.equal(gone.code, 0, gone.stderr);
      const allowed = await applyUntil(pod(name), (r) => r.code === 0, version);
      assert.equal(allowed.code, 0, allowed.stderr);
      await b.kubectl(['delete', '-n', NS, 'pod', name, `${name}-exempt`, `${name}-app`, '--wait=false']);
    });
  }

  it('Warn: the pod is created and kubectl prints the warning', async () => {
    await apply(binding(`${POLICY}-warn`, { policyName: POLICY, validationActions: ['Warn', 'Audit'] }));
    const r = await applyUntil(pod('warned'), (x) => x.stderr.includes('Warning:'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), `Warning: Validation failed for ValidatingAdmissionPolicy '${POLICY}' with binding '${POLICY}-warn': ${MESSAGE}`);
    assert.match(r.stdout, /pod\/warned created/);
    await b.kubectl(['delete', 'validatingadmissionpolicybinding', `${POLICY}-warn`]);
  });

  it('a ConfigMap param: messageExpression, and Deny when it is missing', async () => {
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry', namespace: NS }, data: { prefix: 'registry.example/' } });
    await apply(policy('allowed-registry', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { ...podRules, namespaceSelector: { matchLabels: { policy: 'enforced' } } },
      validations: [{ expression: 'object.spec.containers.all(c, c.image.startsWith(params.data.prefix))', messageExpression: "'images must come from ' + params.data.prefix" }],
    }));
    await apply(binding('allowed-registry', { policyName: 'allowed-registry', paramRef: { name: 'registry', namespace: NS }, validationActions: ['Deny'] }));
    const got = await b.api('GET', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/allowed-registry');
    assert.equal(got.json.spec.paramRef.parameterNotFoundAction, 'Deny');
    const table = await b.kubectl(['get', 'validatingadmissionpolicybindings', 'allowed-registry'], { version: '1.33' });
    assert.match(table.stdout, /allowed-registry\s+allowed-registry\s+enforced\/registry\s+\d+s/);
    const r = await applyUntil(pod('elsewhere', { serviceAccountName: 'app', image: 'docker.io/evil' }), (x) => x.code !== 0);
    // Reason Invalid with the message as its one cause: kubectl prints what it prints for kube-apiserver.
    assert.equal(r.stderr.trim(), `The pods "elsewhere" is invalid: : ValidatingAdmissionPolicy 'allowed-registry' with binding 'allowed-registry' denied request: images must come from registry.example/`);
    const status = await b.api('POST', `/api/v1/namespaces/${NS}/pods`, JSON.stringify(pod('raw', { serviceAccountName: 'app', image: 'docker.io/evil' })));
    assert.equal(status.status, 422);
    assert.equal(status.json.reason, 'Invalid');
    assert.equal(status.json.message, `pods "raw" is forbidden: ValidatingAdmissionPolicy 'allowed-registry' with binding 'allowed-registry' denied request: images must come from registry.example/`);
    assert.deepEqual(status.json.details, { name: 'raw', kind: 'pods', causes: [{ message: "ValidatingAdmissionPolicy 'allowed-registry' with binding 'allowed-registry' denied request: images must come from registry.example/" }] });
    await b.kubectl(['delete', 'configmap', '-n', NS, 'registry']);
    const missing = await applyUntil(pod('no-params', { serviceAccountName: 'app' }), (x) => x.stderr.includes('no params'));
    assert.equal(missing.stderr.trim(), "Error from server (Forbidden): error when creating \"STDIN\": policy 'allowed-registry' with binding 'allowed-registry' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction");
    await b.kubectl(['delete', 'validatingadmissionpolicybinding', 'allowed-registry']);
  });

  it('the authorizer: may this ServiceAccount read Secrets?', async () => {
    await apply(policy('no-secret-readers', {
      matchConstraints: { ...podRules, namespaceSelector: { matchLabels: { policy: 'enforced' } } },
      validations: [{
        expression: "!authorizer.serviceAccount(request.namespace, object.spec.serviceAccountName).group('').resource('secrets').namespace(request.namespace).check('list').allowed()",
        message: 'pods must not run as a ServiceAccount that may list Secrets',
      }],
    }));
    await apply(binding('no-secret-readers', { policyName: 'no-secret-readers', validationActions: ['Deny'] }));
    const ok = await apply(pod('reader-before', { serviceAccountName: 'app' }));
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await b.kubectl(['create', 'role', 'secret-reader', '-n', NS, '--verb=list', '--resource=secrets'])).code, 0);
    assert.equal((await b.kubectl(['create', 'rolebinding', 'app-reads', '-n', NS, '--role=secret-reader', `--serviceaccount=${NS}:app`])).code, 0);
    const r = await applyUntil(pod('reader', { serviceAccountName: 'app' }), (x) => x.code !== 0);
    assert.match(r.stderr, /The pods "reader" is invalid: : ValidatingAdmissionPolicy 'no-secret-readers' with binding 'no-secret-readers' denied request: pods must not run as a ServiceAccount that may list Secrets/);
    await b.kubectl(['delete', 'validatingadmissionpolicybinding', 'no-secret-readers']);
  });

  it("a Deployment's ReplicaSet is refused its pods, as in Kubernetes", async () => {
    await apply(binding(`${POLICY}-deny`, { policyName: POLICY, validationActions: ['Deny'] }));
    await sleep(300);
    const d = await b.kubectl(['create', 'deployment', 'web', '-n', NS, '--image=registry.example/web:1']);
    assert.equal(d.code, 0, d.stderr);
    let events = '';
    for (let i = 0; i < 50 && !events.includes('ValidatingAdmissionPolicy'); i++) {
      await sleep(200);
      events = (await b.kubectl(['get', 'events', '-n', NS, '-o', 'jsonpath={.items[*].message}'])).stdout;
    }
    assert.match(events, new RegExp(`Error creating: pods "web-[a-z0-9]+-[a-z0-9]+" is forbidden: ValidatingAdmissionPolicy '${POLICY}' with binding '${POLICY}-deny' denied request: ${MESSAGE}`));
  });
});
