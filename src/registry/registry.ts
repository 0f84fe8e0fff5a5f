// All served resources and their stores, looked up by URL segments or by kind. The built-in
// resources are given at construction; custom resources come and go at run time (setDynamic),
// and everything that reads the registry sees the change at once: lookups directly, what is
// derived from the whole set (discovery's and OpenAPI's documents, the decode thread's schemas)
// through `generation` and onChange.
import type { ObjectSchema } from '../api/schema.js';
import type { ServedResource } from '../client/client.js';
import type { Storage } from '../storage/storage.js';
import type { AdmissionChain } from '../admission/chain.js';
import { isStored, type ResourceDef } from './resource.js';
import { Store } from './store.js';

export interface GroupVersion {
  group: string;
  version: string;
}

const idOf = (def: ResourceDef) => `${def.group}/${def.version}/${def.resource}`;
const kindIdOf = (def: ResourceDef) => `${def.group}/${def.version}/${def.kind}`;

export class Registry {
  private readonly stores = new Map<string, Store>();
  private readonly kinds = new Map<string, ResourceDef>();
  private current: ResourceDef[];
  /** The run-time resources, by owner (a CRD's name). */
  private readonly dynamic = new Map<string, ResourceDef[]>();
  private readonly listeners = new Set<() => void>();
  /** Changes whenever the set of resources does. */
  generation = 0;

  constructor(
    defs: ResourceDef[],
    private readonly storage: Storage,
    private readonly admission: AdmissionChain,
  ) {
    for (const def of defs) {
      if (this.stores.has(idOf(def))) throw new Error(`resource ${idOf(def)} is defined twice`);
      this.install(def);
    }
    this.current = [...defs];
  }

  /** Every served resource, built-in ones first (a new array whenever the set changes). */
  get defs(): readonly ResourceDef[] {
    return this.current;
  }

  private install(def: ResourceDef): void {
    this.stores.set(idOf(def), new Store(def, this.storage, this.admission));
    this.kinds.set(kindIdOf(def), def);
    for (const sub of Object.values(def.subresources ?? {})) if (sub.schema) this.addBodySchema(sub.schema);
  }

  /**
   * Replaces the run-time resources of `owner` (a CRD) with `defs` (none: it is gone). A resource
   * another owner or a built-in already serves is left to it (kube-apiserver's names controller
   * refuses such a CRD's names).
   */
  setDynamic(owner: string, defs: ResourceDef[]): void {
    for (const def of this.dynamic.get(owner) ?? []) {
      this.stores.delete(idOf(def));
      this.kinds.delete(kindIdOf(def));
    }
    this.dynamic.delete(owner);
    const taken = new Set(this.stores.keys());
    const added = defs.filter((d) => !taken.has(idOf(d)));
    for (const def of added) this.install(def);
    if (added.length) this.dynamic.set(owner, added);
    this.current = [...this.current.filter((d) => this.stores.get(idOf(d))?.def === d), ...added];
    this.generation++;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every change of the set of resources; answers the function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    return this.current.map((d) => ({ group: d.group, version: d.version, resource: d.resource, kind: d.kind, namespaced: d.namespaced, stored: isStored(d) }));
  }

  /** Every kind's schema, by "apiVersion/kind" (for the decode thread). */
  schemas(): Map<string, ObjectSchema> {
    const out = new Map(this.extraSchemas);
    for (const d of this.current) out.set(`${d.group ? `${d.group}/` : ''}${d.version}/${d.kind}`, d.schema);
    return out;
  }

  addBodySchema(schema: ObjectSchema): void {
    for (const gvk of schema.gvk ?? []) this.extraSchemas.set(`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`, schema);
  }

  groupVersions(): GroupVersion[] {
    const seen = new Map<string, GroupVersion>();
    for (const d of this.current) seen.set(`${d.group}/${d.version}`, { group: d.group, version: d.version });
    return [...seen.values()];
  }

  resourcesOf(group: string, version: string): ResourceDef[] {
    return this.current.filter((d) => d.group === group && d.version === version);
  }

  allStores(): Store[] {
    return [...this.stores.values()];
  }

  /** The stores of resources with objects of their own, one per storage prefix (the first version served). */
  storedResources(): Store[] {
    const seen = new Map<string, Store>();
    for (const d of this.current) {
      const store = this.store(d.group, d.version, d.resource);
      if (store && !d.createOnly && !d.storedAs && !seen.has(store.prefix)) seen.set(store.prefix, store);
    }
    return [...seen.values()];
  }
}
