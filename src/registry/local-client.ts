// The in-process Client: goes straight to the registry's stores, acting as one identity.
import type { Clock, Random } from '../api/clock.js';
import type { KubeObject } from '../api/meta.js';
import type { UserInfo } from '../api/user.js';
import type { Registry } from './registry.js';
import type { Store } from './store.js';
import { methodNotSupported } from '../api/errors.js';
import type { Client, ResourceRef } from '../client/client.js';
import type { OpContext } from '../api/operations.js';

export class LocalClient implements Client {
  private readonly ctx: OpContext;

  constructor(
    private readonly registry: Registry,
    user: UserInfo,
    clock: Clock,
    random: Random,
  ) {
    this.ctx = { user, clock, random };
  }

  private store(ref: ResourceRef): Store {
    return this.registry.mustStore(ref.group, ref.version, ref.resource);
  }

  get(ref: ResourceRef, namespace: string, name: string) {
    return this.store(ref).get(this.ctx, namespace, name);
  }

  list(ref: ResourceRef, namespace: string, opts = {}) {
    return this.store(ref).list(this.ctx, namespace, opts);
  }

  create(ref: ResourceRef, namespace: string, obj: KubeObject) {
    // The store owns what it is given; the caller keeps its object.
    return this.store(ref).create(this.ctx, namespace, structuredClone(obj));
  }

  async update(ref: ResourceRef, namespace: string, obj: KubeObject, subresource?: string) {
    return (await this.store(ref).update(this.ctx, namespace, obj.metadata.name!, structuredClone(obj), { subresource })).object;
  }

  mutate(ref: ResourceRef, namespace: string, name: string, fn: (o: KubeObject) => KubeObject | Promise<KubeObject>, subresource?: string) {
    return this.store(ref).guaranteedUpdate(this.ctx, namespace, name, fn, { subresource });
  }

  delete(ref: ResourceRef, namespace: string, name: string, opts = {}) {
    return this.store(ref).delete(this.ctx, namespace, name, opts);
  }

  watch(ref: ResourceRef, namespace: string, opts: Parameters<Store['watch']>[2], sink: Parameters<Store['watch']>[3]) {
    return this.store(ref).watch(this.ctx, namespace, opts, sink);
  }

  createSubresource(ref: ResourceRef, namespace: string, name: string, subresource: string, body: KubeObject) {
    const store = this.store(ref);
    const sub = store.def.subresources?.[subresource];
    if (!sub?.create) throw methodNotSupported({ group: ref.group, resource: `${ref.resource}/${subresource}` }, 'create');
    return sub.create({ ctx: this.ctx, namespace, name, query: new URLSearchParams(), dryRun: false, store, registry: this.registry, warnings: [] }, body);
  }
}
