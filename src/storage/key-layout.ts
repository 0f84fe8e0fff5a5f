// kube-apiserver's key layout, `/registry/<resource prefix>/[<namespace>/]<name>`, and the move of
// what earlier Badge versions stored elsewhere. A resource prefix is one segment (the plural, or a
// special prefix: `controllers`, `minions`, `ingress`) or two: `services/specs`,
// `services/endpoints`, and `<group>/<plural>` for the resources the apiextensions and aggregator
// servers store (CRDs, APIServices, custom resources). Badge before this layout kept
// ReplicationControllers under `replicationcontrollers`, Ingresses under `ingresses`, CRDs and
// APIServices under their plural, and custom resources under `<plural>` beside any built-in
// resource or other CRD of that plural. At start, before anything serves, every such key is moved
// (value as it is, in the same store): the new key created if absent, then the old deleted if
// unchanged, so that a crash midway is finished by the next start and two servers doing it at
// once agree. Only keys whose object belongs to the moved resource's group move (an old prefix
// may hold a custom resource's objects beside a built-in's). Servers of the earlier version must
// be stopped first: one still writing old keys would be lost to this one. Once every key has
// moved, LAYOUT_KEY (outside /registry, as the cluster's bootstrap data) records it, and later
// starts read that one key instead of scanning the CRDs and the old prefixes again.
import { isObject, splitApiVersion } from '../api/meta.js';
import type { KeyValue, Storage } from './storage.js';

export const REGISTRY_PREFIX = '/registry/';

/**
 * The resource prefix a key or list prefix belongs to (`/registry/pods/`,
 * `/registry/services/specs/`, `/registry/example.com/widgets/`), or undefined when it names
 * none (`/registry/`, `/registry/services/`).
 */
export function resourcePrefixOf(key: string): string | undefined {
  if (!key.startsWith(REGISTRY_PREFIX)) return undefined;
  const parts = key.slice(REGISTRY_PREFIX.length).split('/');
  // A first segment with a dot is a group (resources and namespaces have none).
  const n = parts[0]!.includes('.') || parts[0] === 'services' ? 2 : 1;
  return parts.length > n && parts.slice(0, n).every(Boolean) ? `${REGISTRY_PREFIX}${parts.slice(0, n).join('/')}/` : undefined;
}

/** Objects of `group` under `/registry/<from>/` belong under `/registry/<to>/`. */
interface Move {
  from: string;
  to: string;
  group: string;
}

const CRDS: Move = { from: 'customresourcedefinitions', to: 'apiextensions.k8s.io/customresourcedefinitions', group: 'apiextensions.k8s.io' };
/** kube-apiserver's SpecialDefaultResourcePrefixes and the aggregator's group-qualified prefix, where Badge's differed. */
const BUILT_IN: Move[] = [
  { from: 'replicationcontrollers', to: 'controllers', group: '' },
  { from: 'ingresses', to: 'ingress', group: 'networking.k8s.io' },
  { from: 'apiservices', to: 'apiregistration.k8s.io/apiservices', group: 'apiregistration.k8s.io' },
];
const PAGE = 500;

/** Holds LAYOUT once the store's keys are all in kube-apiserver's layout. */
export const LAYOUT_KEY = '/bootstrap/key-layout';
const LAYOUT = 'kube-apiserver';

export interface MoveResult {
  moved: number;
  /** Old keys left where they are: their new key holds an object of another group. */
  held: string[];
}

/**
 * Moves every key of the earlier layout to kube-apiserver's. `builtIns` are the built-in
 * resources: a CRD of one's group and plural never had objects of its own (the built-in was
 * served), so nothing is moved for it.
 */
