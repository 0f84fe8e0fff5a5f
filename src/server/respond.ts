// Writing replies: JSON, YAML or protobuf bodies, Status errors, and Warning headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as http2, type Http2Stream } from 'node:http2';
import { yieldToEventLoop } from '../api/event-loop.js';
import { goJson } from '../api/go-json.js';
import type { KubeObject } from '../api/meta.js';
import type { ObjectSchema } from '../api/schema.js';
import { yaml } from '../api/yaml.js';
import { ApiError, internalError } from '../api/errors.js';
import { listMeta, status } from '../registry/schemas/meta.js';
import { CONTENT_TYPE, negotiateError, PROTOBUF, type MediaType } from './negotiate.js';
import { encodeListItems, encodeListMeta, encodeObject, listBody } from './protobuf-encode.js';
import { warningHeaders } from './warnings.js';

/** The JSON of frozen (shared, unchanging) objects, made once. */
const serialized = new WeakMap<object, string>();

/** goJson's text of a value; of a frozen object, made once for every reply and watcher that sends it. */
export function sharedJson(body: unknown): string {
  if (typeof body !== 'object' || body === null || !Object.isFrozen(body)) return goJson(body);
  let text = serialized.get(body);
  if (text === undefined) serialized.set(body, (text = goJson(body)));
  return text;
}

const listItems = new WeakMap<object, KubeObject>();

/**
 * An object as a list item (without apiVersion and kind, as kube-apiserver's typed lists write
 * their items); of a frozen object, one frozen item shared by every list that sends it, so that
 * its text (sharedJson) is made once too.
 */
export function listItem(obj: KubeObject): KubeObject {
  const strip = ({ apiVersion: _a, kind: _k, ...rest }: KubeObject) => rest as KubeObject;
  if (!Object.isFrozen(obj)) return strip(obj);
  let item = listItems.get(obj);
  if (!item) listItems.set(obj, (item = Object.freeze(strip(obj))));
  return item;
}

const watchLines = new WeakMap<object, Map<string, Buffer>>();

/**
 * A JSON watch event's line (`{"type":…,"object":…}` and a newline) as bytes; of a frozen object,
 * made once for every watcher that is sent it (a thousand watchers, one encoding).
 */
export function sharedWatchLine(type: string, object: object): Buffer {
  const make = () => Buffer.from(`{"type":${goJson(type)},"object":${sharedJson(object)}}\n`);
  if (!Object.isFrozen(object)) return make();
  let lines = watchLines.get(object);
  if (!lines) watchLines.set(object, (lines = new Map()));
  let line = lines.get(type);
  if (!line) lines.set(type, (line = make()));
  return line;
}

/** json.Encoder's text (with a newline), or json.MarshalIndent's (without) for a pretty reply. */
function jsonText(body: unknown, pretty: boolean): string {
  return pretty ? goJson(body, true) : sharedJson(body) + '\n';
}

/**
 * Whether a reply is indented (the deprecated isPrettyPrint of the apiserver's negotiation):
 * `?pretty=` when given, else for curl, Wget and browsers.
 */
export function isPretty(req: IncomingMessage | undefined): boolean {
  const url = req?.url ?? '';
  if (url.includes('pretty')) {
    const v = new URL(url, 'https://localhost').searchParams.get('pretty');
    if (v) return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
  }
  const agent = req?.headers['user-agent'] ?? '';
  return agent.startsWith('curl') || agent.startsWith('Wget') || agent.startsWith('Mozilla/5.0');
}

/**
 * Writes a whole reply. A reply already sent (a request past its deadline got the 504) is not
 * written again.
 */
export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', warnings: string[] = []): void {
  if (res.writableEnded) return;
  send(res, code, contentType, contentType === 'application/yaml' ? yaml().stringify(body) : jsonText(body, isPretty(res.req)), warnings);
}

function setHead(res: ServerResponse, code: number, contentType: string, warnings: string[]): boolean {
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-cache, private');
  const headers = warnings.length ? warningHeaders(warnings) : [];
  if (headers.length) res.setHeader('Warning', headers);
  return headers.length > 0;
}

function send(res: ServerResponse, code: number, contentType: string, body: string | Buffer, warnings: string[]): void {
  // Node sends the headers in one write with a string body, as UTF-8, which would encode the
  // (latin1-carried) UTF-8 bytes of a warning twice; with a Buffer body they go out as latin1.
  if (setHead(res, code, contentType, warnings) && typeof body === 'string') body = Buffer.from(body);
  res.end(body);
}

/** Writes an object in the negotiated media type; `schema`, its kind's, encodes it in protobuf (a Status has its own). */
export function writeObject(res: ServerResponse, code: number, body: object, mediaType: MediaType, schema: ObjectSchema, warnings: string[] = []): void {
  if (mediaType !== 'protobuf') return writeJson(res, code, body, CONTENT_TYPE[mediaType], warnings);
  if (res.writableEnded) return;
  send(res, code, PROTOBUF, encodeObject(body, (body as { kind?: unknown }).kind === 'Status' ? status : schema), warnings);
}

