// LimitRanger admission (plugin/pkg/admission/limitranger): a new pod's containers get the
// namespace's LimitRange defaults for the requests and limits they leave out (noted in the
// kubernetes.io/limit-ranger annotation), then pods and claims are held to the ranges' minimums,
// maximums and limit/request ratios, with upstream's messages.
import type { Container } from 'kubernetes-types/core/v1.js';
import { forbidden } from '../api/errors.js';
import type { LimitRange, Pod } from '../api/kinds.js';
import { aggregateText } from '../api/aggregate.js';
import type { KubeObject } from '../api/meta.js';
import { compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../api/quantity.js';
import { podRequestsAndLimits } from '../api/quota.js';
import { R } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type List = Record<string, string> | undefined;
type Item = NonNullable<NonNullable<LimitRange['spec']>['limits']>[number];

const nameFor = (a: AdmissionAttributes) => a.name || a.object?.metadata.name || a.object?.metadata.generateName || 'Unknown';
const sortedEntries = (l: Record<string, unknown> | undefined) => Object.entries(l ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
const q = (v: unknown): Quantity | null => parseQuantity(v);
const text = (v: unknown) => {
  const parsed = q(v);
  return parsed ? formatQuantity(parsed) : String(v);
};
const lt = (a: unknown, b: unknown) => compareQuantities(q(a)!, q(b)!) < 0;

/** mergeContainerResources: fills what a container leaves out; answers the annotation's parts. */
function mergeDefaults(c: Container, requests: Record<string, string>, limits: Record<string, string>, prefix: string): string[] {
  const set = (which: 'requests' | 'limits', defaults: Record<string, string>) => {
    const added = Object.keys(defaults).filter((k) => c.resources?.[which]?.[k] === undefined);
    if (added.length) {
      c.resources ??= {};
      c.resources[which] = { ...c.resources[which], ...Object.fromEntries(added.map((k) => [k, defaults[k]!])) };
    }
    return added.sort();
  };
  const limitsSet = set('limits', limits);
  const requestsSet = set('requests', requests);
  const notes: string[] = [];
  if (requestsSet.length) notes.push(`${requestsSet.join(', ')} request for ${prefix} ${c.name}`);
  if (limitsSet.length) notes.push(`${limitsSet.join(', ')} limit for ${prefix} ${c.name}`);
  return notes;
}

function minConstraint(type: string, name: string, enforced: unknown, requests: List, limits: List): string | undefined {
  const req = requests?.[name];
  const lim = limits?.[name];
  if (req === undefined) return `minimum ${name} usage per ${type} is ${text(enforced)}.  No request is specified`;
  if (lt(req, enforced)) return `minimum ${name} usage per ${type} is ${text(enforced)}, but request is ${text(req)}`;
  if (lim !== undefined && lt(lim, enforced)) return `minimum ${name} usage per ${type} is ${text(enforced)}, but limit is ${text(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: unknown, requests: List, limits: List): string | undefined {
  const req = requests?.[name];
  const lim = limits?.[name];
  if (lim === undefined) return `maximum ${name} usage per ${type} is ${text(enforced)}.  No limit is specified`;
  if (lt(enforced, lim)) return `maximum ${name} usage per ${type} is ${text(enforced)}, but limit is ${text(lim)}`;
  if (req !== undefined && lt(enforced, req)) return `maximum ${name} usage per ${type} is ${text(enforced)}, but request is ${text(req)}`;
  return undefined;
}

/** maxRequestConstraint: a claim's request against the max. */
function maxRequestConstraint(type: string, name: string, enforced: unknown, requests: List): string | undefined {
  const req = requests?.[name];
  if (req === undefined) return `maximum ${name} usage per ${type} is ${text(enforced)}.  No request is specified`;
  if (lt(enforced, req)) return `maximum ${name} usage per ${type} is ${text(enforced)}, but request is ${text(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: unknown, requests: List, limits: List): string | undefined {
  const req = q(requests?.[name]);
  const lim = q(limits?.[name]);
  const max = text(enforced);
  if (!req || req.num === 0n) return `${name} max limit to request ratio per ${type} is ${max}, but no request is specified or request is 0`;
  if (!lim || lim.num === 0n) return `${name} max limit to request ratio per ${type} is ${max}, but no limit is specified or limit is 0`;
  // limit/request > enforced, exactly: lim.num·req.den·e.den > e.num·lim.den·req.num
  const e = q(enforced)!;
  if (lim.num * req.den * e.den > e.num * lim.den * req.num) {
    const ratio = (Number(lim.num) / Number(lim.den)) / (Number(req.num) / Number(req.den));
    return `${name} max limit to request ratio per ${type} is ${max}, but provided ratio is ${ratio.toFixed(6)}`;
  }
  return undefined;
}

/** The min, max and ratio checks of one item against a requests/limits pair. */
function bounds(item: Item, requests: List, limits: List): string[] {
  const errs: (string | undefined)[] = [];
  for (const [k, v] of sortedEntries(item.min)) errs.push(minConstraint(item.type, k, v, requests, limits));
  for (const [k, v] of sortedEntries(item.max)) errs.push(maxConstraint(item.type, k, v, requests, limits));
  for (const [k, v] of sortedEntries(item.maxLimitRequestRatio)) errs.push(ratioConstraint(item.type, k, v, requests, limits));
  return errs.filter((e): e is string => !!e);
}

/** PodValidateLimitFunc */
function podErrors(range: LimitRange, pod: Pod): string[] {
  const errs: string[] = [];
  for (const item of range.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) errs.push(...bounds(item, c.resources?.requests, c.resources?.limits));
    } else if (item.type === 'Pod') {
      const { requests, limits } = podRequestsAndLimits(pod);
      errs.push(...bounds(item, requests, limits));
    }
  }
  return errs;
}

/** PersistentVolumeClaimValidateLimitFunc */
function claimErrors(range: LimitRange, claim: KubeObject): string[] {
  const requests = (claim.spec as { resources?: { requests?: Record<string, string> } } | undefined)?.resources?.requests;
  const errs: (string | undefined)[] = [];
  for (const item of range.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of sortedEntries(item.min)) errs.push(minConstraint(item.type, k, v, requests, {}));
    for (const [k, v] of sortedEntries(item.max)) errs.push(maxRequestConstraint(item.type, k, v, requests));
  }
  return errs.filter((e): e is string => !!e);
}

export interface LimitRangerAdmission extends AdmissionPlugin {
  /** Reads the namespaces' LimitRanges through the shared informers from now on. */
  start(informers: InformerFactory): Promise<void>;
}

export function limitRanger(): LimitRangerAdmission {
  let ranges: SharedInformer<LimitRange> | undefined;
  /** SupportsAttributes: creates of pods, creates and updates of claims; no subresources. */
  const kindOf = (a: AdmissionAttributes): 'pod' | 'claim' | undefined => {
    if (a.subresource || !a.object || a.resource.group !== '' || !ranges) return undefined;
    if (a.resource.resource === 'pods' && a.operation === 'CREATE') return 'pod';
    if (a.resource.resource === 'persistentvolumeclaims' && (a.operation === 'CREATE' || a.operation === 'UPDATE')) return 'claim';
    return undefined;
  };

  return {
    name: 'LimitRanger',
    async start(informers) {
      ranges = informers.forResource(R.limitranges);
      informers.start();
      await ranges.waitForSync();
    },
    async admit(a) {
      if (kindOf(a) !== 'pod') return;
      const pod = a.object as Pod;
      for (const range of ranges!.list(a.namespace)) {
        const requests: Record<string, string> = {};
        const limits: Record<string, string> = {};
        for (const item of range.spec?.limits ?? []) {
          if (item.type !== 'Container') continue;
          Object.assign(requests, item.defaultRequest);
          Object.assign(limits, item.default);
        }
        const notes = [
          ...(pod.spec?.containers ?? []).flatMap((c) => mergeDefaults(c, requests, limits, 'container')),
          ...(pod.spec?.initContainers ?? []).flatMap((c) => mergeDefaults(c, requests, limits, 'init container')),
        ];
        if (notes.length) pod.metadata.annotations = { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
      }
    },
    async validate(a) {
      const kind = kindOf(a);
      if (!kind) return;
      for (const range of ranges!.list(a.namespace)) {
        const errs = kind === 'pod' ? podErrors(range, a.object as Pod) : claimErrors(range, a.object!);
        if (errs.length) throw forbidden({ group: '', resource: a.resource.resource }, nameFor(a), aggregateText(errs));
      }
    },
  };
}
