import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import type { Authorizer } from '../auth/authz/authorizer.js';
import { R, type ServedResource } from '../client/client.js';
import { InformerFactory } from '../client/informer-factory.js';
import { LocalClient } from '../registry/local-client.js';
import { configmaps } from '../registry/resources/configmaps.js';
import { namespaces } from '../registry/resources/namespaces.js';
import { testRegistry, type TestRegistry } from '../registry/resources/testing.js';
import { mutatingWebhookConfigurations, validatingWebhookConfigurations } from '../registry/resources/webhookconfigurations.js';
import { applyJsonPatch } from '../server/patch/json-patch.js';
import { eventually } from '../testing/eventually.js';
import { patchOf, startWebhookServer, testCa, type Review, type WebhookServer } from '../testing/webhook-server.js';
import { AdmissionChain } from './chain.js';
import { MUTATING_WEBHOOKS, mutatingAdmissionWebhook, VALIDATING_WEBHOOKS, validatingAdmissionWebhook } from './webhooks.js';

const cm = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } });
const RULES = [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }];

describe('admission webhooks', () => {
  let t: TestRegistry;
  let informers: InformerFactory;
  let server: WebhookServer;
  let answer: (r: Review, path: string) => Record<string, unknown> = () => ({ allowed: true });
  const ca = testCa();
  const caBundle = Buffer.from(ca.cert).toString('base64');
  const dialed: string[] = [];

  before(async () => {
    const admission = new AdmissionChain();
    t = testRegistry([namespaces, configmaps, validatingWebhookConfigurations, mutatingWebhookConfigurations], admission);
    server = await startWebhookServer(ca, (r, path) => answer(r, path));
    const client = new LocalClient(t.registry, t.ctx.user, t.clock, t.ctx.random);
    const opts = {
      authorizer: { authorize: async () => ({ decision: 'allow', reason: '' }) } as Authorizer,
      served: () => t.registry.served() as ServedResource[],
      serviceDial: async (namespace: string, name: string, port: number) => {
        dialed.push(`${namespace}/${name}:${port}`);
        throw new Error(`no endpoints available for service ${JSON.stringify(name)}`);
      },
      applyJsonPatch,
    };
    const mutating = mutatingAdmissionWebhook(opts);
    const validating = validatingAdmissionWebhook(opts);
    admission.use(mutating, validating);
    informers = new InformerFactory(client);
    await Promise.all([mutating.start(informers), validating.start(informers)]);
    await client.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { team: 'a' } } });
  });
  after(async () => {
    informers.stop();
    await server.close();
    t.close();
  });

  /** Makes a configuration of one kind and waits until the plugins read it; answers a function that deletes it. */
  async function configure(mutating: boolean, webhooks: Record<string, unknown>[]) {
    const def = mutating ? mutatingWebhookConfigurations : validatingWebhookConfigurations;
    const name = `c${Math.random().toString(36).slice(2, 8)}`;
    const hooks = webhooks.map((w) => ({ clientConfig: { url: `${server.url}/hook`, caBundle }, rules: RULES, sideEffects: 'None', admissionReviewVersions: ['v1'], ...w }));
    await t.store(def).create(t.ctx, '', { apiVersion: 'admissionregistration.k8s.io/v1', kind: def.kind, metadata: { name }, webhooks: hooks } as KubeObject);
    const informer = informers.forResource(mutating ? MUTATING_WEBHOOKS : VALIDATING_WEBHOOKS);
    await eventually(() => informer.get('', name), 'the configuration cached');
    return async () => {
      await t.store(def).delete(t.ctx, '', name);
      await eventually(() => !informer.get('', name), 'the configuration gone');
    };
  }
  const create = (o: KubeObject, dryRun = false, warnings?: string[]) => t.store(configmaps).create({ ...t.ctx, warnings }, 'default', o, { dryRun });
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return err as ApiError;
    }
    throw new Error('expected the call to fail');
  };

  it('sends an AdmissionReview v1 and turns a denial into the webhook\'s Status with upstream\'s message', async () => {
    const done = await configure(false, [{ name: 'deny.example.com' }]);
    answer = (r) => (r.object?.metadata?.labels?.deny ? { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'no thanks' } } : { allowed: true, warnings: ['looked at it'] });
    const warnings: string[] = [];
    await create(cm('fine'), false, warnings);
    assert.deepEqual(warnings, ['looked at it']);
    const call = server.calls.at(-1)!;
    assert.equal(call.path, '/hook?timeout=10s');
    const { uid, object, ...request } = call.request;
    assert.match(uid, /^[0-9a-f-]{36}$/);
    assert.equal((object as KubeObject).metadata.name, 'fine');
    assert.deepEqual(request, {
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      requestKind: { group: '', version: 'v1', kind: 'ConfigMap' },
      requestResource: { group: '', version: 'v1', resource: 'configmaps' },
      name: 'fine',
      namespace: 'default',
      operation: 'CREATE',
      userInfo: { username: 'admin', groups: ['system:masters', 'system:authenticated'] },
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    });
    const denied = await failure(create(cm('bad', { deny: 'yes' })));
    assert.equal(denied.message, 'admission webhook "deny.example.com" denied the request: no thanks');
    assert.equal(denied.code, 403);
    assert.equal(denied.reason, 'Forbidden');
    answer = () => ({ allowed: false });
    const bare = await failure(create(cm('bare')));
    assert.equal(bare.message, 'admission webhook "deny.example.com" denied the request without explanation');
    assert.equal(bare.code, 400);
    await done();
  });

  it('selects by rules, namespace and object selectors, and match conditions', async () => {
    const done = await configure(false, [
      { name: 'objects.example.com', objectSelector: { matchLabels: { check: 'me' } } },
      { name: 'namespaces.example.com', namespaceSelector: { matchLabels: { team: 'b' } } },
      { name: 'conditions.example.com', matchConditions: [{ name: 'named-x', expression: "object.metadata.name == 'x'" }] },
      { name: 'secrets.example.com', rules: [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['secrets'] }] },
    ]);
    const before = server.calls.length;
    answer = () => ({ allowed: false, status: { message: 'called' } });
    await create(cm('y'));
    assert.equal(server.calls.length, before, 'no webhook matched');
    assert.equal((await failure(create(cm('z', { check: 'me' })))).message, 'admission webhook "objects.example.com" denied the request: called');
    assert.equal((await failure(create(cm('x')))).message, 'admission webhook "conditions.example.com" denied the request: called');
    await done();
  });

  it('fails closed on a match condition error, and skips the webhook under Ignore', async () => {
    const done = await configure(false, [{ name: 'broken.example.com', matchConditions: [{ name: 'bad', expression: "object.data.missing == 'x'" }] }]);
    answer = () => ({ allowed: false });
    const err = await failure(create(cm('m')));
    assert.equal(err.code, 403);
    assert.match(err.message, /^configmaps "m" is forbidden: expression 'object.data.missing == 'x'' resulted in error: /);
    await done();
    const ignored = await configure(false, [{ name: 'broken.example.com', failurePolicy: 'Ignore', matchConditions: [{ name: 'bad', expression: "object.data.missing == 'x'" }] }]);
    await create(cm('n'));
    await ignored();
  });

  it('applies mutating webhooks\' JSON patches in order and calls IfNeeded webhooks again after a later change', async () => {
    const done = await configure(true, [
      { name: 'first.example.com', reinvocationPolicy: 'IfNeeded', clientConfig: { url: `${server.url}/first`, caBundle } },
      { name: 'second.example.com', clientConfig: { url: `${server.url}/second`, caBundle } },
    ]);
    const seen: string[] = [];
    answer = (r, path) => {
      const labels = r.object?.metadata?.labels ?? {};
      seen.push(`${path.split('?')[0]} ${Object.keys(labels).sort().join(',')}`);
      return { allowed: true, ...(path.startsWith('/first') ? patchOf([{ op: 'add', path: '/metadata/labels/first', value: 'yes' }]) : patchOf([{ op: 'add', path: '/metadata/labels/second', value: 'yes' }])) };
    };
    const created = await create(cm('patched', { own: 'x' }));
    assert.deepEqual(created.metadata.labels, { own: 'x', first: 'yes', second: 'yes' });
    assert.deepEqual(seen, ['/first own', '/second first,own', '/first first,own,second']);
    const stored = await t.store(configmaps).get(t.ctx, 'default', 'patched');
    assert.deepEqual(stored.metadata.labels, { own: 'x', first: 'yes', second: 'yes' });
    await done();
  });

  it('refuses a patch that does not apply, and an answer for another request', async () => {
    const done = await configure(true, [{ name: 'patcher.example.com' }]);
    answer = () => ({ allowed: true, ...patchOf([{ op: 'replace', path: '/spec/missing', value: 1 }]) });
    assert.match((await failure(create(cm('p')))).message, /^Internal error occurred: /);
    answer = () => ({ allowed: true, uid: 'other' });
    const err = await failure(create(cm('q')));
    assert.match(err.message, /^Internal error occurred: failed calling webhook "patcher.example.com": received invalid webhook response: expected response.uid="[0-9a-f-]{36}", got "other"$/);
    await done();
  });

  it('fails closed or open on a webhook that cannot be reached, with kube-apiserver\'s texts', async () => {
    const done = await configure(false, [{ name: 'dead.example.com', clientConfig: { url: 'https://127.0.0.1:1/dead', caBundle } }]);
    const err = await failure(create(cm('d')));
    assert.equal(err.message, 'Internal error occurred: failed calling webhook "dead.example.com": failed to call webhook: Post "https://127.0.0.1:1/dead?timeout=10s": dial tcp 127.0.0.1:1: connect: connection refused');
    assert.equal(err.code, 500);
    await done();
    const open = await configure(false, [{ name: 'dead.example.com', failurePolicy: 'Ignore', clientConfig: { url: 'https://127.0.0.1:1/dead', caBundle } }]);
    const ctx = { ...t.ctx, auditAnnotations: {} as Record<string, string> };
    await t.store(configmaps).create(ctx, 'default', cm('e'));
    assert.equal(ctx.auditAnnotations['failed-open.validating.webhook.admission.k8s.io/round_0_index_0'], 'dead.example.com');
    await open();
  });

  it('verifies the certificate against the caBundle', async () => {
    const done = await configure(false, [{ name: 'untrusted.example.com', clientConfig: { url: `${server.url}/x`, caBundle: Buffer.from(testCa().cert).toString('base64') } }]);
    assert.equal((await failure(create(cm('u')))).message, `Internal error occurred: failed calling webhook "untrusted.example.com": failed to call webhook: Post "${server.url}/x?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority`);
    await done();
  });

  it('reaches a service through the dialer, and says so when it has no endpoints', async () => {
    const done = await configure(false, [{ name: 'svc.example.com', timeoutSeconds: 5, clientConfig: { service: { namespace: 'hooks', name: 'validator', path: '/validate' }, caBundle } }]);
    assert.equal((await failure(create(cm('s')))).message, 'Internal error occurred: failed calling webhook "svc.example.com": failed to call webhook: Post "https://validator.hooks.svc:443/validate?timeout=5s": no endpoints available for service "validator"');
    assert.deepEqual(dialed.at(-1), 'hooks/validator:443');
    await done();
  });

  it('sends dry runs to webhooks without side effects', async () => {
    const done = await configure(false, [{ name: 'dry.example.com', sideEffects: 'NoneOnDryRun' }]);
    answer = () => ({ allowed: true });
    await create(cm('dry'), true);
    assert.equal(server.calls.at(-1)!.request.dryRun, true);
    assert.deepEqual(server.calls.at(-1)!.request.options, { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1', dryRun: ['All'] });
    await done();
  });
});
