// One shared informer per resource in a process (client-go's SharedInformerFactory): every
// controller and the node agent ask the factory for the informers they read, register their
// handlers, and call start(), which starts whichever informers are not running yet.
// A scope (scope()) is the same informers for a part of the process that stops before the process
// does, such as the controllers of a server that loses its leader lease: its stop() removes the
// handlers registered through it, and the informers, which others read too, run on.
import type { KubeObject } from '../api/meta.js';
import type { Client, ResourceRef } from './client.js';
import { SharedInformer, type InformerHandlers } from './informer.js';

export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer>();
  /** In a scope: the informers as handed out (their `on` noted), and how to remove what was registered. */
  private readonly views = new Map<string, SharedInformer>();
  private readonly registered: (() => void)[] = [];

  constructor(
    private readonly client: Client,
    private readonly parent?: InformerFactory,
  ) {}

  /** The informer of a resource; its objects are of the kind the ref names. */
  forResource<T extends KubeObject>(ref: ResourceRef<T>): SharedInformer<T> {
    const key = `${ref.group}/${ref.version}/${ref.resource}`;
    if (this.parent) {
      let view = this.views.get(key);
      if (!view) this.views.set(key, (view = this.view(this.parent.forResource(ref) as unknown as SharedInformer)));
      return view as unknown as SharedInformer<T>;
    }
    let informer = this.informers.get(key);
    if (!informer) this.informers.set(key, (informer = new SharedInformer(this.client, { group: ref.group, version: ref.version, resource: ref.resource })));
    return informer as unknown as SharedInformer<T>;
  }

  /** The same informers; stop() on the scope removes the handlers registered through it. */
  scope(): InformerFactory {
    return new InformerFactory(this.client, this);
  }

  /** Stops and forgets the informer of a resource no longer served (a custom resource whose definition went). */
  remove(ref: ResourceRef): void {
    const key = `${ref.group}/${ref.version}/${ref.resource}`;
    if (this.parent) {
      this.views.delete(key);
      this.parent.remove(ref);
      return;
    }
    this.informers.get(key)?.stop();
    this.informers.delete(key);
  }

  /** Starts every informer asked for so far that is not running (again and again, as more are asked for). */
  start(): void {
    if (this.parent) this.parent.start();
    else for (const i of this.informers.values()) i.start();
  }

  /** Stops the informers; a scope removes its handlers instead. */
  stop(): void {
    if (this.parent) {
      for (const remove of this.registered.splice(0)) remove();
      this.views.clear();
      return;
    }
    for (const i of this.informers.values()) i.stop();
  }

  /** The informer, with `on` noting each handler for stop(). */
  private view(informer: SharedInformer): SharedInformer {
    const on = (h: InformerHandlers) => {
      informer.on(h);
      this.registered.push(() => informer.off(h));
    };
    const methods = new Map<PropertyKey, unknown>([['on', on]]);
    return new Proxy(informer, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        let method = methods.get(prop);
        if (!method) methods.set(prop, (method = value.bind(target)));
        return method;
      },
    });
  }
}
