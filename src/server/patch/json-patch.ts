// RFC 6902 JSON patch (application/json-patch+json) as kube-apiserver applies it: the behaviour of
// gopkg.in/evanphx/json-patch.v4, which accepts negative array indices, lets `replace` add a missing
// object member and `copy` a missing member as null, and the Status the apiserver
// (endpoints/handlers/patch.go) answers with:
//   - a body that is not a list of operations: 400 BadRequest with the Go decoder's message;
//   - more than 10000 operations: 413 RequestEntityTooLarge;
//   - any operation that cannot be applied: 422 Invalid with only the generic message
//     "the server rejected our request due to an error in our request" and empty details; the
//     library's own message (e.g. "testing value /a failed: test failed") is not sent, we keep it as
//     the error's `cause`.
//
// The work a patch causes is bounded: `copy` may add at most 3 MiB in all (JSONPatchMaxCopyBytes,
// the library's AccumulatedCopySizeLimit), add and remove inside arrays may move at most
// MAX_MOVED_ELEMENTS elements in all (Kubernetes has no such limit, only its request timeout), and
// the result nests at most MAX_JSON_DEPTH deep (past it Kubernetes fails to decode the result).
// Each is a 422 like any operation that cannot be applied.
import { ApiError, badRequest } from '../../api/errors.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../../api/json-values.js';

type Json = null | boolean | number | string | Json[] | JsonMap;
interface JsonMap {
  [key: string]: Json;
}
type Container = Json[] | JsonMap;
type Op = Record<string, unknown>;
interface State {
  root: Json;
  /** Bytes added by copy operations. */
  copied: number;
  /** Array elements moved aside by add and remove. */
  moved: number;
}

const MAX_OPERATIONS = 10000;
/** kube-apiserver's JSONPatchMaxCopyBytes. */
const MAX_COPY_BYTES = 3 * 1024 * 1024;
/** About a tenth of a second of moving; 10000 inserts at the front of a long array would take seconds. */
const MAX_MOVED_ELEMENTS = 50_000_000;
const REJECTED = 'the server rejected our request due to an error in our request';

