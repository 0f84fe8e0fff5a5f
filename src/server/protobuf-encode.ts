// Kubernetes protobuf replies (application/vnd.kubernetes.protobuf), byte for byte as
// kube-apiserver's generated (gogo-protobuf) marshallers write them. A body is `k8s\0` and a
// runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}
// whose raw is the object's own message, encoded here by walking the kind's schema (the field
// table protobuf-fields.ts shares with the decoder):
//   - fields in number order; a field that is not a Go pointer is always written, as its zero
//     value when the object lacks it ("", 0, false, an empty message for a struct, with the
//     zero values of its own fields); a pointer (`pointer` in the schema) only when set;
//     []byte fields only when set (Go's nil slice);
//   - repeated fields one element at a time (Kubernetes declares none packed), none when empty;
//   - maps as entries {1 key, 2 value} sorted by key as Go's sort.Strings orders bytes; a value
//     that is a nil []byte is left out of its entry;
//   - metav1.Time {1 seconds, 2 nanos}: nanos always 0, the zero time an empty message;
//     MicroTime keeps its nanos; metav1.Duration {1 nanoseconds}; resource.Quantity {1 string}; intstr.IntOrString {1 type,
//     2 intVal, 3 strVal}, all written; runtime.RawExtension (and FieldsV1) {1 raw}, the JSON.
// Negative integers are sign-extended to 64 bits (ten bytes), as Go converts int32 to uint64.
import { parseDuration } from '../api/duration.js';
import { goJson } from '../api/go-json.js';
import { isObject } from '../api/meta.js';
import { formatQuantity, parseQuantity } from '../api/quantity.js';
import type { EitherSchema, ObjectSchema, Schema } from '../api/schema.js';
import { GO_ZERO_SECONDS, MAGIC, MICRO_TIME_FIELDS, messageFields } from './protobuf-fields.js';

type Json = Record<string, unknown>;

/** A growing buffer; a length-delimited field reserves one byte for its length and moves its content when it needs more. */
class Writer {
  private buf = Buffer.allocUnsafe(4096);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  /** An unsigned varint (below 2^53). */
  varint(n: number): void {
    this.room(8);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }

  /** An int32 or int64 field's varint: negative values as their 64-bit two's complement. */
  int(n: number): void {
    if (n >= 0) return this.varint(Math.trunc(n));
    let u = BigInt.asUintN(64, BigInt(Math.trunc(n)));
    this.room(10);
    while (u >= 0x80n) {
      this.buf[this.len++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.len++] = Number(u);
  }

  tag(field: number, wire: 0 | 1 | 2): void {
    this.varint(field * 8 + wire);
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.raw(b);
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  string(s: string): void {
    // Up to 42 UTF-16 units are at most 126 UTF-8 bytes: their length fits the one byte reserved.
    if (s.length <= 42) {
      this.room(1 + s.length * 3);
      const n = this.buf.write(s, this.len + 1);
      this.buf[this.len] = n;
      this.len += 1 + n;
      return;
    }
    const n = Buffer.byteLength(s);
    this.varint(n);
    this.room(n);
    this.len += this.buf.write(s, this.len);
  }

  double(n: number): void {
    this.room(8);
    this.len = this.buf.writeDoubleLE(n, this.len);
  }

  /** Starts the content of a length-delimited field; `close` with what it returns. */
  open(): number {
    this.room(1);
    return this.len++;
  }

  close(at: number): void {
    const size = this.len - at - 1;
    if (size < 0x80) {
      this.buf[at] = size;
      return;
    }
    let extra = 0;
    for (let n = size; n >= 0x80; n = Math.floor(n / 0x80)) extra++;
    this.room(extra);
    this.buf.copyWithin(at + 1 + extra, at + 1, this.len);
    const end = this.len + extra;
    this.len = at;
    this.varint(size);
    this.len = end;
  }

  /** The bytes written, in a buffer of their own. */
  take(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

const EMPTY = Buffer.alloc(0);
/** runtime.Unknown's contentEncoding and contentType, both empty. */
const TRAILER = Buffer.from([0x1a, 0x00, 0x22, 0x00]);

function message(w: Writer, value: Json | undefined, schema: ObjectSchema): void {
  for (const f of messageFields(schema).ordered) {
    if (f.inline) {
      w.tag(f.pb, 2);
      const at = w.open();
      message(w, value, f.inline);
      w.close(at);
    } else field(w, f.pb, value?.[f.name], f.schema, f.name);
  }
}

function field(w: Writer, pb: number, v: unknown, schema: Schema, name: string): void {
  if (schema.type === 'array') {
    if (Array.isArray(v)) for (const item of v) single(w, pb, item, schema.items, name);
    return;
  }
  if (schema.type === 'map') {
    if (isObject(v)) entries(w, pb, v, schema.values, name);
    return;
  }
  if ((v === undefined || v === null) && (schema.pointer || isBytes(schema))) return;
  single(w, pb, v, schema, name);
}

const isBytes = (schema: Schema) => schema.type === 'string' && schema.format === 'byte';

/** One value with its tag; an absent value is written as the type's zero value. */
function single(w: Writer, pb: number, v: unknown, schema: Schema, name: string): void {
  switch (schema.type) {
    case 'string':
      w.tag(pb, 2);
      if (schema.format === 'date-time') return time(w, v, MICRO_TIME_FIELDS.has(name));
      if (schema.format === 'byte') return w.bytes(typeof v === 'string' ? Buffer.from(v, 'base64') : EMPTY);
      if (schema.duration) return duration(w, v);
      return w.string(typeof v === 'string' ? v : '');
    case 'integer':
      w.tag(pb, 0);
      return w.int(typeof v === 'number' ? v : 0);
    case 'boolean':
      w.tag(pb, 0);
      return w.varint(v === true ? 1 : 0);
    case 'number':
      w.tag(pb, 1);
      return w.double(typeof v === 'number' ? v : 0);
    default: {
      w.tag(pb, 2);
      const at = w.open();
      inner(w, v, schema, name);
      w.close(at);
    }
  }
}

/** The content of a message-typed value. */
function inner(w: Writer, v: unknown, schema: Schema, name: string): void {
  switch (schema.type) {
    case 'object':
      return message(w, isObject(v) ? v : undefined, schema);
    case 'quantity':
      w.tag(1, 2);
      return w.string(quantity(v));
    case 'int-or-string':
      w.tag(1, 0);
      w.varint(typeof v === 'string' ? 1 : 0);
      w.tag(2, 0);
      w.int(typeof v === 'number' ? v : 0);
      w.tag(3, 2);
      return w.string(typeof v === 'string' ? v : '');
    case 'any':
      if (v === undefined || v === null) return;
      w.tag(1, 2);
      return w.string(goJson(v));
    case 'either':
      return either(w, v, schema);
    case 'array':
      // A list inside a list or a map: Go wraps it in a message {1 repeated items} (e.g. ExtraValue).
      if (Array.isArray(v)) for (const item of v) single(w, 1, item, schema.items, name);
      return;
    case 'map':
      if (isObject(v)) entries(w, 1, v, schema.values, name);
      return;
  }
}

/** One of the shapes of an `either` message: a boolean (true with an object), an object, a list. */
function either(w: Writer, v: unknown, schema: EitherSchema): void {
  if (schema.boolPb !== undefined) {
    w.tag(schema.boolPb, 0);
    w.varint(v === false ? 0 : 1);
  }
  if (isObject(v)) {
    w.tag(schema.objectPb, 2);
    const at = w.open();
    message(w, v, schema.object);
    w.close(at);
  }
  if (schema.list && Array.isArray(v)) for (const item of v) single(w, schema.list.pb, item, schema.list.items, '');
}

function entries(w: Writer, pb: number, map: Json, values: Schema, name: string): void {
  for (const key of Object.keys(map).sort(byUtf8)) {
    const v = map[key];
    w.tag(pb, 2);
    const at = w.open();
    w.tag(1, 2);
    w.string(key);
    if (!((v === undefined || v === null) && isBytes(values))) single(w, 2, v, values, name);
    w.close(at);
  }
}

/** Go's string order: by UTF-8 bytes, that is by code point, where UTF-16 puts U+E000–U+FFFF after the surrogates. */
function byUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:[Zz]|([+-])(\d\d):(\d\d))$/;

/** A Timestamp {1 seconds, 2 nanos}; empty for the zero time (and for text that is no time). */
function duration(w: Writer, v: unknown): void {
  const at = w.open();
  let ns = 0;
  try {
    ns = typeof v === 'string' ? Math.round(parseDuration(v) * 1e9) : 0;
  } catch {
    // not a duration: the zero one
  }
  w.tag(1, 0);
  w.int(ns);
  w.close(at);
}

function time(w: Writer, v: unknown, micro: boolean): void {
  const at = w.open();
  const m = typeof v === 'string' ? RFC3339.exec(v) : null;
  if (m) {
    const date = new Date(0);
    date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]));
    const offset = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10]) * 60) : 0;
    const seconds = date.getTime() / 1000 - offset;
    const nanos = micro && m[7] ? Number(m[7].slice(0, 9).padEnd(9, '0')) : 0;
    if (seconds !== GO_ZERO_SECONDS || nanos !== 0) {
      w.tag(1, 0);
      w.int(seconds);
      w.tag(2, 0);
      w.int(nanos);
    }
  }
  w.close(at);
}