export async function moveToKubeLayout(storage: Storage, builtIns: ReadonlyArray<{ group: string; resource: string }>, log: (line: string) => void = () => undefined): Promise<MoveResult> {
  const result: MoveResult = { moved: 0, held: [] };
  if ((await storage.get(LAYOUT_KEY))?.value === LAYOUT) return result;
  const builtIn = new Set(builtIns.map((r) => `${r.group}/${r.resource}`));
  await moveAll(storage, CRDS, result);
  // The custom resources before the built-ins: a CR plural may be a built-in's new prefix (`ingress`).
  for await (const kv of keysUnder(storage, `${REGISTRY_PREFIX}${CRDS.to}/`)) {
    const spec = parse(kv.value)?.spec as { group?: unknown; names?: { plural?: unknown } } | undefined;
    const group = spec?.group;
    const plural = spec?.names?.plural;
    if (typeof group !== 'string' || typeof plural !== 'string' || !group || !plural || builtIn.has(`${group}/${plural}`)) continue;
    await moveAll(storage, { from: plural, to: `${group}/${plural}`, group }, result);
  }
  for (const move of BUILT_IN) await moveAll(storage, move, result);
  if (result.moved) log(`moved ${result.moved} keys to kube-apiserver's key layout`);
  for (const key of result.held) log(`${key} not moved: its new key holds an object of another resource (the next start tries again)`);
  // Another server may have recorded it first: create-if-absent either way.
  if (!result.held.length) await storage.create(LAYOUT_KEY, LAYOUT);
  return result;
}

function parse(value: string): Record<string, unknown> | undefined {
  try {
    const obj: unknown = JSON.parse(value);
    return isObject(obj) ? obj : undefined;
  } catch {
    return undefined;
  }
}

/** The API group of a stored object; undefined when the value is not one. */
function groupOf(value: string): string | undefined {
  const apiVersion = parse(value)?.apiVersion;
  return typeof apiVersion === 'string' ? splitApiVersion(apiVersion).group : undefined;
}

/** The keys under `prefix`, a page at a time. */
async function* keysUnder(storage: Storage, prefix: string): AsyncGenerator<KeyValue> {
  let startKey: string | undefined;
  for (;;) {
    const page = await storage.list(prefix, { limit: PAGE, startKey });
    yield* page.kvs;
    if (!page.more || !page.kvs.length) return;
    startKey = `${page.kvs[page.kvs.length - 1]!.key}\x00`;
  }
}

async function moveAll(storage: Storage, move: Move, result: MoveResult): Promise<void> {
  const from = `${REGISTRY_PREFIX}${move.from}/`;
  const to = `${REGISTRY_PREFIX}${move.to}/`;
  for await (const kv of keysUnder(storage, from)) {
    if (groupOf(kv.value) !== move.group) continue;
    if (await moveKey(storage, kv, to + kv.key.slice(from.length), move.group)) result.moved++;
    else result.held.push(kv.key);
  }
}

/** Moves one key; false when its new key holds an object of another group (left for a later start). */
async function moveKey(storage: Storage, kv: KeyValue, key: string, group: string): Promise<boolean> {
  const copy = await storage.create(key, kv.value);
  if (!copy) {
    // Moved already (a move interrupted after the copy, or another server's at the same time): the old key is left over.
    const there = await storage.get(key);
    if (there && groupOf(there.value) !== group) return false;
    await storage.delete(kv.key, kv.modRevision);
    return true;
  }
  const gone = await storage.delete(kv.key, kv.modRevision);
  // The old key was gone before the copy was made: another server had moved it, and the object was
  // deleted since at its new key. The copy would bring it back: it is deleted again.
  if (!gone.succeeded && !gone.current && !(await existedAt(storage, kv.key, copy.modRevision))) await storage.delete(key, copy.modRevision);
  return true;
}

/** Whether `key` existed at `revision` (a compacted revision counts as yes: nothing is deleted on a guess). */
async function existedAt(storage: Storage, key: string, revision: number): Promise<boolean> {
  try {
    return (await storage.list(key, { revision, limit: 1 })).kvs[0]?.key === key;
  } catch {
    return true;
  }
}
