// Kubernetes protobuf request bodies (Content-Type: application/vnd.kubernetes.protobuf), which
// kubectl 1.32+ sends for every typed-client command (create serviceaccount/token/role/…, auth can-i,
// auth whoami). The body is the magic `k8s\0` followed by a runtime.Unknown envelope
// {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}; `raw` is the object's
// own message, decoded here by walking the kind's schema (each property's `pb` is its field number,
// read through the field table protobuf-fields.ts shares with the encoder of replies,
// protobuf-encode.ts) into the plain JSON the same object would have been sent as.
//
// Go's generated marshallers write every non-pointer field, even when empty or zero, and pointer
// fields only when set; the wire cannot tell one from the other. The decoder therefore keeps every
// field present on the wire, zero or not ("", 0, false, empty messages); the handler then puts the
// object in canonical form (api/canonical.ts), which drops the zero values of non-pointer omitempty
// fields as Go's JSON does, guided by the schema's `pointer`, `keepZero` and `required` marks:
//   - messages are kept, even empty (`emptyDir: {}`, `selector: {}`, `resources: {}`), as Go's JSON
//     keeps structs; repeated fields and maps are absent when empty (nothing is written for them);
//   - metav1.Time: an empty message is the zero time and is dropped (JSON `null`); otherwise RFC 3339
//     in seconds; fields that are MicroTime (eventTime, renewTime, acquireTime, lastObservedTime)
//     keep microseconds;
//   - resource.Quantity {1 string} → the string ("0" when unset); intstr.IntOrString
//     {1 type, 2 intVal, 3 strVal} → a number or a string; runtime.RawExtension {1 raw} → the raw
//     JSON (or, when raw is itself a `k8s\0` body, the object it decodes to, in canonical form,
//     since no handler sees it); []byte → base64.
//
// Failures are BadRequest, worded like the apiserver's. Hostile input (bad lengths, deep nesting,
// groups) fails cleanly: lengths are checked against the bytes left and nesting is bounded.
import { canonicalize } from '../api/canonical.js';
import { badRequest, type ApiError } from '../api/errors.js';
import { goMillis } from '../api/duration.js';
import { goQuote } from '../api/go-quote.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../api/json-values.js';
import type { EitherSchema, ObjectSchema, Schema } from '../api/schema.js';
import { GO_ZERO_SECONDS, MAGIC, MICRO_TIME_FIELDS, messageFields } from './protobuf-fields.js';

/** The scheme name kube-apiserver 1.32 reports in "no kind … is registered" errors. */
const SCHEME = 'pkg/api/legacyscheme/scheme.go:30';
/** Deepest nesting of messages (and groups, and nested `k8s\0` bodies) accepted. */
const MAX_DEPTH = 200;
const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

export interface DecodeOptions {
  /**
   * The group/version and kind the endpoint serves (the apiserver's default GVK). An envelope with
   * an empty kind or apiVersion takes them from here, and errors are worded as the apiserver's
   * create/update handlers word them: `X in version "v1" cannot be handled as a Y: …`.
   */
  into?: { apiVersion: string; kind: string };
}

/** A decoding failure with Go's wording; turned into a BadRequest by decodeProtobuf. */
class WireError extends Error {}

const unexpectedEOF = () => new WireError('unexpected EOF');

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const apiVersionOf = (g: { group: string; version: string }) => (g.group ? `${g.group}/${g.version}` : g.version);

function parseApiVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return { group: '', version: '' }; // unparseable: Go keeps only the kind
}

/**
 * Decodes a Kubernetes protobuf body into the JSON object the same request would have carried as
 * application/json: `apiVersion` and `kind` from the envelope, then the object's fields.
 * Throws a BadRequest ApiError for anything that is not a well-formed body of a known kind.
 */
