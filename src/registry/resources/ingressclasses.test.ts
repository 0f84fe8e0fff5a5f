import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { ingressClasses } from './ingressclasses.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const ingressClass = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name }, spec });
const CONTROLLER = 'example.com/ingress';

describe('ingressclasses', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([ingressClasses]);
  });
  after(() => t.close());

  it('defaults the parameters scope to Cluster, and prints the class as kubectl 1.32 does', async () => {
    const store = t.store(ingressClasses);
    const created = await store.create(t.ctx, '', ingressClass('nginx', { controller: CONTROLLER, parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external' } }));
    assert.deepEqual(created.spec, { controller: CONTROLLER, parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external', scope: 'Cluster' } });
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(ingressClasses.table!.columns.map((c) => c.name), ['Name', 'Controller', 'Parameters', 'Age']);
    assert.deepEqual(ingressClasses.table!.cells(created, T0), ['nginx', CONTROLLER, 'IngressParameters.k8s.example.com/external', '0s']);
    assert.deepEqual(ingressClasses.table!.cells(ingressClass('plain', { controller: CONTROLLER, parameters: { kind: 'ConfigMap', name: 'c' } }), T0).slice(2, 3), ['ConfigMap/c']);
    assert.deepEqual(ingressClasses.table!.cells(ingressClass('none', { controller: CONTROLLER }), T0).slice(2, 3), ['<none>']);
  });

  it('keeps the controller immutable', async () => {
    const store = t.store(ingressClasses);
    const created = await store.create(t.ctx, '', ingressClass('fixed', { controller: CONTROLLER }));
    const error = await rejection(store.update(t.ctx, '', 'fixed', { ...created, spec: { controller: 'example.com/other' } }));
    assert.equal(error, 'IngressClass.networking.k8s.io "fixed" is invalid: spec.controller: Invalid value: "example.com/other": field is immutable');
  });

  const params = (p: Record<string, unknown>) => ({ controller: CONTROLLER, parameters: { kind: 'K', name: 'n', ...p } });
  const invalid: [string, Record<string, unknown>, string][] = [
    ['no controller', {}, 'spec.controller: Required value'],
    ['a controller without a domain', { controller: 'ingress' }, 'spec.controller: Invalid value: "ingress": must be a domain-prefixed path (such as "acme.io/foo")'],
    ['a controller with a bad domain', { controller: 'Example.com/ingress' }, 'spec.controller: Invalid value: "Example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'],
    ['a controller with a bad path', { controller: 'example.com/a b' }, 'spec.controller: Invalid value: "a b": must be a valid path (regex used for validation is \'[A-Za-z0-9/\\-._~%!$&\'()*+,;=:]+\')'],
    ['a controller too long', { controller: `example.com/${'a'.repeat(240)}` }, 'spec.controller: Too long: may not be more than 250 bytes'],
    ['parameters without kind and name', { controller: CONTROLLER, parameters: {} }, '[spec.parameters.kind: Required value, spec.parameters.name: Required value]'],
    ['a parameters kind with a slash', params({ kind: 'a/b' }), "spec.parameters.kind: Invalid value: \"a/b\": may not contain '/'"],
    ['a parameters name of ..', params({ name: '..' }), "spec.parameters.name: Invalid value: \"..\": may not be '..'"],
    ['a bad parameters apiGroup', params({ apiGroup: 'Example' }), 'spec.parameters.apiGroup: Invalid value: "Example": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'],
    ['an unknown scope', params({ scope: 'Global' }), 'spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"'],
    ['a Namespace scope without a namespace', params({ scope: 'Namespace' }), "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"],
    ['a bad namespace', params({ scope: 'Namespace', namespace: 'a.b' }), 'spec.parameters.namespace: Invalid value: "a.b": must not contain dots'],
    ['a Cluster scope with a namespace', params({ scope: 'Cluster', namespace: 'default' }), "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"],
  ];
  for (const [name, spec, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(ingressClasses).create(t.ctx, '', ingressClass('bad', spec))), `IngressClass.networking.k8s.io "bad" is invalid: ${message}`);
    });
  }
});