/** A Quantity's string: as stored (what the JSON reply shows), canonical for a number, "0" when unset. */
function quantity(v: unknown): string {
  if (typeof v === 'string') return v;
  const q = typeof v === 'number' ? parseQuantity(v) : null;
  return q ? formatQuantity(q) : '0';
}

/** The magic and runtime.Unknown's typeMeta, then the tag of raw. */
function head(w: Writer, apiVersion: string, kind: string): void {
  w.raw(MAGIC);
  w.tag(1, 2);
  const at = w.open();
  w.tag(1, 2);
  w.string(apiVersion);
  w.tag(2, 2);
  w.string(kind);
  w.close(at);
  w.tag(2, 2);
}

/** Frozen (shared, unchanging) objects are encoded once. */
const encoded = new WeakMap<object, Buffer>();

/** The whole body of an object of `schema`'s kind: magic, envelope and message. */
export function encodeObject(obj: object, schema: ObjectSchema): Buffer {
  const frozen = Object.isFrozen(obj);
  let body = frozen ? encoded.get(obj) : undefined;
  if (body) return body;
  const value = obj as Json;
  const w = new Writer();
  head(w, String(value.apiVersion ?? ''), String(value.kind ?? ''));
  const at = w.open();
  message(w, value, schema);
  w.close(at);
  w.raw(TRAILER);
  body = w.take();
  if (frozen) encoded.set(obj, body);
  return body;
}

/** A list kind's ListMeta, its field 1. */
export function encodeListMeta(metadata: unknown, listMetaSchema: ObjectSchema): Buffer {
  const w = new Writer();
  single(w, 1, metadata, listMetaSchema, 'metadata');
  return w.take();
}

/** Some of a list kind's items, each its field 2. */
export function encodeListItems(items: unknown[], itemSchema: ObjectSchema): Buffer {
  const w = new Writer();
  for (const item of items) single(w, 2, item, itemSchema, 'items');
  return w.take();
}

/** The whole body of a list kind whose message is `parts` (encodeListMeta, then encodeListItems), as buffers to send in order. */
export function listBody(apiVersion: string, kind: string, parts: Buffer[]): Buffer[] {
  const w = new Writer();
  head(w, apiVersion, kind);
  w.varint(parts.reduce((n, p) => n + p.length, 0));
  return [w.take(), ...parts, TRAILER];
}

/** One frame of a protobuf watch: a 4-byte big-endian length, then metav1.WatchEvent {1 type, 2 RawExtension {1 raw: the object's body}}. */
export function encodeWatchEvent(type: string, object: Buffer): Buffer {
  const w = new Writer();
  w.raw(Buffer.alloc(4));
  w.tag(1, 2);
  w.string(type);
  w.tag(2, 2);
  const at = w.open();
  w.tag(1, 2);
  w.bytes(object);
  w.close(at);
  const frame = w.take();
  frame.writeUInt32BE(frame.length - 4, 0);
  return frame;
}
