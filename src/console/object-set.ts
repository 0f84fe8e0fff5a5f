// The objects of one list the console follows (one resource, cluster-wide or in one namespace):
// replaced by a LIST, changed by each watch event, with the resourceVersion to watch from.
import type { KubeObject } from '../api/meta.js';
import { listItem, type ListSpec } from '../access/lists.js';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number };
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class ObjectSet {
  readonly items = new Map<string, KubeObject>();
  resourceVersion = '';

  /** List items come without their apiVersion and kind: the set gives them (first, as kubectl prints them), and keeps what the spec keeps. */
  constructor(readonly spec: ListSpec) {}

  private typed = (o: KubeObject): KubeObject => listItem(this.spec, o);

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

export interface ListReply {
  items?: KubeObject[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/** A list's continue token, in the text before its items. */
const CONTINUE = /"continue":"((?:[^"\\]|\\.)*)"/;

/**
 * A LIST reply, read as it arrives and parsed: `early` is given its continue token as soon as the
 * list's metadata has come (it precedes the items, as Go's encoder writes a list), so the next page
 * can be asked for while the rest of this one arrives.
 */
export async function readList(res: Response, early: (cont: string) => void): Promise<ListReply> {
  if (!res.body) return (await res.json()) as ListReply;
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  const chunks: string[] = [];
  /** The text before the items, until they are found. */
  let head: string | undefined = '';
  for (;;) {
    const { done, value } = await reader.read();
    const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
    chunks.push(text);
    if (head !== undefined) {
      head += text;
      const items = head.indexOf('"items"');
      if (items >= 0) {
        const cont = CONTINUE.exec(head.slice(0, items))?.[1];
        if (cont) early(JSON.parse(`"${cont}"`) as string);
        head = undefined;
      }
    }
    if (done) return JSON.parse(chunks.join('')) as ListReply;
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
