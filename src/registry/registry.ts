// All served resources and their stores, looked up by URL segments or by kind.
import type { ObjectSchema } from '../api/schema.js';
import type { ServedResource } from '../client/client.js';
import type { Storage } from '../storage/storage.js';
import type { AdmissionChain } from '../admission/chain.js';
import type { ResourceDef } from './resource.js';
import { Store } from './store.js';

export interface GroupVersion {
  group: string;
  version: string;
}

export class Registry {
  private readonly stores = new Map<string, Store>();
  private readonly kinds = new Map<string, ResourceDef>();

  constructor(
    readonly defs: ResourceDef[],
    storage: Storage,
    admission: AdmissionChain,
  ) {
    for (const def of defs) {
      const id = `${def.group}/${def.version}/${def.resource}`;
      if (this.stores.has(id)) throw new Error(`resource ${id} is defined twice`);
      this.stores.set(id, new Store(def, storage, admission));
      this.kinds.set(`${def.group}/${def.version}/${def.kind}`, def);
      for (const sub of Object.values(def.subresources ?? {})) if (sub.schema) this.addBodySchema(sub.schema);
    }
  }

  store(group: string, version: string, resource: string): Store | undefined {
    return this.stores.get(`${group}/${version}/${resource}`);
  }

  /** The store for a resource that must exist (for server code naming built-in resources). */
  mustStore(group: string, version: string, resource: string): Store {
    const s = this.store(group, version, resource);
    if (!s) throw new Error(`no store for ${group}/${version}/${resource}`);
    return s;
  }

  byKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.kinds.get(`${group}/${version}/${kind}`);
  }

  /** The schema of a kind by apiVersion ("v1", "apps/v1"), for decoders. */
  schemaFor = (apiVersion: string, kind: string): ObjectSchema | undefined => {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    return this.byKind(group, version, kind)?.schema ?? this.extraSchemas.get(`${apiVersion}/${kind}`);
  };

  /** Kinds that are bodies of subresources or options rather than resources (Scale, DeleteOptions, …). */
  private readonly extraSchemas = new Map<string, ObjectSchema>();

  /** What the API serves, as controllers and clients see it. */
  served(): ServedResource[] {
    return this.defs.map((d) => ({ group: d.group, version: d.version, resource: d.resource, kind: d.kind, namespaced: d.namespaced, stored: !d.createOnly && !d.storedAs }));
  }

  /** Every kind's schema, by "apiVersion/kind" (for the decode thread). */
  schemas(): Map<string, ObjectSchema> {
    const out = new Map(this.extraSchemas);
    for (const d of this.defs) out.set(`${d.group ? `${d.group}/` : ''}${d.version}/${d.kind}`, d.schema);
    return out;
  }

  addBodySchema(schema: ObjectSchema): void {
    for (const gvk of schema.gvk ?? []) this.extraSchemas.set(`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`, schema);
  }

  groupVersions(): GroupVersion[] {
    const seen = new Map<string, GroupVersion>();
    for (const d of this.defs) seen.set(`${d.group}/${d.version}`, { group: d.group, version: d.version });
    return [...seen.values()];
  }

  resourcesOf(group: string, version: string): ResourceDef[] {
    return this.defs.filter((d) => d.group === group && d.version === version);
  }

  allStores(): Store[] {
    return [...this.stores.values()];
  }
}
