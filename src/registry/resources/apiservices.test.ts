import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { apiServices } from './apiservices.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const apiService = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name }, spec });
const PRIORITIES = { groupPriorityMinimum: 100, versionPriority: 10 };
const SERVICE = { namespace: 'ext', name: 'api' };
const CA = Buffer.from('-----BEGIN CERTIFICATE-----\n').toString('base64');

describe('apiservices', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([apiServices]);
  });
  after(() => t.close());

  it('makes a Local APIService available at once, and prints it as kubectl 1.32 does', async () => {
    const store = t.store(apiServices);
    const created = await store.create(t.ctx, '', apiService('v1.example.com', { group: 'example.com', version: 'v1', ...PRIORITIES }));
    assert.deepEqual(created.status, {
      conditions: [{ type: 'Available', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'Local', message: 'Local APIServices are always available' }],
    });
    assert.equal(created.metadata.generation, undefined);
    assert.deepEqual(apiServices.table!.columns.map((c) => c.name), ['Name', 'Service', 'Available', 'Age']);
    assert.deepEqual(apiServices.table!.cells(created, T0), ['v1.example.com', 'Local', 'True', '0s']);
  });

  it('defaults the Service port to 443 and starts without a condition (Unknown), then shows the reason', async () => {
    const store = t.store(apiServices);
    const created = await store.create(t.ctx, '', apiService('v1.remote.example.com', { group: 'remote.example.com', version: 'v1', service: SERVICE, insecureSkipTLSVerify: true, ...PRIORITIES }));
    assert.deepEqual((created.spec as { service: unknown }).service, { ...SERVICE, port: 443 });
    assert.equal(created.status, undefined);
    assert.deepEqual(apiServices.table!.cells(created, T0).slice(1, 3), ['ext/api', 'Unknown']);
    const condition = { type: 'Available', status: 'False', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'ServiceNotFound', message: 'service/api in "ext" is not present' };
    const { object: updated } = await store.update(t.ctx, '', 'v1.remote.example.com', { ...created, status: { conditions: [condition] } }, { subresource: 'status' });
    assert.deepEqual(apiServices.table!.cells(updated, T0).slice(1, 3), ['ext/api', 'False (ServiceNotFound)']);
    const error = await rejection(store.update(t.ctx, '', 'v1.remote.example.com', { ...updated, status: { conditions: [{ ...condition, status: 'Maybe' }] } }, { subresource: 'status' }));
    assert.equal(error, 'APIService.apiregistration.k8s.io "v1.remote.example.com" is invalid: status.conditions[0].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"');
  });

  const invalid: [string, string, Record<string, unknown>, string][] = [
    ['a name that is not version.group', 'example', { group: 'example.com', version: 'v1', ...PRIORITIES }, 'metadata.name: Invalid value: "example": must be `spec.version+"."+spec.group`: "v1.example.com"'],
    ['an empty group with another version than v1', 'v2.', { version: 'v2', ...PRIORITIES }, 'spec.group: Required value: only v1 may have an empty group and it better be legacy kube'],
    [
      'a bad version',
      '1v.example.com',
      { group: 'example.com', version: '1v', ...PRIORITIES },
      "spec.version: Invalid value: \"1v\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ],
    [
      'priorities out of range',
      'v1.example.com',
      { group: 'example.com', version: 'v1', groupPriorityMinimum: 20001, versionPriority: 0 },
      '[spec.groupPriorityMinimum: Invalid value: 20001: must be positive and less than 20000, spec.versionPriority: Invalid value: 0: must be positive and less than 1000]',
    ],
    ['a Local APIService with a caBundle', 'v1.example.com', { group: 'example.com', version: 'v1', caBundle: CA, ...PRIORITIES }, 'spec.caBundle: Invalid value: "28 bytes": local APIServices may not have a caBundle'],
    ['a Local APIService skipping TLS checks', 'v1.example.com', { group: 'example.com', version: 'v1', insecureSkipTLSVerify: true, ...PRIORITIES }, 'spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify'],
    [
      'both a caBundle and insecureSkipTLSVerify',
      'v1.example.com',
      { group: 'example.com', version: 'v1', service: SERVICE, caBundle: CA, insecureSkipTLSVerify: true, ...PRIORITIES },
      'spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present',
    ],
    ['a Service without name and namespace', 'v1.example.com', { group: 'example.com', version: 'v1', service: {}, ...PRIORITIES }, '[spec.service.namespace: Required value, spec.service.name: Required value]'],
  ];
  for (const [what, name, spec, message] of invalid) {
    it(`refuses ${what}`, async () => {
      const error = await rejection(t.store(apiServices).create(t.ctx, '', apiService(name, spec)));
      assert.equal(error, `APIService.apiregistration.k8s.io "${name}" is invalid: ${message}`);
    });
  }
});
