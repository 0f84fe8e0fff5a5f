// The objects of one list the console follows (one resource, cluster-wide or in one namespace):
// replaced by a LIST, changed by each watch event, with the resourceVersion to watch from.
import type { KubeObject } from '../api/meta.js';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number };
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class ObjectSet {
  readonly items = new Map<string, KubeObject>();
  resourceVersion = '';

  /** List items come without their apiVersion and kind: the set gives them (first, as kubectl prints them). */
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {}

  private typed = (o: KubeObject): KubeObject => ({ apiVersion: this.apiVersion, kind: this.kind, ...o });

  replace(items: readonly KubeObject[], resourceVersion: string): void {
    this.items.clear();
    for (const o of items) this.items.set(keyOf(o), this.typed(o));
    this.resourceVersion = resourceVersion;
  }

  /** Applies a watch event; true when the objects changed. An ERROR event is the caller's. */
  apply(event: WatchEvent): boolean {
    const o = event.object;
    if (o.metadata?.resourceVersion) this.resourceVersion = o.metadata.resourceVersion;
    if (event.type === 'ADDED' || event.type === 'MODIFIED') this.items.set(keyOf(o), this.typed(o));
    else if (event.type === 'DELETED') return this.items.delete(keyOf(o));
    else return false;
    return true;
  }
}

/** The events of a watch reply: newline-delimited JSON, as the chunks arrive. */
export async function* watchEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<WatchEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.trim()) yield JSON.parse(line) as WatchEvent;
      if (done) break;
    }
  } finally {
    reader.releaseLock();
  }
  if (buffered.trim()) yield JSON.parse(buffered) as WatchEvent;
}
