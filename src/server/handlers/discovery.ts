// API discovery: the legacy documents (/api, /apis, /api/v1, /apis/<g>[/<v>]) and aggregated
// discovery v2 (kubectl asks for it first and uses it only with its exact content type).
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { APIREGISTRATION_GROUP, BUILT_IN_PRIORITIES, CRD_PRIORITY } from '../../api/apiservices.js';
import { apiVersionOf } from '../../api/meta.js';
import type { Registry } from '../../registry/registry.js';
import { subresourceKind, verbsOf, type ResourceDef } from '../../registry/resource.js';
import type { RemoteGroupVersion, RemoteResource } from '../remote-apis.js';
import { writeJson } from '../respond.js';

const AGG_TYPE = (v: string) => `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;

/** The aggregated-discovery version Accept asks for first, if any. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const clause of (accept ?? '').split(',')) {
    const params = new Map(clause.split(';').slice(1).map((p) => p.trim().split('=') as [string, string]));
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') {
      const v = params.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
    }
    if (clause.trim().startsWith('application/json') && !clause.includes('as=')) return undefined;
  }
  return undefined;
}

interface SubresourceInfo {
  name: string;
  kind: { group: string; version: string; kind: string };
  verbs: string[];
}

function subresourcesOf(def: ResourceDef): SubresourceInfo[] {
  const own = { group: def.group, version: def.version, kind: def.kind };
  const subs: SubresourceInfo[] = [];
  if (def.hasStatus) subs.push({ name: 'status', kind: own, verbs: ['get', 'patch', 'update'] });
  for (const [name, sub] of Object.entries(def.subresources ?? {})) subs.push({ name, kind: subresourceKind(def, sub), verbs: sub.verbs });
  return subs.sort((a, b) => a.name.localeCompare(b.name));
}

function aggregatedResource(def: ResourceDef) {
  const subs = subresourcesOf(def);
  return {
    resource: def.resource,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: def.discoveryVerbs ?? [...verbsOf(def)].sort(),
    ...(def.shortNames ? { shortNames: def.shortNames } : {}),
    ...(def.categories ? { categories: def.categories } : {}),
    ...(subs.length ? { subresources: subs.map((s) => ({ subresource: s.name, responseKind: s.kind, verbs: s.verbs })) } : {}),
  };
}

/**
 * discovery.StorageVersionHash: the first 8 bytes of the SHA-256 of the stored kind's
 * "group/version/kind", base64, so a client can tell when the stored form changes.
 */
function storageVersionHash(stored: ResourceDef): string {
  return createHash('sha256').update(`${stored.group}/${stored.version}/${stored.kind}`).digest().subarray(0, 8).toString('base64');
}

function legacyResources(def: ResourceDef) {
  const main = {
    name: def.resource,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: def.discoveryVerbs ?? [...verbsOf(def)].sort(),
    ...(def.shortNames ? { shortNames: def.shortNames } : {}),
    ...(def.categories ? { categories: def.categories } : {}),
    ...(def.createOnly || def.live ? {} : { storageVersionHash: storageVersionHash(def.storedAs?.def() ?? def) }),
  };
  const subs = subresourcesOf(def).map((s) => ({
    name: `${def.resource}/${s.name}`,
    singularName: '',
    namespaced: def.namespaced,
    ...(s.kind.group !== def.group || s.kind.version !== def.version ? { group: s.kind.group, version: s.kind.version } : {}),
    kind: s.kind.kind,
    verbs: s.verbs,
  }));
  return [main, ...subs];
}

/** A group's place in /apis: the highest groupPriorityMinimum of its versions (the aggregator's own group first). */
function localPriority(group: string): number {
  if (group === APIREGISTRATION_GROUP) return Infinity;
  const own = Object.entries(BUILT_IN_PRIORITIES).filter(([gv]) => gv.startsWith(`${group}/`));
  return own.length ? Math.max(...own.map(([, p]) => p.group)) : CRD_PRIORITY.group;
}

/**
 * The named groups: this server's in its order, then the versions other servers serve through
 * APIServices, a new group placed before the first group of lower priority, its versions by
 * versionPriority.
 */
function groups(registry: Registry, remote: RemoteGroupVersion[]): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const gv of registry.groupVersions()) {
    if (gv.group === '') continue;
    const g = out.find((x) => x.name === gv.group);
    if (g) g.versions.push(gv.version);
    else out.push({ name: gv.group, versions: [gv.version] });
  }
  // Custom resources' groups (1000) come before metrics.k8s.io (100), as the aggregator orders them.
  out.sort((a, b) => localPriority(b.name) - localPriority(a.name));
  const sorted = [...remote].sort((a, b) => b.groupPriorityMinimum - a.groupPriorityMinimum || a.group.localeCompare(b.group) || b.versionPriority - a.versionPriority);
  for (const gv of sorted) {
    const g = out.find((x) => x.name === gv.group);
    if (g) {
      if (!g.versions.includes(gv.version)) g.versions.push(gv.version);
      continue;
    }
    const at = out.findIndex((x) => localPriority(x.name) < gv.groupPriorityMinimum);
    out.splice(at < 0 ? out.length : at, 0, { name: gv.group, versions: [gv.version] });
  }
  return out;
}

/** A backend's APIResourceList entries as aggregated discovery lists them (subresources under their resource). */
function remoteAggregated(gv: RemoteGroupVersion) {
  const main = gv.resources.filter((r) => !r.name.includes('/'));
  return main.map((r) => {
    const subs = gv.resources.filter((s) => s.name.startsWith(`${r.name}/`));
    return {
      resource: r.name,
      responseKind: { group: r.group ?? gv.group, version: r.version ?? gv.version, kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName ?? '',
      verbs: r.verbs ?? [],
      ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories?.length ? { categories: r.categories } : {}),
      ...(subs.length
        ? { subresources: subs.map((s: RemoteResource) => ({ subresource: s.name.slice(r.name.length + 1), responseKind: { group: s.group ?? gv.group, version: s.version ?? gv.version, kind: s.kind }, verbs: s.verbs ?? [] })) }
        : {}),
    };
  });
}

function aggregatedGroup(registry: Registry, name: string, versions: string[], remote: RemoteGroupVersion[] = []) {
  return {
    metadata: name ? { name, creationTimestamp: null } : { creationTimestamp: null },
    versions: versions.map((version) => {
      const other = remote.find((r) => r.group === name && r.version === version);
      return { version, resources: other ? remoteAggregated(other) : registry.resourcesOf(name, version).map(aggregatedResource), freshness: 'Current' };
    }),
  };
}

function sendAggregated(res: ServerResponse, version: 'v2' | 'v2beta1', items: unknown[]): void {
  res.setHeader('Vary', 'Accept');
  writeJson(res, 200, { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items }, AGG_TYPE(version));
}

/** Answers a discovery path; false when the path is not a discovery document. */
export function serveDiscovery(path: string, accept: string | undefined, res: ServerResponse, registry: Registry, serverAddress: string, remote: RemoteGroupVersion[] = []): boolean {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  const agg = wantsAggregated(accept);
  if (path === '/api' || path === '/api/') {
    if (agg) sendAggregated(res, agg, [aggregatedGroup(registry, '', ['v1'])]);
    else writeJson(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] });
    return true;
  }
  if (path === '/apis' || path === '/apis/') {
    const gs = groups(registry, remote);
    if (agg) sendAggregated(res, agg, gs.map((g) => aggregatedGroup(registry, g.name, g.versions, remote)));
    else writeJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: gs.map(groupInfo) });
    return true;
  }
  if (parts[0] === 'api' && parts.length === 2 && parts[1] === 'v1') {
    writeJson(res, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: registry.resourcesOf('', 'v1').flatMap(legacyResources) });
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const g = groups(registry, remote).find((x) => x.name === parts[1]);
    if (!g) return false;
    writeJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...groupInfo(g) });
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const defs = registry.resourcesOf(parts[1]!, parts[2]!);
    if (!defs.length) return false;
    writeJson(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(parts[1]!, parts[2]!), resources: defs.flatMap(legacyResources) });
    return true;
  }
  return false;
}

function groupInfo(g: { name: string; versions: string[] }) {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}