export function decodeProtobuf(
  body: Uint8Array,
  schemaFor: (apiVersion: string, kind: string) => ObjectSchema | undefined,
  options: DecodeOptions = {},
): Record<string, unknown> {
  const into = options.into;
  const fail = (message: string, gvk?: Gvk): ApiError => {
    if (!into) return badRequest(message);
    if (gvk && gvk.kind) return badRequest(`${gvk.kind} in version ${goQuote(gvk.version)} cannot be handled as a ${into.kind}: ${message}`);
    return badRequest(`the object provided is unrecognized (must be of type ${into.kind}): ${message} (${summarize(body)})`);
  };
  let gvk: Gvk | undefined;
  try {
    const env = readEnvelope(body, 0);
    gvk = { ...parseApiVersion(env.apiVersion), kind: env.kind };
    if (into) {
      const def = parseApiVersion(into.apiVersion);
      if (!gvk.kind) gvk.kind = into.kind;
      if (!gvk.version && def.version) Object.assign(gvk, def);
    }
    const typeMeta = `runtime.TypeMeta{APIVersion:${goQuote(env.apiVersion)}, Kind:${goQuote(env.kind)}}`;
    if (!gvk.kind) {
      gvk = undefined; // worded as a body of no recognizable type
      throw new WireError(`Object 'Kind' is missing in '${typeMeta}'`);
    }
    if (!gvk.version) throw new WireError(`Object 'apiVersion' is missing in '${typeMeta}'`);
    return decodeKind(env.raw, gvk, schemaFor, 0);
  } catch (err) {
    if (err instanceof WireError) throw fail(err.message, gvk);
    if (err instanceof RangeError) throw fail('proto: maximum nesting depth exceeded', gvk); // stack overflow, should the limits not hold
    throw err;
  }
}

function decodeKind(raw: Uint8Array, gvk: Gvk, schemaFor: (apiVersion: string, kind: string) => ObjectSchema | undefined, depth: number): Record<string, unknown> {
  const apiVersion = apiVersionOf(gvk);
  const schema = schemaFor(apiVersion, gvk.kind);
  if (!schema) throw new WireError(`no kind ${goQuote(gvk.kind)} is registered for version ${goQuote(apiVersion)} in scheme ${goQuote(SCHEME)}`);
  const out: Record<string, unknown> = { apiVersion, kind: gvk.kind };
  const ctx: Ctx = { schemaFor, depth };
  decodeMessage(new Reader(raw), schema, out, ctx);
  return out;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

/** Checks the magic and reads the runtime.Unknown that follows it. */
function readEnvelope(body: Uint8Array, depth: number): Envelope {
  if (body.length === 0) throw new WireError('empty data');
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw new WireError(`provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(' ')}]`);
  }
  if (body.length === MAGIC.length) throw new WireError('empty body');
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0) };
  const r = new Reader(body.subarray(MAGIC.length));
  while (!r.done) {
    const { field, wire } = r.tag('Unknown');
    switch (field) {
      case 1: {
        expectWire(wire, 2, 'TypeMeta');
        if (depth + 1 > MAX_DEPTH) throw new WireError('proto: maximum nesting depth exceeded');
        const tm = r.sub();
        while (!tm.done) {
          const t = tm.tag('TypeMeta');
          if (t.field === 1 || t.field === 2) {
            expectWire(t.wire, 2, t.field === 1 ? 'APIVersion' : 'Kind');
            const s = tm.string();
            if (t.field === 1) env.apiVersion = s;
            else env.kind = s;
          } else tm.skip(t.wire, depth + 1);
        }
        break;
      }
      case 2:
        expectWire(wire, 2, 'Raw');
        env.raw = r.bytes();
        break;
      case 3:
      case 4:
        expectWire(wire, 2, field === 3 ? 'ContentEncoding' : 'ContentType');
        r.bytes(); // contentEncoding / contentType: upstream ignores both when decoding
        break;
      default:
        r.skip(wire, depth);
    }
  }
  return env;
}

// ---- the wire reader ----

