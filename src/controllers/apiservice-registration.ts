// The Local APIServices of the group versions this server serves, as kube-apiserver's autoregister
// and CRD registration controllers keep them (kube-aggregator pkg/controllers/autoregister,
// pkg/controlplane/controller/crdregistration): the built-in group versions of the priority table
// are synced once at start (label `onstart`), each served version of a CustomResourceDefinition is
// kept in sync while the definition lasts (label `true`). An APIService without the label is left
// alone.
import { AUTOMANAGED_LABEL, BUILT_IN_PRIORITIES, CRD_PRIORITY, apiServiceName, groupVersionKey, localApiService, type APIService } from '../api/apiservices.js';
import type { CustomResourceDefinition } from '../api/crd.js';
import { isAlreadyExists, isNotFound } from '../api/errors.js';
import { deepEqual } from '../api/meta.js';
import { R, type Client, type ServedResource } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';
import { CRDS } from './crd-status.js';

export interface ApiServiceRegistrationDeps {
  client: Client;
  informers: InformerFactory;
  /** The built-in resources served (their group versions in the priority table become Local APIServices). */
  resources: ServedResource[];
  /** CustomResourceDefinitions are served: their versions get APIServices too. */
  crds: boolean;
}

const ON_START = 'onstart';
const ALWAYS = 'true';

/** The built-in group versions served, as APIServices synced once at start. */
export function builtInApiServices(resources: ServedResource[]): APIService[] {
  const seen = new Map<string, APIService>();
  for (const r of resources) {
    const priority = BUILT_IN_PRIORITIES[groupVersionKey(r.group, r.version)];
    const name = apiServiceName(r.group, r.version);
    if (priority && !seen.has(name)) seen.set(name, localApiService(r.group, r.version, priority, ON_START));
  }
  return [...seen.values()];
}

/** The served versions of the definitions (not of a built-in group version), as APIServices kept in sync. */
export function crdApiServices(crds: CustomResourceDefinition[]): APIService[] {
  const out = new Map<string, APIService>();
  for (const crd of crds) {
    const group = crd.spec?.group ?? '';
    for (const v of crd.spec?.versions ?? []) {
      if (!v.served || BUILT_IN_PRIORITIES[groupVersionKey(group, v.name)]) continue;
      out.set(apiServiceName(group, v.name), localApiService(group, v.name, CRD_PRIORITY, ALWAYS));
    }
  }
  return [...out.values()];
}

const managedAs = (s: APIService | undefined) => s?.metadata.labels?.[AUTOMANAGED_LABEL];

export function apiServiceRegistration(deps: ApiServiceRegistrationDeps) {
  const client = deps.client.withFieldManager('kube-apiserver');
  const apiServices = deps.informers.forResource(R.apiservices);
  const crds = deps.crds ? deps.informers.forResource(CRDS) : undefined;
  const builtIn = new Map(builtInApiServices(deps.resources).map((s) => [s.metadata.name!, s]));
  let fromCrds = new Map<string, APIService>();
  const atStart = new Set<string>();
  const synced = new Set<string>();
  const queue = new WorkQueue('apiservice-registration', async (name) => {
    await check(name);
    synced.add(name);
  });

  /** checkAPIService: the table of upstream's autoregister controller, case by case. */
  async function check(name: string): Promise<void> {
    const desired = builtIn.get(name) ?? fromCrds.get(name);
    const current = apiServices.get('', name);
    if (!current && !desired) return;
    if (managedAs(desired) === ON_START && synced.has(name)) return;
    if (!current) {
      try {
        await client.create(R.apiservices, '', structuredClone(desired!));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      return;
    }
    const managed = managedAs(current);
    if (managed !== ON_START && managed !== ALWAYS) return;
    if (managed === ON_START && (!atStart.has(name) || synced.has(name))) return;
    if (!desired) {
      try {
        await client.delete(R.apiservices, '', name, { preconditions: { uid: current.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    if (deepEqual(current.spec, desired.spec)) return;
    await client.update(R.apiservices, '', { ...structuredClone(current), spec: structuredClone(desired.spec) });
  }

  const refreshCrds = () => {
    const next = new Map(crdApiServices(crds?.list() ?? []).map((s) => [s.metadata.name!, s]));
    for (const name of new Set([...fromCrds.keys(), ...next.keys()])) if (!deepEqual(fromCrds.get(name), next.get(name))) queue.add(name);
    fromCrds = next;
  };

  return {
    async start() {
      deps.informers.start();
      await Promise.all([apiServices.waitForSync(), crds?.waitForSync()]);
      for (const s of apiServices.list()) atStart.add(s.metadata.name!);
      // The definitions' versions are known before the first sync, so none of their APIServices is deleted at start.
      fromCrds = new Map(crdApiServices(crds?.list() ?? []).map((s) => [s.metadata.name!, s]));
      crds?.on({ add: refreshCrds, update: refreshCrds, delete: refreshCrds });
      apiServices.on({ add: (s) => queue.add(s.metadata.name!), update: (_, s) => queue.add(s.metadata.name!), delete: (s) => queue.add(s.metadata.name!) });
      for (const name of [...builtIn.keys(), ...fromCrds.keys()]) queue.add(name);
    },
    stop: () => queue.stop(),
  };
}
