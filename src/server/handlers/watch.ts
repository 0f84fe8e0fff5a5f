// WATCH over HTTP: a chunked stream of events that stays open until the client leaves or the
// timeout passes: newline-delimited JSON, or length-prefixed protobuf WatchEvent frames.
import { timerDelay } from '../../api/clock.js';
import { badRequest } from '../../api/errors.js';
import { escapeFieldValue, parseFieldSelector, requiredValue } from '../../api/fields.js';
import type { KubeObject } from '../../api/meta.js';
import { partialObjectMetadata, status } from '../../registry/schemas/meta.js';
import type { Store } from '../../registry/store.js';
import type { RequestContext } from '../context.js';
import { negotiateWatch, PROTOBUF, TABLE_CONTENT_TYPE } from '../negotiate.js';
import { encodeObject, encodeWatchEvent } from '../protobuf-encode.js';
import { cut, drained, sharedWatchLine } from '../respond.js';
import { toPartial, toTable } from '../table.js';
import { timeoutSecondsOf, watchOptionsOf } from './options.js';
import type { ApiWatchEvent } from '../../api/operations.js';

/**
 * The field selector of a watch: a name in the path (`/watch/…/secrets/NAME`, what authorization
 * decided on) selects that object alone, as ListResource makes it `metadata.name=NAME`; a
 * selector naming another object is refused.
 */
export function namedFieldSelector(name: string, selector: string | null): string | undefined {
  if (!name) return selector ?? undefined;
  if (!selector) return `metadata.name=${escapeFieldValue(name)}`;
  let selected: string | undefined;
  try {
    selected = requiredValue(parseFieldSelector(selector), 'metadata.name');
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  if (selected !== name) throw badRequest("fieldSelector metadata.name doesn't match requested name");
  return selector;
}

/**
 * A watch with this much written and not yet taken by its client is not keeping up: it ends, as
 * kube-apiserver's cacher ends an unresponsive watcher ("Forcing watcher close due to
 * unresponsiveness"), and the client watches again from the last resourceVersion it got. What it
 * had not taken is dropped with it: a client that stops reading cannot make the server keep
 * events for it.
 */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

/** kube-apiserver's --min-request-timeout: watches without timeoutSeconds last 1800-3600 s. */
const MIN_REQUEST_TIMEOUT_SECONDS = 1800;

export async function serveWatch(rc: RequestContext, store: Store, namespace: string): Promise<void> {
  const format = negotiateWatch(rc.req.headers.accept, store.def.unstructured);
  const q = rc.url.searchParams;
  const ctx = rc.op();
  const def = store.def;
  const res = rc.res;
  let first = true;
  /** The event as sent: its object turned into a Table row or PartialObjectMetadata when asked (bookmarks too, for the latter). */
  const convert = (e: ApiWatchEvent): { type: string; object: object } => {
    if (e.type === 'ERROR') return e;
    if (format.as === 'partial') return { type: e.type, object: toPartial(e.object as KubeObject) };
    if (format.as !== 'table' || e.type === 'BOOKMARK') return e;
    const table = toTable(def, [e.object], { resourceVersion: e.object.metadata.resourceVersion }, 'Metadata', ctx.clock.now(), first);
    first = false;
    return { type: e.type, object: table };
  };
  /** A protobuf frame: the object's whole body (a Status for ERROR) in a WatchEvent. */
  const frame = (e: { type: string; object: object }): Buffer => {
    const schema = e.type === 'ERROR' ? status : format.as === 'partial' ? partialObjectMetadata : def.schema;
    return encodeWatchEvent(e.type, encodeObject(e.object, schema));
  };
  let ended = false;
  let stop: () => void = () => {};
  let timer: NodeJS.Timeout | undefined;
  /** Ends the stream; `drop`: at once, with what the client has not taken yet (HTTP/2: this stream only). */
  const end = (drop = false) => {
    if (ended) return;
    ended = true;
    stop();
    if (timer) clearTimeout(timer);
    if (drop) cut(res);
    else res.end();
  };
  /** Set once the initial events are written: the events after them do not wait for the client. */
  let live = false;
  const send = (e: ApiWatchEvent): Promise<void> | undefined => {
    if (ended) return;
    if (!res.headersSent) start();
    let taken: boolean;
    if (format.mediaType === 'protobuf') taken = res.write(frame(convert(e)));
    else {
      // goJson's text of the event, its bytes shared by every watcher of it.
      const { type, object } = convert(e);
      taken = res.write(sharedWatchLine(type, object));
    }
    if (e.type === 'ERROR') end();
    else if (live && res.writableLength > MAX_UNSENT_BYTES) end(true);
    else if (!taken && !live) return drained(res);
  };
  const start = () => {
    res.statusCode = 200;
    res.setHeader('Content-Type', format.mediaType === 'protobuf' ? `${PROTOBUF};stream=watch` : format.as === 'table' ? TABLE_CONTENT_TYPE : 'application/json');
    res.setHeader('Cache-Control', 'no-cache, private');
    // No Transfer-Encoding: Node chunks an HTTP/1.1 reply without a length itself, and HTTP/2
    // forbids the header (each write is a DATA frame).
    res.flushHeaders();
  };
  // Every option is decoded before the stream starts: a bad one is a 400.
  const opts = { ...watchOptionsOf(q), fieldSelector: namedFieldSelector(rc.info.name, q.get('fieldSelector')) };
  const requested = timeoutSecondsOf(q);
  res.on('close', () => end());
  stop = await store.watch(ctx, namespace, opts, send);
  live = true;
  if (ended) return stop();
  if (!res.headersSent) start();
  const seconds = requested && requested > 0 ? requested : MIN_REQUEST_TIMEOUT_SECONDS * (1 + Math.random());
  timer = setTimeout(end, timerDelay(seconds * 1000));
}
