// Every served resource through the generic REST behaviour, in the spirit of Kubernetes' resttest
// (k8s.io/apiserver/pkg/registry/rest/resttest): over HTTPS as the admin, each stored resource is
// created, read, listed (with label selectors), updated, patched, watched and deleted, and shows the
// generic answers (AlreadyExists, a stale update's Conflict, 404 after delete, dryRun=All,
// generateName, deletecollection). Create-only resources (reviews) answer a create and store
// nothing; read-only ones (CustomResourceDefinitions: Badge has none) list empty and refuse a create.
// The resources are what allResources() lists (the server serves exactly those); a resource
// without an entry in VALID or REVIEWS, or READ_ONLY, fails the first test.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verbsOf, type ResourceDef } from '../../src/registry/resource.js';
import { allResources } from '../../src/registry/resources/index.js';
import { eventually } from '../../src/testing/eventually.js';
import { openWatch, startBadge, type ApiReply, type Badge } from './harness.js';

type Obj = Record<string, unknown>;

/** The definitions, with test doubles for what the reviews and subresources would call (never called here). */
const unused = {} as never;
const DEFS = allResources({ tokenRequest: unused, tokenAuthenticator: unused, authorizer: unused, rbac: unused });

/** The namespace the namespaced resources are tested in. */
const NS = 'resttest';
const LABEL = 'resttest';
const CONTAINERS = [{ name: 'app', image: 'nginx:1.25' }];
const TEMPLATE = { metadata: { labels: { app: 'resttest' } }, spec: { containers: CONTAINERS } };
const RULES = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }];
const SUBJECTS = [{ kind: 'ServiceAccount', name: 'default', namespace: NS }];
const RBAC = 'rbac.authorization.k8s.io';

/**
 * A minimal valid object of each stored resource, by group/version/resource: what it needs besides
 * apiVersion, kind and metadata. Pods wait at a scheduling gate and workloads have nothing to run,
 * so no controller or node makes them outlive their deletion.
 */