class Reader {
  pos: number;
  readonly end: number;
  constructor(readonly buf: Uint8Array, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint as a JS number (exact below 2^53; used for tags and lengths). */
  varint(): number {
    const b0 = this.buf[this.pos];
    if (b0 !== undefined && b0 < 0x80 && this.pos < this.end) {
      this.pos++;
      return b0;
    }
    let result = 0;
    let mul = 1;
    for (let shift = 0; ; shift += 7) {
      if (shift >= 64) throw new WireError('proto: integer overflow');
      if (this.pos >= this.end) throw unexpectedEOF();
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return result;
    }
  }

  /** An unsigned 64-bit varint, exactly. */
  varint64(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (shift >= 64n) throw new WireError('proto: integer overflow');
      if (this.pos >= this.end) throw unexpectedEOF();
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
  }

  tag(message: string): { field: number; wire: number } {
    const v = this.varint();
    const wire = v % 8;
    const field = Math.floor(v / 8);
    if (wire === 4) throw new WireError(`proto: ${message}: wiretype end group for non-group`);
    if (field <= 0) throw new WireError(`proto: ${message}: illegal tag ${field} (wire type ${v})`);
    return { field, wire };
  }

  /** The length of a length-delimited field, checked against what is left. */
  length(): number {
    const n = this.varint();
    if (n >= 2 ** 63) throw new WireError('proto: negative length found during unmarshaling');
    if (n > this.end - this.pos) throw unexpectedEOF();
    return n;
  }

  bytes(): Uint8Array {
    const n = this.length();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  sub(): Reader {
    const n = this.length();
    const r = new Reader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  fixed(n: 4 | 8): DataView {
    if (this.end - this.pos < n) throw unexpectedEOF();
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return view;
  }

  /** Skips a field of an unknown number, groups included (iteratively, with a depth bound). */
  skip(wire: number, depth: number): void {
    let open = 0;
    for (;;) {
      switch (wire) {
        case 0:
          this.varint64();
          break;
        case 1:
          this.fixed(8);
          break;
        case 2:
          this.bytes();
          break;
        case 3:
          open++;
          if (depth + open > MAX_DEPTH) throw new WireError('proto: maximum nesting depth exceeded');
          break;
        case 4:
          if (open === 0) throw new WireError('proto: unexpected end of group');
          open--;
          break;
        case 5:
          this.fixed(4);
          break;
        default:
          throw new WireError(`proto: illegal wireType ${wire}`);
      }
      if (open === 0) return;
      if (this.done) throw unexpectedEOF();
      wire = this.varint() % 8;
    }
  }
}

/** Go's JSON encoder writes invalid UTF-8 as U+FFFD; so does a non-fatal decoder. */
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function expectWire(actual: number, expected: number, goField: string): void {
  if (actual !== expected) throw new WireError(`proto: wrong wireType = ${actual} for field ${goField}`);
}

const goName = (jsonName: string) => jsonName.charAt(0).toUpperCase() + jsonName.slice(1);

function messageName(schema: ObjectSchema, fallback: string): string {
  return schema.name ? schema.name.slice(schema.name.lastIndexOf('.') + 1) : goName(fallback);
}

// ---- schema-driven decoding ----

interface Ctx {
  schemaFor: (apiVersion: string, kind: string) => ObjectSchema | undefined;
  depth: number;
}

/** Decodes one message into `target` (merging, as proto does when a message field repeats). */
function decodeMessage(r: Reader, schema: ObjectSchema, target: Record<string, unknown>, ctx: Ctx): void {
  if (ctx.depth > MAX_DEPTH) throw new WireError('proto: maximum nesting depth exceeded');
  const table = messageFields(schema).byNumber;
  const msgName = messageName(schema, 'Object');
  while (!r.done) {
    const { field, wire } = r.tag(msgName);
    const entry = table.get(field);
    if (!entry) {
      r.skip(wire, ctx.depth);
      continue;
    }
    if (entry.inline) {
      expectWire(wire, 2, goName(msgName));
      decodeMessage(r.sub(), entry.inline, target, { ...ctx, depth: ctx.depth + 1 });
      continue;
    }
    const { name, schema: prop } = entry;
    switch (prop.type) {
      case 'array': {
        const list = Array.isArray(target[name]) ? (target[name] as unknown[]) : [];
        readRepeated(r, wire, prop.items, name, list, ctx);
        if (list.length) target[name] = list;
        break;
      }
      case 'map': {
        expectWire(wire, 2, goName(name));
        const map = isPlainObject(target[name]) ? (target[name] as Record<string, unknown>) : {};
        readMapEntry(r.sub(), prop.values, name, map, { ...ctx, depth: ctx.depth + 1 });
        target[name] = map;
        break;
      }
      case 'object': {
        expectWire(wire, 2, goName(name));
        const obj = isPlainObject(target[name]) ? (target[name] as Record<string, unknown>) : {};
        decodeMessage(r.sub(), prop, obj, { ...ctx, depth: ctx.depth + 1 });
        target[name] = obj;
        break;
      }
      default: {
        const value = readSingle(r, wire, prop, name, ctx);
        if (value !== undefined) target[name] = value;
        else delete target[name];
      }
    }
  }
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One value read from the wire: a scalar, quantity, int-or-string, time or raw extension, or (as a list element or map value) a message, a wrapped list or a wrapped map. */
function readSingle(r: Reader, wire: number, schema: Schema, name: string, ctx: Ctx): unknown {
  const field = goName(name);
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'date-time') {
        expectWire(wire, 2, field);
        return readTime(r.sub(), MICRO_TIME_FIELDS.has(name));
      }
      expectWire(wire, 2, field);
      if (schema.format === 'byte') return Buffer.from(r.bytes()).toString('base64');
      if (schema.duration) return readDuration(r.sub());
      return r.string();
    }
    case 'integer':
      expectWire(wire, 0, field);
      return readInteger(r, schema.format);
    case 'boolean':
      expectWire(wire, 0, field);
      return r.varint64() !== 0n;
    case 'number':
      if (wire === 1) return r.fixed(8).getFloat64(0, true);
      if (wire === 5) return r.fixed(4).getFloat32(0, true);
      throw new WireError(`proto: wrong wireType = ${wire} for field ${field}`);
    case 'quantity':
      expectWire(wire, 2, field);
      return readQuantity(r.sub());
    case 'int-or-string':
      expectWire(wire, 2, field);
      return readIntOrString(r.sub());
    case 'any':
      expectWire(wire, 2, field);
      return readRawExtension(r.sub(), ctx);
    case 'either':
      expectWire(wire, 2, field);
      return readEither(r.sub(), schema, { ...ctx, depth: ctx.depth + 1 });
    case 'object': {
      expectWire(wire, 2, field);
      const obj: Record<string, unknown> = {};
      decodeMessage(r.sub(), schema, obj, { ...ctx, depth: ctx.depth + 1 });
      return obj;
    }
    case 'array': {
      // A list inside a list or a map: Go wraps it in a message {1 repeated items} (e.g. ExtraValue).
      expectWire(wire, 2, field);
      const inner = r.sub();
      const list: unknown[] = [];
      while (!inner.done) {
        const t = inner.tag(field);
        if (t.field === 1) readRepeated(inner, t.wire, schema.items, 'items', list, { ...ctx, depth: ctx.depth + 1 });
        else inner.skip(t.wire, ctx.depth + 1);
      }
      return list;
    }
    case 'map': {
      expectWire(wire, 2, field);
      const inner = r.sub();
      const map: Record<string, unknown> = {};
      while (!inner.done) {
        const t = inner.tag(field);
        if (t.field === 1) {
          expectWire(t.wire, 2, field);
          readMapEntry(inner.sub(), schema.values, name, map, { ...ctx, depth: ctx.depth + 1 });
        } else inner.skip(t.wire, ctx.depth + 1);
      }
      return map;
    }
  }
}

function readInteger(r: Reader, format: 'int32' | 'int64'): number {
  const v = r.varint64();
  return Number(format === 'int32' ? BigInt.asIntN(32, v) : BigInt.asIntN(64, v));
}

/** Appends the element(s) one occurrence of a repeated field carries (packed or not). */
function readRepeated(r: Reader, wire: number, items: Schema, name: string, list: unknown[], ctx: Ctx): void {
  if (items.type === 'integer' || items.type === 'boolean' || items.type === 'number') {
    if (wire === 2) {
      const packed = r.sub();
      const elemWire = items.type === 'number' ? 1 : 0;
      while (!packed.done) list.push(readSingle(packed, elemWire, items, name, ctx));
      return;
    }
    list.push(readSingle(r, wire, items, name, ctx));
    return;
  }
  if (items.type === 'object') {
    expectWire(wire, 2, goName(name));
    const obj: Record<string, unknown> = {};
    decodeMessage(r.sub(), items, obj, { ...ctx, depth: ctx.depth + 1 });
    list.push(obj);
    return;
  }
  const value = readSingle(r, wire, items, name, ctx);
  list.push(value === undefined ? null : value);
}

/** One map entry {1 key, 2 value}; a missing value is the zero value of its type. */
function readMapEntry(r: Reader, values: Schema, name: string, map: Record<string, unknown>, ctx: Ctx): void {
  if (ctx.depth > MAX_DEPTH) throw new WireError('proto: maximum nesting depth exceeded');
  let key = '';
  let value: unknown;
  let seen = false;
  while (!r.done) {
    const { field, wire } = r.tag(`${goName(name)}Entry`);
    if (field === 1) {
      expectWire(wire, 2, 'Key');
      key = r.string();
    } else if (field === 2) {
      seen = true;
      if (values.type === 'object') {
        expectWire(wire, 2, 'Value');
        const obj = isPlainObject(value) ? (value as Record<string, unknown>) : {};
        decodeMessage(r.sub(), values, obj, { ...ctx, depth: ctx.depth + 1 });
        value = obj;
      } else {
        // map[string][]string is map<string, ExtraValue{repeated string items = 1}>: readSingle unwraps it.
        value = readSingle(r, wire, values, name, ctx);
      }
    } else r.skip(wire, ctx.depth);
  }
  if (!seen) value = zeroValue(values);
  map[key] = value === undefined ? null : value;
}

function zeroValue(schema: Schema): unknown {
  switch (schema.type) {
    case 'string':
      return schema.format === 'date-time' ? null : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'quantity':
      return '0';
    case 'int-or-string':
      return 0;
    case 'object':
    case 'map':
      return {};
    case 'array':
    case 'any':
    case 'either':
      return null;
  }
}

/** The shape an `either` message holds, as its Go type marshals it: the list when not empty, else the object, else the boolean. */
function readEither(r: Reader, schema: EitherSchema, ctx: Ctx): unknown {
  if (ctx.depth > MAX_DEPTH) throw new WireError('proto: maximum nesting depth exceeded');
  let allows = false;
  let object: Record<string, unknown> | undefined;
  const list: unknown[] = [];
  while (!r.done) {
    const { field, wire } = r.tag(messageName(schema.object, 'Object'));
    if (field === schema.boolPb) {
      expectWire(wire, 0, 'Allows');
      allows = r.varint64() !== 0n;
    } else if (field === schema.objectPb) {
      expectWire(wire, 2, 'Schema');
      decodeMessage(r.sub(), schema.object, (object ??= {}), ctx);
    } else if (schema.list && field === schema.list.pb) readRepeated(r, wire, schema.list.items, '', list, ctx);
    else r.skip(wire, ctx.depth);
  }
  if (list.length) return list;
  if (object) return object;
  return schema.boolPb !== undefined ? allows : null;
}

/** metav1.Time / MicroTime {1 seconds, 2 nanos}; undefined for the zero time. */
/** metav1.Duration {1 nanoseconds}, as Go prints it (to the millisecond). */
function readDuration(r: Reader): string {
  let ns = 0n;
  while (!r.done) {
    const { field, wire } = r.tag('Duration');
    if (field === 1) {
      expectWire(wire, 0, 'Duration');
      ns = BigInt.asIntN(64, r.varint64());
    } else r.skip(wire, 0);
  }
  return goMillis(Number(ns / 1_000_000n));
}

function readTime(r: Reader, micro: boolean): string | undefined {
  if (r.done) return undefined; // Go writes the zero time as an empty message
  let seconds = 0n;
  let nanos = 0;
  while (!r.done) {
    const { field, wire } = r.tag('Timestamp');
    if (field === 1) {
      expectWire(wire, 0, 'Seconds');
      seconds = BigInt.asIntN(64, r.varint64());
    } else if (field === 2) {
      expectWire(wire, 0, 'Nanos');
      nanos = Number(BigInt.asIntN(32, r.varint64()));
    } else r.skip(wire, 0);
  }
  // metav1.Time keeps whole seconds only; MicroTime keeps the nanos (normalized as time.Unix does).
  if (!micro) nanos = 0;
  seconds += BigInt(Math.floor(nanos / 1e9));
  nanos = ((nanos % 1e9) + 1e9) % 1e9;
  if (seconds === BigInt(GO_ZERO_SECONDS) && nanos === 0) return undefined;
  return formatTime(seconds, nanos, micro);
}

function formatTime(seconds: bigint, nanos: number, micro: boolean): string {
  // Years 0000–9999 only, like Go's RFC 3339 JSON.
  if (seconds < -62167219200n || seconds > 253402300799n) throw new WireError('Time.MarshalJSON: year outside of range [0,9999]');
  const iso = new Date(Number(seconds) * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z in that range
  const base = iso.slice(0, 19);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

/** resource.Quantity {1 string}: the string, validated as ParseQuantity would; "0" when unset. */
function readQuantity(r: Reader): string {
  let value = '0';
  while (!r.done) {
    const { field, wire } = r.tag('Quantity');
    if (field === 1) {
      expectWire(wire, 2, 'String_');
      const s = r.string();
      if (!QUANTITY_RE.test(s)) throw new WireError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
      value = s;
    } else r.skip(wire, 0);
  }
  return value;
}

/** intstr.IntOrString {1 type (0 int, 1 string), 2 intVal, 3 strVal}. */
function readIntOrString(r: Reader): number | string {
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  while (!r.done) {
    const { field, wire } = r.tag('IntOrString');
    if (field === 1) {
      expectWire(wire, 0, 'Type');
      type = BigInt.asIntN(64, r.varint64());
    } else if (field === 2) {
      expectWire(wire, 0, 'IntVal');
      intVal = readInteger(r, 'int32');
    } else if (field === 3) {
      expectWire(wire, 2, 'StrVal');
      strVal = r.string();
    } else r.skip(wire, 0);
  }
  if (type === 0n) return intVal;
  if (type === 1n) return strVal;
  throw new WireError('impossible IntOrString.Type');
}

/** runtime.RawExtension (and FieldsV1, JSON) {1 raw}: the raw JSON, or a nested `k8s\0` object. */
function readRawExtension(r: Reader, ctx: Ctx): unknown {
  let raw: Uint8Array | undefined;
  while (!r.done) {
    const { field, wire } = r.tag('RawExtension');
    if (field === 1) {
      expectWire(wire, 2, 'Raw');
      raw = r.bytes();
    } else r.skip(wire, ctx.depth);
  }
  if (!raw || raw.length === 0) return undefined;
  if (raw.length >= MAGIC.length && MAGIC.every((b, i) => raw[i] === b)) {
    if (ctx.depth + 1 > MAX_DEPTH) throw new WireError('proto: maximum nesting depth exceeded');
    const env = readEnvelope(raw, ctx.depth + 1);
    const gvk = { ...parseApiVersion(env.apiVersion), kind: env.kind };
    const nested = decodeKind(env.raw, gvk, ctx.schemaFor, ctx.depth + 1);
    canonicalize(nested, ctx.schemaFor(apiVersionOf(gvk), gvk.kind)!);
    return nested;
  }
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(raw));
  } catch (err) {
    throw new WireError(`json: error calling MarshalJSON for type runtime.RawExtension: ${(err as Error).message}`);
  }
  // Deeper values (counting the messages around them) would break recursive code later.
  if (jsonDepth(value, MAX_JSON_DEPTH) + ctx.depth > MAX_JSON_DEPTH) throw new WireError('json: exceeded max depth');
  return value;
}

// ---- error wording ----

/** The apiserver's summarizeData(body, 30). */
function summarize(data: Uint8Array): string {
  if (data.length === 0) return '<empty>';
  const head = data.subarray(0, 30);
  const more = data.length > 30 ? ' ...' : '';
  if (data[0] === 0x7b) return utf8.decode(head) + more;
  return Buffer.from(head).toString('hex') + more;
}
