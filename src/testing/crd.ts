// For controller tests: a minimal CustomResourceDefinition (one served storage version v1 keeping
// every field), and the registry set up to serve definitions and their custom resources.
import type { CustomResourceDefinition } from '../api/crd.js';
import { serveCustomResources } from '../registry/apiextensions/custom-watcher.js';
import { customResourceDefinitions } from '../registry/resources/customresourcedefinitions.js';
import type { TestCluster } from './cluster.js';

export const testCrd = (group: string, plural: string, kind: string, scope = 'Namespaced'): CustomResourceDefinition => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: { group, scope, names: { plural, kind }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as never } }] },
});

/** Serves CustomResourceDefinitions in the test cluster, and the custom resources of those Established. */
export function serveCrds(t: TestCluster): void {
  t.registry.setDynamic('apiextensions', [customResourceDefinitions()]);
  serveCustomResources(t.registry, t.informers);
}