/** How many list items are written between turns of the event loop, at most. */
const LIST_STEP = 200;
/** About how many characters of list items are written at once. */
const LIST_CHUNK = 256 * 1024;

/**
 * Ends a reply at once, dropping what the client has not taken: an HTTP/1.1 reply's connection,
 * an HTTP/2 reply's stream alone (RST_STREAM CANCEL: a reset with NO_ERROR, what destroy sends,
 * does not reach a client whose window is full).
 */
export function cut(res: ServerResponse): void {
  const stream = (res as { stream?: Http2Stream }).stream;
  if (stream) stream.close(http2.NGHTTP2_CANCEL);
  else res.destroy();
}

/** Resolves once the client has taken what was written to `res`, or left. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes a list reply (an object whose last field, `itemsKey`, is the array): a short list at
 * once, a long or large one in parts of a few hundred items or 256 Ki characters, each after the
 * client has taken the last (a client that does not read holds one part, not the whole list) and
 * letting other requests in between. The bytes are those writeJson would write.
 */
export async function writeList(res: ServerResponse, code: number, list: Record<string, unknown>, itemsKey: string, contentType = 'application/json', warnings: string[] = []): Promise<void> {
  const items = list[itemsKey] as unknown[];
  if (!contentType.startsWith('application/json') || items.length === 0) return writeJson(res, code, list, contentType, warnings);
  if (res.writableEnded) return;
  const pretty = isPretty(res.req);
  // The list with no items, split where they go: `…"items":[` and `]}`.
  const shell = goJson({ ...list, [itemsKey]: [] }, pretty);
  const at = shell.lastIndexOf('[]') + 1;
  const [open, close] = pretty ? [`${shell.slice(0, at)}\n    `, `\n  ${shell.slice(at)}`] : [shell.slice(0, at), `${shell.slice(at)}\n`];
  const item = pretty ? (v: unknown) => goJson(v, true).replace(/\n/g, '\n    ') : sharedJson;
  const separator = pretty ? ',\n    ' : ',';
  let next = 0;
  const part = () => {
    const texts: string[] = [];
    for (let size = 0; next < items.length && texts.length < LIST_STEP && size < LIST_CHUNK; next++) {
      texts.push(item(items[next]));
      size += texts[texts.length - 1]!.length;
    }
    return texts.join(separator);
  };
  const first = part();
  if (next === items.length) return send(res, code, contentType, open + first + close, warnings);
  // A Buffer first write keeps the warnings' UTF-8 bytes as they are (see send).
  setHead(res, code, contentType, warnings);
  let taken = res.write(Buffer.from(open + first));
  while (next < items.length) {
    await (taken ? yieldToEventLoop() : drained(res));
    if (res.destroyed) return;
    taken = res.write(separator + part());
  }
  res.end(close);
}

/**
 * Writes a list kind (its items under `items`, of `itemSchema`) in the negotiated media type,
 * made a few hundred items at a time; a protobuf body is made whole, its length first.
 */
export async function writeItems(res: ServerResponse, code: number, list: Record<string, unknown>, mediaType: MediaType, itemSchema: ObjectSchema, warnings: string[] = []): Promise<void> {
  if (mediaType !== 'protobuf') return writeList(res, code, list, 'items', CONTENT_TYPE[mediaType], warnings);
  const items = list.items as unknown[];
  const parts = [encodeListMeta(list.metadata, listMeta)];
  for (let i = 0; i < items.length; i += LIST_STEP) {
    if (i > 0) await yieldToEventLoop();
    if (res.writableEnded || res.destroyed) return;
    parts.push(encodeListItems(items.slice(i, i + LIST_STEP), itemSchema));
  }
  setHead(res, code, PROTOBUF, warnings);
  // Its length comes first, so it is made whole; it goes out as fast as the client takes it (the
  // request, and what it holds, count to the in-flight limit until then).
  for (const part of listBody(String(list.apiVersion), String(list.kind), parts)) {
    if (!res.write(part)) await drained(res);
    if (res.destroyed) return;
  }
  res.end();
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  console.error('badge: internal error:', err);
  return internalError(err);
}

export function writeError(res: ServerResponse, err: unknown, warnings: string[] = []): void {
  const e = toApiError(err);
  if (res.writableEnded) return;
  if (res.headersSent) {
    cut(res);
    return;
  }
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (e.details?.retryAfterSeconds) res.setHeader('Retry-After', String(e.details.retryAfterSeconds));
  // The Status goes out in the media type Accept asks for (protobuf included), or, when none
  // fits, as indented JSON (kube-apiserver's WriteRawJSON).
  const mediaType = negotiateError(res.req?.headers.accept);
  if (mediaType) return writeObject(res, e.code, e.toStatus(), mediaType, status, warnings);
  send(res, e.code, 'application/json', goJson(e.toStatus(), true), warnings);
}

/** The last resort for a request whose error reply failed too: a log line, and the connection closed. */
export function abandon(res: ServerResponse, err: unknown): void {
  console.error('badge: internal error answering a request:', err);
  cut(res);
}

export function writeText(res: ServerResponse, code: number, text: string): void {
  res.statusCode = code;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(text);
}
