// The in-process Client: goes straight to the registry's stores, acting as one identity, its
// writes recorded under one field manager (kube-apiserver's own, unless a component names itself).
import type { Clock, Random } from '../api/clock.js';
import type { KubeObject } from '../api/meta.js';
import type { UserInfo } from '../api/user.js';
import type { Registry } from './registry.js';
import type { Store } from './store.js';
import type { Subresource, SubresourceContext } from './resource.js';
import { methodNotSupported } from '../api/errors.js';
import type { Client, ResourceRef } from '../client/client.js';
import type { DeleteOptions, DeleteResult, ListOptions, ListResult, Mutation, OpContext, WatchOptions, WatchSink, WatchStop } from '../api/operations.js';

export class LocalClient implements Client {
  private readonly ctx: OpContext;

  constructor(
    private readonly registry: Registry,
    user: UserInfo,
    clock: Clock,
    random: Random,
    fieldManager = 'kube-apiserver',
  ) {
    this.ctx = { user, clock, random, fieldManager };
  }

  withFieldManager(manager: string): LocalClient {
    return new LocalClient(this.registry, this.ctx.user, this.ctx.clock, this.ctx.random, manager);
  }

  private store(ref: ResourceRef<KubeObject>): Store {
    return this.registry.mustStore(ref.group, ref.version, ref.resource);
  }

  // The store answers KubeObjects; the ref's kind types them for the caller (the registry has
  // validated what it stores, see api/kinds.ts).

  async get<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, name: string): Promise<T> {
    return (await this.store(ref).get(this.ctx, namespace, name)) as T;
  }

  async list<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    return (await this.store(ref).list(this.ctx, namespace, opts)) as ListResult<T>;
  }

  async create<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, obj: T): Promise<T> {
    // The store owns what it is given; the caller keeps its object.
    return (await this.store(ref).create(this.ctx, namespace, structuredClone(obj))) as T;
  }

  async update<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, obj: T, subresource?: string): Promise<T> {
    return (await this.store(ref).update(this.ctx, namespace, obj.metadata.name!, structuredClone(obj), { subresource })).object as T;
  }

  async mutate<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, name: string, fn: Mutation<T>, subresource?: string): Promise<T> {
    return (await this.store(ref).guaranteedUpdate(this.ctx, namespace, name, fn as unknown as Mutation, { subresource })) as T;
  }

  async delete<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, name: string, opts: DeleteOptions = {}): Promise<DeleteResult<T>> {
    return (await this.store(ref).delete(this.ctx, namespace, name, opts)) as DeleteResult<T>;
  }

  async deleteCollection<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, listOpts: ListOptions = {}, opts: DeleteOptions = {}): Promise<T[]> {
    return (await this.store(ref).deleteCollection(this.ctx, namespace, listOpts, opts)) as T[];
  }

  watch<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, opts: WatchOptions, sink: WatchSink<T>): Promise<WatchStop> {
    return this.store(ref).watch(this.ctx, namespace, opts, sink as WatchSink);
  }

  createSubresource(ref: ResourceRef, namespace: string, name: string, subresource: string, body: KubeObject) {
    const [sub, s] = this.subresource(ref, namespace, name, subresource, 'create');
    return sub.create!(s, body);
  }

  getSubresource(ref: ResourceRef, namespace: string, name: string, subresource: string) {
    const [sub, s] = this.subresource(ref, namespace, name, subresource, 'get');
    return sub.get!(s);
  }

  updateSubresource(ref: ResourceRef, namespace: string, name: string, subresource: string, body: KubeObject) {
    const [sub, s] = this.subresource(ref, namespace, name, subresource, 'update');
    return sub.update!(s, body);
  }

  /** A subresource with the hook for `verb`, and the context its hooks get. */
  private subresource(ref: ResourceRef, namespace: string, name: string, subresource: string, verb: 'create' | 'get' | 'update'): [Subresource, SubresourceContext] {
    const store = this.store(ref);
    const sub = store.def.subresources?.[subresource];
    if (!sub?.[verb]) throw methodNotSupported({ group: ref.group, resource: `${ref.resource}/${subresource}` }, verb);
    return [sub, { ctx: this.ctx, namespace, name, query: new URLSearchParams(), dryRun: false, store, registry: this.registry, warnings: [] }];
  }
}