const WIDGETS = [{ apiGroups: ['example.com'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['widgets'] }];
const VALID: Record<string, Obj> = {
  'v1/configmaps': { data: { key: 'value' } },
  'v1/endpoints': { subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80 }] }] },
  'v1/events': { involvedObject: { kind: 'Pod', namespace: NS, name: 'p' }, reason: 'Tested', message: 'resttest', type: 'Normal' },
  'v1/limitranges': { spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '10Gi' } }] } },
  'v1/namespaces': {},
  'v1/nodes': {},
  'v1/persistentvolumeclaims': { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
  'v1/persistentvolumes': { spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/badge-resttest' } } },
  'v1/replicationcontrollers': { spec: { replicas: 0, selector: { app: 'resttest' }, template: TEMPLATE } },
  'v1/pods': { spec: { schedulingGates: [{ name: 'example.com/hold' }], containers: CONTAINERS } },
  'v1/podtemplates': { template: { spec: { containers: CONTAINERS } } },
  'v1/resourcequotas': { spec: { hard: { 'count/widgets.example.com': '10' } } },
  'v1/secrets': { data: { key: 'dmFsdWU=' } },
  'v1/serviceaccounts': {},
  'v1/services': { spec: { ports: [{ port: 80 }] } },
  'apps/v1/controllerrevisions': { data: { spec: { template: { $patch: 'replace' } } }, revision: 1 },
  // No node carries the label, so the DaemonSet wants no pod.
  'apps/v1/daemonsets': { spec: { selector: { matchLabels: { app: 'resttest' } }, template: { ...TEMPLATE, spec: { ...TEMPLATE.spec, nodeSelector: { resttest: 'no-node' } } } } },
  'apps/v1/deployments': { spec: { replicas: 0, selector: { matchLabels: { app: 'resttest' } }, template: TEMPLATE } },
  'apps/v1/replicasets': { spec: { replicas: 0, selector: { matchLabels: { app: 'resttest' } }, template: TEMPLATE } },
  'apps/v1/statefulsets': { spec: { replicas: 0, serviceName: 'resttest', selector: { matchLabels: { app: 'resttest' } }, template: TEMPLATE } },
  'events.k8s.io/v1/events': {
    eventTime: '2025-01-01T00:00:00.000000Z',
    reportingController: 'example.com/resttest',
    reportingInstance: 'resttest-1',
    action: 'Test',
    reason: 'Tested',
    type: 'Normal',
    regarding: { kind: 'Pod', namespace: NS, name: 'p' },
  },
  'batch/v1/cronjobs': { spec: { schedule: '0 0 1 1 *', suspend: true, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: CONTAINERS } } } } } },
  // Autoscalers of a Deployment that does not exist: the controller only reports that it cannot get its scale.
  'autoscaling/v2/horizontalpodautoscalers': { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'resttest-none' }, maxReplicas: 2 } },
  'autoscaling/v1/horizontalpodautoscalers': { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'resttest-none' }, maxReplicas: 2, targetCPUUtilizationPercentage: 50 } },
  'batch/v1/jobs': { spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: CONTAINERS } } } },
  // A request (made by openssl: O=resttest, CN=resttest) no one approves.
  'certificates.k8s.io/v1/certificatesigningrequests': { spec: { request: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIaU1JR0lBZ0VBTUNZeEVUQVBCZ05WQkFvTUNISmxjM1IwWlhOME1SRXdEd1lEVlFRRERBaHlaWE4wZEdWegpkREJaTUJNR0J5cUdTTTQ5QWdFR0NDcUdTTTQ5QXdFSEEwSUFCQWF5RHl2Y1RQamZLWlBscWYxblpiRG5zWDJJCmRDWVZ0MzJkUjZtUExhODQ5ZHg5RHJQbzRUOW9nZFk5R2ROZXlHV1ZIVGZDN3NMOFJueGpEK2JWTlZDZ0FEQUsKQmdncWhrak9QUVFEQWdOSkFEQkdBaUVBclRaTG1IV1BhbmkzeEpMbERGMjEzSXM4Mi9CV0JKQUFYMWdVUm1xagpoUllDSVFEdlJoTWNLWFJoZGlVUEk2Z0QxRXZCeXpkUDBLQ0NSS2ZjV0dMVmtGTUpYZz09Ci0tLS0tRU5EIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQo=', signerName: 'example.com/resttest', usages: ['client auth'] } },
  'networking.k8s.io/v1/ingressclasses': { spec: { controller: 'example.com/resttest' } },
  'networking.k8s.io/v1/ingresses': { spec: { defaultBackend: { service: { name: 'resttest', port: { number: 80 } } } } },
  'networking.k8s.io/v1/networkpolicies': { spec: { podSelector: { matchLabels: { app: 'resttest' } }, ingress: [{ ports: [{ port: 80 }] }] } },
  'policy/v1/poddisruptionbudgets': { spec: { minAvailable: 1, selector: { matchLabels: { app: 'resttest' } } } },
  [`${RBAC}/v1/clusterrolebindings`]: { roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' }, subjects: SUBJECTS },
  [`${RBAC}/v1/clusterroles`]: { rules: RULES },
  [`${RBAC}/v1/rolebindings`]: { roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' }, subjects: SUBJECTS },
  [`${RBAC}/v1/roles`]: { rules: RULES },
  'scheduling.k8s.io/v1/priorityclasses': { value: 1000 },
  'storage.k8s.io/v1/storageclasses': { provisioner: 'example.com/resttest' },
  'coordination.k8s.io/v1/leases': { spec: { holderIdentity: 'resttest' } },
  'discovery.k8s.io/v1/endpointslices': { addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }], ports: [{ name: 'http', port: 80 }] },
  // A policy no request matches (no binding names it), and a binding of a policy that does not exist.
  'admissionregistration.k8s.io/v1/validatingadmissionpolicies': {
    spec: { matchConstraints: { resourceRules: [{ apiGroups: ['example.com'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['widgets'] }] }, validations: [{ expression: 'true' }] },
  },
  'admissionregistration.k8s.io/v1/validatingadmissionpolicybindings': { spec: { policyName: 'resttest-none', validationActions: ['Deny'] } },
  // Webhooks no request matches.
  'admissionregistration.k8s.io/v1/validatingwebhookconfigurations': { webhooks: [{ name: 'resttest.example.com', clientConfig: { url: 'https://127.0.0.1:1/resttest' }, rules: WIDGETS, sideEffects: 'None', admissionReviewVersions: ['v1'] }] },
  'admissionregistration.k8s.io/v1/mutatingwebhookconfigurations': { webhooks: [{ name: 'resttest.example.com', clientConfig: { service: { namespace: 'default', name: 'resttest' } }, rules: WIDGETS, sideEffects: 'None', admissionReviewVersions: ['v1'] }] },
};

const ATTRIBUTES = { namespace: NS, verb: 'get', resource: 'pods' };

/** A valid request to each create-only resource, and the status field its answer must carry. */
const REVIEWS: Record<string, { body: Obj; answers: string }> = {
  'authentication.k8s.io/v1/tokenreviews': { body: { spec: { token: 'not-a-token' } }, answers: 'user' },
  'authentication.k8s.io/v1/selfsubjectreviews': { body: {}, answers: 'userInfo' },
  'authentication.k8s.io/v1beta1/selfsubjectreviews': { body: {}, answers: 'userInfo' },
  'authorization.k8s.io/v1/localsubjectaccessreviews': { body: { spec: { user: 'someone', resourceAttributes: ATTRIBUTES } }, answers: 'allowed' },
  'authorization.k8s.io/v1/selfsubjectaccessreviews': { body: { spec: { resourceAttributes: ATTRIBUTES } }, answers: 'allowed' },
  'authorization.k8s.io/v1/selfsubjectrulesreviews': { body: { spec: { namespace: NS } }, answers: 'resourceRules' },
  'authorization.k8s.io/v1/subjectaccessreviews': { body: { spec: { user: 'someone', resourceAttributes: ATTRIBUTES } }, answers: 'allowed' },
};

/** Resources that are only read (figures computed on each read: test/e2e/metrics-api.test.ts). */
const READ_ONLY: string[] = ['metrics.k8s.io/v1beta1/nodes', 'metrics.k8s.io/v1beta1/pods'];

/**
 * Resources whose names the generic test cannot choose: a definition is named <plural>.<group>
 * (test/e2e/crds.test.ts), an APIService <version>.<group> (test/e2e/apiservices.test.ts).
 */
const OWN_TESTS = ['apiextensions.k8s.io/v1/customresourcedefinitions', 'apiregistration.k8s.io/v1/apiservices'];

const gvOf = (def: ResourceDef) => (def.group ? `${def.group}/${def.version}` : def.version);
const keyOf = (def: ResourceDef) => `${gvOf(def)}/${def.resource}`;
const collectionOf = (def: ResourceDef) =>
  `${def.group ? `/apis/${def.group}` : '/api'}/${def.version}${def.namespaced ? `/namespaces/${NS}` : ''}/${def.resource}`;
const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

/** The JSON body of an object of `def` named `name` (or with `generateName`), with the resource's minimal valid fields. */
function objectOf(def: ResourceDef, metadata: Obj): string {
  return JSON.stringify({ apiVersion: gvOf(def), kind: def.kind, metadata, ...structuredClone(VALID[keyOf(def)]) });
}

function expectStatus(r: ApiReply, status: number, what: string): any {
  assert.equal(r.status, status, `${what}: ${r.text}`);
  return r.json;
}

/** GET, change, PUT; again when something else wrote in between (client-go's RetryOnConflict). */
async function update(b: Badge, item: string, change: (o: any) => void): Promise<any> {
  for (let attempt = 1; ; attempt++) {
    const current = expectStatus(await b.api('GET', item), 200, `get ${item}`);
    change(current);
    const r = await b.api('PUT', item, JSON.stringify(current));
    if (r.status !== 409 || attempt === 5) return expectStatus(r, 200, `update ${item}`);
  }
}

describe('e2e: every served resource through the generic REST behaviour (resttest)', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
    expectStatus(await b.api('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })), 201, 'the test namespace');
  });
  after(() => b.close());

  it('serves what allResources() lists, each with a valid object or a review request, and no entry for resources not served', () => {
    assert.deepEqual(b.server.registry.defs.map(keyOf), DEFS.map(keyOf));
    const served = DEFS.map(keyOf);
    const stored = DEFS.filter((d) => !d.createOnly && verbsOf(d).includes('create') && !OWN_TESTS.includes(keyOf(d))).map(keyOf);
    const createOnly = DEFS.filter((d) => d.createOnly).map(keyOf);
    assert.deepEqual(DEFS.filter((d) => !verbsOf(d).includes('create')).map(keyOf), READ_ONLY, 'read-only resources');
    assert.deepEqual(stored.filter((k) => !VALID[k]), [], 'stored resources without an entry in VALID');
    assert.deepEqual(createOnly.filter((k) => !REVIEWS[k]), [], 'create-only resources without an entry in REVIEWS');
    assert.deepEqual([...Object.keys(VALID), ...Object.keys(REVIEWS)].filter((k) => !served.includes(k)), [], 'entries for resources not served');
  });

  for (const def of DEFS.filter((d) => !d.createOnly && VALID[keyOf(d)])) {
    const what = (step: string) => `${keyOf(def)}: ${step}`;
    const collection = collectionOf(def);

    describe(keyOf(def), () => {
      it('create, AlreadyExists, get, list with label selectors, update, stale update, merge patch, delete, 404, watch', async () => {
        const name = `rt-${def.resource}`;
        const item = `${collection}/${name}`;
        const rv = expectStatus(await b.api('GET', collection), 200, what('list')).metadata.resourceVersion;
        const watch = openWatch(b, `${collection}${q({ watch: 'true', resourceVersion: rv, fieldSelector: `metadata.name=${name}` })}`);
        try {
          const created = expectStatus(await b.api('POST', collection, objectOf(def, { name, labels: { [LABEL]: 'yes' } })), 201, what('create'));
          assert.equal(created.metadata.name, name, what('create'));
          assert.ok(created.metadata.uid && created.metadata.resourceVersion, what('create: uid and resourceVersion'));
          const again = await b.api('POST', collection, objectOf(def, { name }));
          assert.equal(expectStatus(again, 409, what('second create')).reason, 'AlreadyExists', what('second create'));

          const got = expectStatus(await b.api('GET', item), 200, what('get'));
          assert.equal(got.metadata.uid, created.metadata.uid, what('get'));
          const names = async (params: Record<string, string>) =>
            expectStatus(await b.api('GET', `${collection}${q(params)}`), 200, what(`list ${JSON.stringify(params)}`)).items.map((o: any) => o.metadata.name);
          assert.ok((await names({})).includes(name), what('list'));
          assert.deepEqual(await names({ labelSelector: `${LABEL}=yes` }), [name], what('list with a matching label selector'));
          assert.deepEqual(await names({ labelSelector: `${LABEL}=no` }), [], what('list with a label selector that does not match'));

          const updated = await update(b, item, (o) => (o.metadata.labels.updated = 'yes'));
          assert.equal(updated.metadata.labels.updated, 'yes', what('update'));
          assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion, what('update: a new resourceVersion'));
          const stale = await b.api('PUT', item, JSON.stringify(created));
          assert.equal(expectStatus(stale, 409, what('update from a stale resourceVersion')).reason, 'Conflict', what('stale update'));

          const patch = JSON.stringify({ metadata: { annotations: { patched: 'yes' } } });
          const patched = expectStatus(await b.api('PATCH', item, patch, { 'Content-Type': 'application/merge-patch+json' }), 200, what('merge patch'));
          assert.equal(patched.metadata.annotations.patched, 'yes', what('merge patch'));
          assert.equal(patched.metadata.labels.updated, 'yes', what('merge patch keeps the rest'));

          const deleted = await b.api('DELETE', item);
          assert.ok(deleted.status === 200 || deleted.status === 202, what(`delete: ${deleted.text}`));
          await eventually(async () => (await b.api('GET', item)).status === 404, what('404 after delete'), 15_000);

          await watch.until(() => watch.events.some((e) => e.type === 'DELETED'));
          const types = watch.events.map((e) => e.type);
          assert.equal(types[0], 'ADDED', what(`watch: ${types}`));
          assert.equal(types.at(-1), 'DELETED', what(`watch: ${types}`));
          assert.ok(types.length >= 4 && types.slice(1, -1).every((t) => t === 'MODIFIED'), what(`watch: ${types}`));
          assert.ok(watch.events.every((e) => e.object.metadata.name === name), what('watch: only the selected object'));
        } finally {
          watch.stop();
        }
      });

      it('dryRun=All stores nothing; generateName; deletecollection with a label selector', async () => {
        const dry = expectStatus(await b.api('POST', `${collection}?dryRun=All`, objectOf(def, { name: 'rt-dry-run' })), 201, what('dry-run create'));
        assert.equal(dry.metadata.name, 'rt-dry-run', what('dry-run create'));
        expectStatus(await b.api('GET', `${collection}/rt-dry-run`), 404, what('get after a dry-run create'));

        const batch = { 'resttest-batch': def.resource };
        const generated = expectStatus(await b.api('POST', collection, objectOf(def, { generateName: 'rt-gen-', labels: batch })), 201, what('generateName'));
        assert.match(generated.metadata.name, /^rt-gen-[a-z0-9]{5}$/, what('generateName'));
        expectStatus(await b.api('POST', collection, objectOf(def, { name: 'rt-batch', labels: batch })), 201, what('create'));

        assert.ok(verbsOf(def).includes('deletecollection'), what('serves deletecollection'));
        const selector = q({ labelSelector: `resttest-batch=${def.resource}` });
        expectStatus(await b.api('DELETE', `${collection}${selector}`), 200, what('deletecollection'));
        await eventually(
          async () => expectStatus(await b.api('GET', `${collection}${selector}`), 200, what('list')).items.length === 0,
          what('an empty list after deletecollection'),
          15_000,
        );
      });
    });
  }

  for (const def of DEFS.filter((d) => READ_ONLY.includes(keyOf(d)))) {
    it(`${keyOf(def)}: lists and refuses a create`, async () => {
      const list = expectStatus(await b.api('GET', collectionOf(def)), 200, `${keyOf(def)}: list`);
      assert.ok(Array.isArray(list.items), `${keyOf(def)}: items`);
      const create = await b.api('POST', collectionOf(def), JSON.stringify({ apiVersion: gvOf(def), kind: def.kind, metadata: { name: 'x' } }));
      assert.equal(expectStatus(create, 405, `${keyOf(def)}: create`).reason, 'MethodNotAllowed');
    });
  }

  for (const def of DEFS.filter((d) => d.createOnly && REVIEWS[keyOf(d)])) {
    it(`${keyOf(def)}: a create answers with a status, and nothing is stored or listed`, async () => {
      const what = (step: string) => `${keyOf(def)}: ${step}`;
      const review = REVIEWS[keyOf(def)]!;
      const body = JSON.stringify({ apiVersion: gvOf(def), kind: def.kind, metadata: {}, ...review.body });
      const answer = expectStatus(await b.api('POST', collectionOf(def), body), 201, what('create'));
      assert.ok(answer.status?.[review.answers] !== undefined, what(`status.${review.answers} in ${JSON.stringify(answer)}`));
      assert.deepEqual(verbsOf(def), ['create'], what('verbs'));
      const list = await b.api('GET', collectionOf(def));
      assert.ok(list.status === 404 || list.status === 405, what(`list: ${list.status} ${list.text}`));
    });
  }
});
