// Every stored resource's keys where kube-apiserver keeps them: the plural without its group,
// except the SpecialDefaultResourcePrefixes (k8s pkg/kubeapiserver/default_storage_factory_builder.go)
// and the group-qualified prefixes of the apiextensions and aggregator servers
// (SimpleRestOptionsFactory) and of custom resources (CRDRESTOptionsGetter: group + "/" + resource).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AdmissionChain } from '../admission/chain.js';
import { resourcePrefixOf } from '../storage/key-layout.js';
import type { Storage } from '../storage/storage.js';
import { testCrd } from '../testing/crd.js';
import { asCrd, customResourceDefs } from './apiextensions/custom-resource.js';
import { Registry } from './registry.js';
import { allResources } from './resources/index.js';

const SPECIAL: Record<string, string> = {
  '/replicationcontrollers': 'controllers',
  '/endpoints': 'services/endpoints',
  '/nodes': 'minions',
  '/services': 'services/specs',
  'extensions/ingresses': 'ingress',
  'networking.k8s.io/ingresses': 'ingress',
};
const GROUP_QUALIFIED = new Set(['apiextensions.k8s.io/customresourcedefinitions', 'apiregistration.k8s.io/apiservices']);
/** Served under one group, stored as another's objects (cohabitating resources). */
const STORED_AS: Record<string, string> = { 'events.k8s.io/events': '/events' };

const unused = undefined as never;
const storage = {} as Storage;

it('keeps every built-in resource under the prefix kube-apiserver uses', () => {
  const registry = new Registry(allResources({ tokenRequest: unused, tokenAuthenticator: unused, authorizer: unused, rbac: unused }), storage, new AdmissionChain());
  const stored = registry.storedResources();
  assert.ok(stored.length > 40, 'the stored resources were found');
  for (const s of registry.allStores()) {
    if (s.def.createOnly) continue;
    const gr = STORED_AS[`${s.def.group}/${s.def.resource}`] ?? `${s.def.group}/${s.def.resource}`;
    const expected = SPECIAL[gr] ?? (GROUP_QUALIFIED.has(gr) ? gr : gr.slice(gr.indexOf('/') + 1));
    assert.equal(s.prefix, `/registry/${expected}/`, gr);
    assert.equal(resourcePrefixOf(s.key('default', 'a.b')), s.prefix, `${gr}: the storage layer finds the resource of a key`);
    assert.equal(resourcePrefixOf(s.listPrefix('default')), s.prefix, `${gr}: and of a list prefix`);
  }
});

it('keeps custom resources under /registry/<group>/<plural>/, also those of a built-in plural', () => {
  const registry = new Registry([], storage, new AdmissionChain());
  const established = (crd: object) => asCrd({ ...crd, status: { conditions: [{ type: 'Established', status: 'True' }] } })!;
  registry.setDynamic('widgets.example.com', customResourceDefs(established(testCrd('example.com', 'widgets', 'Widget'))));
  registry.setDynamic('pods.example.com', customResourceDefs(established(testCrd('example.com', 'pods', 'Pod'))));
  registry.setDynamic('nodes.example.com', customResourceDefs(established(testCrd('example.com', 'nodes', 'Node', 'Cluster'))));
  assert.equal(registry.mustStore('example.com', 'v1', 'widgets').key('default', 'w'), '/registry/example.com/widgets/default/w');
  assert.equal(registry.mustStore('example.com', 'v1', 'pods').key('default', 'p'), '/registry/example.com/pods/default/p');
  assert.equal(registry.mustStore('example.com', 'v1', 'nodes').key('', 'n'), '/registry/example.com/nodes/n');
  assert.equal(resourcePrefixOf('/registry/example.com/nodes/n'), '/registry/example.com/nodes/');
});
