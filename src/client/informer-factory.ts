// One shared informer per resource in a process (client-go's SharedInformerFactory): every
// controller and the node agent ask the factory for the informers they read, register their
// handlers, and call start(), which starts whichever informers are not running yet.
import type { KubeObject } from '../api/meta.js';
import type { Client, ResourceRef } from './client.js';
import { SharedInformer } from './informer.js';

export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer>();

  constructor(private readonly client: Client) {}

  /** The informer of a resource; its objects are of the kind the ref names. */
  forResource<T extends KubeObject>(ref: ResourceRef<T>): SharedInformer<T> {
    const key = `${ref.group}/${ref.version}/${ref.resource}`;
    let informer = this.informers.get(key);
    if (!informer) this.informers.set(key, (informer = new SharedInformer(this.client, { group: ref.group, version: ref.version, resource: ref.resource })));
    return informer as unknown as SharedInformer<T>;
  }

  /** Stops and forgets the informer of a resource no longer served (a custom resource whose definition went). */
  remove(ref: ResourceRef): void {
    const key = `${ref.group}/${ref.version}/${ref.resource}`;
    this.informers.get(key)?.stop();
    this.informers.delete(key);
  }

  /** Starts every informer asked for so far that is not running (again and again, as more are asked for). */
  start(): void {
    for (const i of this.informers.values()) i.start();
  }

  stop(): void {
    for (const i of this.informers.values()) i.stop();
  }
}
