// ResourceQuota admission (plugin/pkg/admission/resourcequota): a create (or an update of a
// Service or a claim) that would take a namespace past one of its quotas is refused, a pod that leaves out a request or limit a quota
// constrains too; an admitted create is charged to the quotas at once (status.used, written with
// the quota's resourceVersion and evaluated again after a conflict), so two quick creates cannot
// both take the last slot. The quota controller recounts from what is stored.
import { forbidden } from '../api/errors.js';
import type { Pod, ResourceQuota } from '../api/kinds.js';
import { addLists, exceeded, formatResourceList, mask, parseResourceList, podConstraints, prettyPrint, quotaMatches, removeZeros, subtractNonNegative, trackedNames, usageOf } from '../api/quota.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';

/** Evaluations before giving up on quotas that keep changing under the write. */
const MAX_ATTEMPTS = 10;

/** The name admission errors show: the object's name, else its generateName. */
const nameFor = (a: AdmissionAttributes) => a.name || a.object?.metadata.name || a.object?.metadata.generateName || 'Unknown';

/** The writes upstream's evaluators handle: every create; updates of Services and claims. */
const handles = (a: AdmissionAttributes) =>
  a.operation === 'CREATE' || (a.operation === 'UPDATE' && a.resource.group === '' && ['services', 'persistentvolumeclaims'].includes(a.resource.resource));

export interface ResourceQuotaAdmission extends AdmissionPlugin {
  /** Reads the namespaces' quotas through the shared informers from now on. */
  start(informers: InformerFactory): Promise<void>;
}

/** `client` reads and charges quotas as the API server itself. */
export function resourceQuotaAdmission(client: Client): ResourceQuotaAdmission {
  let quotas: SharedInformer<ResourceQuota> | undefined;

  /**
   * CheckRequest: the quotas the object counts against, each with its new usage; throws the
   * Forbidden error when one is exceeded or a pod leaves out what a quota needs.
   */
  function check(a: AdmissionAttributes, current: ResourceQuota[]): ResourceQuota[] {
    const { group, resource } = a.resource;
    const obj = a.object!;
    const deny = (why: string) => forbidden({ group, resource }, nameFor(a), why);
    const matching = current.filter((q) => quotaMatches(q, group, resource, obj));
    for (const q of matching) {
      const limited = Object.keys(q.status?.hard ?? {}).filter((n) => trackedNames(group, resource).includes(n));
      if (group === '' && resource === 'pods') {
        const missing = podConstraints(obj as Pod, limited);
        if (missing) throw deny(`failed quota: ${q.metadata.name}: ${missing}`);
      }
      if (limited.some((n) => !q.status?.used?.[n])) throw deny(`status unknown for quota: ${q.metadata.name}, resources: ${limited.sort().join(',')}`);
    }
    const now = a.ctx.clock.now();
    let delta = usageOf(group, resource, obj, now);
    // An update is charged what it adds (a Service turned NodePort, a claim grown).
    if (a.oldObject) delta = subtractNonNegative(delta, usageOf(group, resource, a.oldObject, now));
    delta = removeZeros(delta);
    if (!Object.keys(delta).length) return [];
    const charged: ResourceQuota[] = [];
    for (const q of matching) {
      const hard = parseResourceList(q.status?.hard);
      const used = parseResourceList(q.status?.used);
      const requested = mask(delta, Object.keys(hard));
      if (!Object.keys(requested).length) continue;
      const newUsage = addLists(used, requested);
      const over = exceeded(mask(newUsage, Object.keys(requested)), hard);
      if (over.length) {
        throw deny(`exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(mask(requested, over))}, used: ${prettyPrint(mask(used, over))}, limited: ${prettyPrint(mask(hard, over))}`);
      }
      charged.push({ ...q, status: { ...q.status, used: formatResourceList(newUsage) } });
    }
    return charged;
  }

  return {
    name: 'ResourceQuota',
    async start(informers) {
      quotas = informers.forResource(R.resourcequotas);
      informers.start();
      await quotas.waitForSync();
    },
    async validate(a) {
      if (!handles(a) || a.subresource || !a.object || !a.resource.namespaced || !quotas) return;
      let current = quotas.list(a.namespace);
      for (let attempt = 0; current.length; attempt++) {
        const charged = check(a, current);
        if (a.dryRun || !charged.length) return;
        try {
          for (const q of charged) await client.update(R.resourcequotas, a.namespace, q, 'status');
          return;
        } catch (err) {
          if ((err as { code?: number }).code !== 409 || attempt + 1 >= MAX_ATTEMPTS) throw err;
          current = (await client.list(R.resourcequotas, a.namespace)).items;
        }
      }
    },
  };
}