/** Applies an RFC 6902 patch to a copy of `doc`; neither argument is modified. */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodePatch(patch);
  if (ops.length > MAX_OPERATIONS) {
    const why = `The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${ops.length}`;
    throw new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: ${why}`);
  }
  const state: State = { root: structuredClone(doc) as Json, copied: 0, moved: 0 };
  for (const op of ops) applyOp(state, op);
  if (jsonDepth(state.root, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) fail('exceeded max depth');
  return state.root;
}

/** The Go decoder reading the body into []Operation: `null` is an empty patch. */
function decodePatch(patch: unknown): Op[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) throw badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  return patch.map((op: unknown) => {
    if (op === null) return {};
    if (!isMap(op)) throw badRequest(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    return op;
  });
}

function applyOp(state: State, op: Op): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add': {
      const path = pathOf(op, 'add');
      const [parent, key] = parentOf(state.root, path) ?? fail(`add operation does not apply: doc is missing path: "${path}": missing value`);
      return wrap(`error in add for path: '${path}'`, () => addIn(state, parent, key, valueOf(op)));
    }
    case 'remove': {
      const path = pathOf(op, 'remove');
      const [parent, key] = parentOf(state.root, path) ?? fail(`remove operation does not apply: doc is missing path: "${path}": missing value`);
      return wrap(`error in remove for path: '${path}'`, () => removeIn(state, parent, key));
    }
    case 'replace': {
      const path = pathOf(op, 'replace');
      if (path === '') {
        const value = valueOf(op);
        if (value === null || typeof value !== 'object') fail('replace operation value must be object or array: %!w(<nil>)');
        state.root = value;
        return;
      }
      const [parent, key] = parentOf(state.root, path) ?? fail(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      if (Array.isArray(parent)) {
        const i = attempt(() => index(key, parent.length, false));
        if (typeof i !== 'number') fail(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        parent[i] = valueOf(op);
      } else put(parent, key, valueOf(op));
      return;
    }
    case 'move': {
      const from = fromOf(op, 'move');
      const [src, srcKey] = parentOf(state.root, from) ?? fail(`move operation does not apply: doc is missing from path: ${from}: missing value`);
      const value = wrap(`error in move for path: '${srcKey}'`, () => getIn(src, srcKey));
      wrap(`error in move for path: '${srcKey}'`, () => removeIn(state, src, srcKey));
      const path = pathOf(op, 'move');
      const [dst, dstKey] = parentOf(state.root, path) ?? fail(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
      return wrap(`error in move for path: '${path}'`, () => addIn(state, dst, dstKey, value ?? null));
    }
    case 'test': {
      const path = pathOf(op, 'test');
      const want = op.value === undefined ? null : (op.value as Json);
      let got: Json | undefined = state.root;
      if (path !== '') {
        const [parent, key] = parentOf(state.root, path) ?? fail(`test operation does not apply: is missing path: ${path}: missing value`);
        got = wrap(`error in test for path: '${path}'`, () => getIn(parent, key));
      }
      if (!jsonEqual(got ?? null, want)) fail(`testing value ${path} failed: test failed`);
      return;
    }
    case 'copy': {
      const from = fromOf(op, 'copy');
      const [src, srcKey] = parentOf(state.root, from) ?? fail(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
      const value = wrap(`error in copy for from: '${from}'`, () => getIn(src, srcKey));
      const path = pathOf(op, 'copy');
      const [dst, dstKey] = parentOf(state.root, path) ?? fail(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
      // The library measures a copy by its JSON; a value too deep to serialize is refused first.
      if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) fail('exceeded max depth');
      const text = JSON.stringify(value ?? null);
      if (value !== undefined) state.copied += Buffer.byteLength(text); // a missing member copies as nothing
      if (state.copied > MAX_COPY_BYTES) fail(`Unable to complete the copy, the accumulated size increase of copy is ${state.copied}, exceeding the limit ${MAX_COPY_BYTES}`);
      return wrap('error while adding value during copy', () => addIn(state, dst, dstKey, JSON.parse(text) as Json));
    }
    default:
      fail(`Unexpected kind: ${kind}`);
  }
}

// ---- reading an operation ----

function pathOf(op: Op, kind: string): string {
  const [path, err] = member(op, 'path');
  if (path !== undefined) return path;
  // add, remove and copy report the sentinel error only; the others wrap the decoding error.
  return fail(`${kind} operation failed to decode path: ${['add', 'remove', 'copy'].includes(kind) ? 'missing value' : err}`);
}

function fromOf(op: Op, kind: string): string {
  const [from, err] = member(op, 'from');
  return from ?? fail(`${kind} operation failed to decode from: ${err}`);
}

function member(op: Op, name: 'path' | 'from'): [string, ''] | [undefined, string] {
  const v = op[name];
  if (v === undefined || v === null) {
    return [undefined, name === 'path' ? 'operation missing path field: missing value' : 'operation, missing from field: missing value'];
  }
  if (typeof v !== 'string') return [undefined, `json: cannot unmarshal ${jsonKind(v)} into Go value of type string`];
  return [v, ''];
}

/** A missing `value` is null, as the library stores a nil node. The value is copied, never shared. */
const valueOf = (op: Op): Json => (op.value === undefined ? null : (structuredClone(op.value) as Json));

// ---- JSON pointers and containers ----

/** The container holding the last token of `path`, walking the tokens before it (missing, null or scalar: none). */
function parentOf(root: Json, path: string): [Container, string] | undefined {
  const tokens = path.split('/');
  if (tokens.length < 2) return undefined;
  let node: Json | undefined = root;
  for (const token of tokens.slice(1, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    const parent: Container = node;
    node = attempt(() => getIn(parent, unescape(token)));
  }
  if (node === null || typeof node !== 'object') return undefined;
  return [node, unescape(tokens[tokens.length - 1]!)];
}

const unescape = (token: string): string => token.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));

/** Failures inside a container operation; the caller prefixes them as the library does. */
class ContainerError extends Error {}

function index(key: string, length: number, adding: boolean): number {
  if (!/^[+-]?\d+$/.test(key)) {
    const syntax = `strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`;
    throw new ContainerError(adding ? `value was not a proper array index: '${key}': ${syntax}` : syntax);
  }
  const i = Number(key);
  const size = adding ? length + 1 : length;
  if (i >= size || i < -size) throw new ContainerError(`Unable to access invalid index: ${i}: invalid index referenced`);
  return i < 0 ? i + size : i;
}

function getIn(c: Container, key: string): Json | undefined {
  if (Array.isArray(c)) return c[index(key, c.length, false)];
  return Object.hasOwn(c, key) ? c[key] : undefined;
}

function addIn(state: State, c: Container, key: string, value: Json): void {
  if (!Array.isArray(c)) put(c, key, value);
  else if (key === '-') c.push(value);
  else {
    const i = index(key, c.length, true);
    moving(state, c.length - i);
    c.splice(i, 0, value);
  }
}

function removeIn(state: State, c: Container, key: string): void {
  if (Array.isArray(c)) {
    const i = index(key, c.length, false);
    moving(state, c.length - i - 1);
    c.splice(i, 1);
    return;
  }
  if (!Object.hasOwn(c, key)) throw new ContainerError(`Unable to remove nonexistent key: ${key}: missing value`);
  delete c[key];
}

function moving(state: State, elements: number): void {
  state.moved += elements;
  if (state.moved > MAX_MOVED_ELEMENTS) fail(`add and remove operations would move more than ${MAX_MOVED_ELEMENTS} array elements`);
}

function put(m: JsonMap, key: string, value: Json): void {
  Object.defineProperty(m, key, { value, writable: true, enumerable: true, configurable: true });
}

// ---- errors and small helpers ----

function fail(cause: string): never {
  const err = new ApiError(422, 'Invalid', REJECTED, {});
  err.cause = new Error(cause);
  throw err;
}

function wrap<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ContainerError) fail(`${prefix}: ${e.message}`);
    throw e;
  }
}

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof ContainerError) return undefined;
    throw e;
  }
}

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i] as Json));
  if (!isMap(a) || !isMap(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k] as Json, b[k] as Json));
}
