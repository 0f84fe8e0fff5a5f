// Keeps the registry in step with the CustomResourceDefinitions: a shared informer's events (a
// local watch, so within milliseconds of the write) replace a CRD's resources in the registry.
import { ref } from '../../client/client.js';
import type { InformerFactory } from '../../client/informer-factory.js';
import type { KubeObject } from '../../api/meta.js';
import type { Registry } from '../registry.js';
import type { ResourceDef } from '../resource.js';
import { asCrd, customResourceDefs } from './custom-resource.js';
import type { CustomValidateOptions } from './custom-validate.js';

export const CRDS = ref('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');

/** Serves the custom resources of every servable CRD the informer sees; answers when the first list is in. */
export function serveCustomResources(registry: Registry, informers: InformerFactory, opts: CustomValidateOptions = {}): { synced: Promise<void> } {
  const informer = informers.forResource(CRDS);
  /** What each CRD's resources were built from, to skip events that change nothing served (status writes, managedFields). */
  const builtFrom = new Map<string, string>();
  const sync = (obj: KubeObject) => {
    const name = obj.metadata.name!;
    const crd = asCrd(obj);
    const basis = JSON.stringify([obj.spec, (obj.status as { conditions?: unknown } | undefined)?.conditions, obj.metadata.deletionTimestamp]);
    if (builtFrom.get(name) === basis) return;
    builtFrom.set(name, basis);
    let defs: ResourceDef[] = [];
    try {
      defs = crd ? customResourceDefs(crd, opts) : [];
    } catch (err) {
      console.error(`badge: cannot serve the custom resources of ${name}:`, err);
    }
    registry.setDynamic(name, defs);
  };
  informer.on({
    add: sync,
    update: (_old, obj) => sync(obj),
    delete: (obj) => {
      builtFrom.delete(obj.metadata.name!);
      registry.setDynamic(obj.metadata.name!, []);
    },
  });
  return { synced: informer.waitForSync() };
}
