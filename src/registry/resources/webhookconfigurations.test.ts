import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { mutatingWebhookConfigurations, validatingWebhookConfigurations } from './webhookconfigurations.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const GROUP = 'admissionregistration.k8s.io';
const config = (kind: string, name: string, webhooks: Record<string, unknown>[]): KubeObject => ({ apiVersion: `${GROUP}/v1`, kind, metadata: { name }, webhooks } as KubeObject);
const hook = (extra: Record<string, unknown> = {}) => ({
  name: 'deny.example.com',
  clientConfig: { url: 'https://hooks.example.com/deny' },
  rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
  ...extra,
});

describe('webhook configurations', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([validatingWebhookConfigurations, mutatingWebhookConfigurations]);
  });
  after(() => t.close());

  it('defaults as v1 does and prints NAME WEBHOOKS AGE', async () => {
    const created = await t.store(mutatingWebhookConfigurations).create(t.ctx, '', config('MutatingWebhookConfiguration', 'm', [hook({ clientConfig: { service: { namespace: 'ns', name: 'svc' } } })]));
    const [w] = (created as KubeObject & { webhooks: Record<string, unknown>[] }).webhooks;
    assert.deepEqual(w, {
      ...hook(),
      clientConfig: { service: { namespace: 'ns', name: 'svc', port: 443 } },
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: '*' }],
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      namespaceSelector: {},
      objectSelector: {},
      timeoutSeconds: 10,
      reinvocationPolicy: 'Never',
    });
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(mutatingWebhookConfigurations.table!.columns.map((c) => c.name), ['Name', 'Webhooks', 'Age']);
    assert.deepEqual(mutatingWebhookConfigurations.table!.cells(created, T0), ['m', 1, '0s']);
    const updated = await t.store(mutatingWebhookConfigurations).update(t.ctx, '', 'm', { ...created, webhooks: [w, { ...w, name: 'second.example.com' }] } as KubeObject);
    assert.equal(updated.object.metadata.generation, 2);
  });

  const invalid: [string, Record<string, unknown>[], string][] = [
    ['a short name', [hook({ name: 'deny' })], 'webhooks[0].name: Invalid value: "deny": should be a domain with at least three segments separated by dots'],
    ['a duplicate name', [hook(), hook()], 'webhooks[1].name: Duplicate value: "deny.example.com"'],
    ['both url and service', [hook({ clientConfig: { url: 'https://a.example.com', service: { namespace: 'n', name: 's' } } })], 'webhooks[0].clientConfig: Required value: exactly one of url or service is required'],
    ['an http url', [hook({ clientConfig: { url: 'http://a.example.com/x' } })], 'webhooks[0].clientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]'],
    ['a url with a user, query and fragment', [hook({ clientConfig: { url: 'https://me@a.example.com/x?y=1#z' } })], '[webhooks[0].clientConfig.url: Invalid value: "me": user information is not permitted in the URL, webhooks[0].clientConfig.url: Invalid value: "z": fragments are not permitted in the URL, webhooks[0].clientConfig.url: Invalid value: "y=1": query parameters are not permitted in the URL]'],
    ['a bad service path and port', [hook({ clientConfig: { service: { namespace: 'n', name: 's', path: 'x//', port: 0 } } })], '[webhooks[0].clientConfig.service.port: Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive, webhooks[0].clientConfig.service.path: Invalid value: "x//": must start with a \'/\', webhooks[0].clientConfig.service.path: Invalid value: "x//": segment[0] may not be empty, webhooks[0].clientConfig.service.path: Invalid value: "x//": segment[1] may not be empty]'],
    ['no side effects', [hook({ sideEffects: undefined })], 'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun'],
    ['side effects Some', [hook({ sideEffects: 'Some' })], 'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"'],
    ['no review versions', [hook({ admissionReviewVersions: [] })], 'webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1'],
    ['unknown review versions', [hook({ admissionReviewVersions: ['v2'] })], 'webhooks[0].admissionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1'],
    ['a long timeout', [hook({ timeoutSeconds: 31 })], 'webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds'],
    ['a wildcard with other resources', [hook({ rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*', 'pods'] }] })], 'webhooks[0].rules[0].resources: Invalid value: []string{"*/*", "pods"}: if \'*/*\' is present, must not specify other resources'],
    ['a bad failure policy', [hook({ failurePolicy: 'Maybe' })], 'webhooks[0].failurePolicy: Unsupported value: "Maybe": supported values: "Fail", "Ignore"'],
    ['a match condition that does not compile', [hook({ matchConditions: [{ name: 'c', expression: 'object.x +' }] })], 'webhooks[0].matchConditions[0].expression: Invalid value: "object.x +": compilation failed: '],
    ['duplicate match condition names', [hook({ matchConditions: [{ name: 'c', expression: 'true' }, { name: 'c', expression: 'true' }] })], 'webhooks[0].matchConditions[1].name: Duplicate value: "c"'],
  ];
  for (const [what, webhooks, message] of invalid) {
    it(`refuses ${what}`, async () => {
      const error = await rejection(t.store(validatingWebhookConfigurations).create(t.ctx, '', config('ValidatingWebhookConfiguration', 'v', webhooks)));
      assert.ok(error.startsWith(`ValidatingWebhookConfiguration.${GROUP} "v" is invalid: ${message}`), error);
    });
  }

  it('refuses an unknown reinvocation policy on a mutating webhook', async () => {
    const error = await rejection(t.store(mutatingWebhookConfigurations).create(t.ctx, '', config('MutatingWebhookConfiguration', 'r', [hook({ reinvocationPolicy: 'Always' })])));
    assert.equal(error, `MutatingWebhookConfiguration.${GROUP} "r" is invalid: webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"`);
  });
});
