// The group versions other servers serve through APIServices (kube-aggregator's proxy handlers and
// discovery aggregation): which APIService serves a group version, a connection to its server,
// and the resources of each available one for discovery, read from its /apis/<group>/<version>
// and kept for 30 s (then read again in the background, as upstream's discovery controller does).
import type { TLSSocket } from 'node:tls';
import { isAvailable, type APIService } from '../api/apiservices.js';
import { R } from '../client/client.js';
import { connectApiService, getFromApiService, type ProxyClientCert } from '../client/apiservice-transport.js';
import type { ServiceDialer } from '../client/service-dial.js';
import type { InformerFactory } from '../client/informer-factory.js';

/** One entry of an APIResourceList, as a backend serves it. */
export interface RemoteResource {
  name: string;
  singularName?: string;
  namespaced?: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface RemoteGroupVersion {
  group: string;
  version: string;
  groupPriorityMinimum: number;
  versionPriority: number;
  resources: RemoteResource[];
}

export interface RemoteApis {
  /** The APIService served by another server for this group version, if any (available or not). */
  serving(group: string, version: string): APIService | undefined;
  connect(s: APIService): Promise<TLSSocket>;
  /** The available remote group versions with their resources (those whose discovery could be read). */
  discovery(): Promise<RemoteGroupVersion[]>;
}

const FRESH_MS = 30_000;

export function remoteApis(deps: { informers: InformerFactory; dial: ServiceDialer; proxyClient: ProxyClientCert; now?: () => number }): RemoteApis {
  const informer = deps.informers.forResource(R.apiservices);
  const now = deps.now ?? Date.now;
  const byGroupVersion = () => {
    const out = new Map<string, APIService>();
    for (const s of informer.list()) if (s.spec?.service) out.set(`${s.spec.group ?? ''}/${s.spec.version ?? ''}`, s);
    return out;
  };
  /** Discovery read per APIService, by uid and spec; `pending` while a read runs. */
  const cache = new Map<string, { key: string; at: number; resources?: RemoteResource[]; pending?: Promise<void> }>();

  const read = (s: APIService, key: string): Promise<void> => {
    const entry = cache.get(s.metadata.name!) ?? { key, at: 0 };
    cache.set(s.metadata.name!, entry);
    entry.pending = getFromApiService(deps.dial, s, deps.proxyClient, `/apis/${s.spec?.group}/${s.spec?.version}`)
      .then(({ status, body }) => {
        const list = status === 200 ? (JSON.parse(body.toString()) as { resources?: RemoteResource[] }) : undefined;
        if (list && Array.isArray(list.resources)) Object.assign(entry, { key, at: now(), resources: list.resources });
      })
      .catch(() => undefined)
      .finally(() => (entry.pending = undefined));
    return entry.pending;
  };

  return {
    serving: (group, version) => byGroupVersion().get(`${group}/${version}`),
    connect: (s) => connectApiService(deps.dial, s, deps.proxyClient),
    async discovery() {
      const available = [...byGroupVersion().values()].filter(isAvailable);
      for (const name of cache.keys()) if (!available.some((s) => s.metadata.name === name)) cache.delete(name);
      const waits: Promise<void>[] = [];
      for (const s of available) {
        const key = `${s.metadata.uid}/${JSON.stringify(s.spec)}`;
        const entry = cache.get(s.metadata.name!);
        if (entry?.pending) {
          if (entry.key !== key || !entry.resources) waits.push(entry.pending);
        } else if (!entry || entry.key !== key) waits.push(read(s, key));
        else if (now() - entry.at > FRESH_MS) void read(s, key);
      }
      await Promise.all(waits);
      return available.flatMap((s) => {
        const resources = cache.get(s.metadata.name!)?.resources;
        const { group = '', version = '', groupPriorityMinimum = 0, versionPriority = 0 } = s.spec ?? {};
        return resources ? [{ group, version, groupPriorityMinimum, versionPriority, resources }] : [];
      });
    },
  };
}
