// Starts the controllers that run inside the server.
import type { Clock, Random } from '../api/clock.js';
import type { Client } from '../client/client.js';
import type { ResourceDef } from '../registry/resource.js';
import { garbageCollector } from './garbage-collector.js';
import { namespaceController } from './namespace.js';
import { systemObjects } from './system-objects.js';

export interface ControllerDeps {
  client: Client;
  clock: Clock;
  random: Random;
  /** The resources the server serves. */
  defs: ResourceDef[];
  serviceIp: string;
  apiHostIp: string;
  apiPort: number;
}

interface Running {
  start(): Promise<void>;
  stop(): void;
}

export async function startControllers(deps: ControllerDeps): Promise<{ stop(): void }> {
  const stored = deps.defs.filter((d) => !d.createOnly && !d.storedAs);
  const has = (group: string, resource: string) => stored.some((d) => d.group === group && d.resource === resource);
  const refOf = (d: ResourceDef) => ({ group: d.group, version: d.version, resource: d.resource });
  const controllers: Running[] = [
    systemObjects({ client: deps.client, hasServices: has('', 'services') && has('', 'endpoints'), serviceIp: deps.serviceIp, apiHostIp: deps.apiHostIp, apiPort: deps.apiPort }),
    namespaceController({ client: deps.client, namespacedResources: stored.filter((d) => d.namespaced).map(refOf) }),
    garbageCollector({
      client: deps.client,
      resources: stored.filter((d) => !(d.group === '' && d.resource === 'events')).map((d) => ({ ...refOf(d), kind: d.kind, namespaced: d.namespaced })),
    }),
  ];
  for (const c of controllers) await c.start();
  return { stop: () => controllers.forEach((c) => c.stop()) };
}
