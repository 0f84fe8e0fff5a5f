// What one resource says about itself. Each file in registry/resources/ exports one ResourceDef;
// the generic store, the HTTP handlers, discovery and OpenAPI read everything from it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FieldError } from '../api/field-errors.js';
import type { GroupVersionKind, KubeObject } from '../api/meta.js';
import type { ObjectSchema } from '../api/schema.js';
import type { NameRule } from '../api/validation.js';
import type { Registry } from './registry.js';
import type { Store } from './store.js';
import type { OpContext } from '../api/operations.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];


export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 1 for the columns `-o wide` adds. */
  priority: 0 | 1;
}

export interface TableDef {
  columns: TableColumn[];
  /** One cell per column, wide ones included. */
  cells(obj: KubeObject, now: Date): unknown[];
}

export interface SubresourceContext {
  ctx: OpContext;
  namespace: string;
  name: string;
  query: URLSearchParams;
  dryRun: boolean;
  /** The parent resource's store. */
  store: Store;
  registry: Registry;
  /** Texts for Warning headers of the reply. */
  warnings: string[];
}

/** An upgraded connection (WebSocket, SPDY): the raw socket and what was read past the headers. */
export interface Upgrade {
  socket: Socket;
  head: Buffer;
}

/** What a connect subresource gets: the raw request, to stream a reply or switch protocols. */
export interface ConnectContext extends SubresourceContext {
  req: IncomingMessage;
  /** For replies over HTTP (also on an upgrade request, where it writes to the socket). */
  res: ServerResponse;
  /** The request's verb as authorized: get (GET, HEAD), create (POST), … */
  verb: string;
  /** Set when the request asked to switch protocols. */
  upgrade?: Upgrade;
}

/** A subresource with behaviour of its own (status and scale are built in; token, finalize, … are not). */
export interface Subresource {
  /** The kind it reads and writes (defaults to the parent's): discovery, OpenAPI and decoding use it. */
  schema?: ObjectSchema;
  verbs: Verb[];
  /**
   * A connecter (pods/log, pods/exec, …): answers the request itself, for every verb in `verbs`,
   * streaming or over an upgraded connection. The other hooks are not used then.
   */
  connect?(c: ConnectContext): Promise<void>;
  get?(s: SubresourceContext): Promise<KubeObject>;
  /** POST */
  create?(s: SubresourceContext, body: KubeObject): Promise<KubeObject>;
  /** PUT (and PATCH, through get + update) */
  update?(s: SubresourceContext, body: KubeObject): Promise<KubeObject>;
}

export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  /** Plural, lower case: the URL segment. */
  resource: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  verbs?: Verb[];
  /** What discovery lists, in this order, when not the served verbs sorted (custom resources: the discovery controller's list). */
  discoveryVerbs?: string[];
  /** The kind's schema: OpenAPI, unknown-field checks, patch keys and protobuf all come from it. */
  schema: ObjectSchema;
  /** Key prefix under /registry when it is not the plural: kube-apiserver's special prefixes (services/specs, minions, controllers, ingress, …) and `<group>/<plural>` (CRDs, APIServices, custom resources). */
  storagePrefix?: string;
  /** Another served version of the same stored objects (events.k8s.io/v1 Event is a v1 Event). */
  storedAs?: { def: () => ResourceDef; toStored(obj: KubeObject): KubeObject; fromStored(obj: KubeObject): KubeObject };

  /** Defaults applied to every object written (creates, updates and patch results). */
  defaults?(obj: KubeObject): void;
  /**
   * Runs after mutating admission on a create or update, before the strategy: what takes shared
   * resources, as the Service REST storage allocates cluster IPs (kube-apiserver's BeginCreate and
   * BeginUpdate).
   */
  begin?(write: BeginWrite): Promise<void>;
  prepareForCreate?(obj: KubeObject, ctx: OpContext): void;
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: OpContext): void;
  /** The status strategy's PrepareForUpdate, on /status writes (after the rest of the object is reset to the old one). */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject, ctx: OpContext): void;
  validate?(obj: KubeObject, ctx: OpContext): FieldError[];
  /** Warnings a valid create gets (a strategy's WarningsOnCreate), sent to the request's warnings. */
  warningsOnCreate?(obj: KubeObject): string[];
  /** `subresource` is '' for the main resource, else the subresource writing (status, binding, …). */
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: OpContext, subresource: string): FieldError[];
  /**
   * Metadata is checked by apimachinery's ValidateObjectMeta alone, as the apiextensions-apiserver
   * checks its own kinds: a finalizer name without '/' need not be a standard one.
   */
  genericObjectMeta?: boolean;
  /** Name rules; DNS-1123 subdomain when absent. */
  nameRule?: NameRule;

  /** `spec` changes bump metadata.generation. */
  hasGeneration?: boolean;
  /** What counts as a change of the spec for generation (default: `spec` differs; custom resources: anything outside metadata and status). */
  specChanged?(obj: KubeObject, old: KubeObject): boolean;
  /** Runs on every object read from storage (a custom resource's defaults, which are not persisted). */
  read?(obj: KubeObject): void;
  /** A Warning header every request to the resource gets (a deprecated custom resource version). */
  warning?: string;
  /** Unstructured objects (custom resources): JSON and YAML only, never protobuf; no strategic merge patch. */
  unstructured?: boolean;
  /** A status subresource: the main resource ignores status, `/status` ignores the rest. */
  hasStatus?: boolean;
  /** Create keeps the status it is sent (a Node registers with its status). */
  keepStatusOnCreate?: boolean;
  /** /status may also change annotations (a Deployment's revision annotation, as upstream's status strategy allows). */
  statusUpdatesAnnotations?: boolean;
  /** PUT of a missing object creates it. */
  allowCreateOnUpdate?: boolean;
  /** PUT without metadata.resourceVersion is allowed (default true). */
  allowUnconditionalUpdate?: boolean;
  /** DELETE answers with the deleted object instead of a Status. */
  returnDeletedObject?: boolean;
  /** Grace period for graceful deletion; undefined or 0 deletes at once. */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number;
  /** Marks an object whose deletion has started (a namespace becomes Terminating). */
  markDeleting?(obj: KubeObject): void;
  /** Something besides metadata.finalizers still holds a deleted object (a namespace's spec.finalizers). */
  deletionBlocked?(obj: KubeObject): boolean;
  /** Why a DELETE of this name is Forbidden, whether or not it exists (a system PriorityClass); undefined: allowed. */
  deleteForbidden?(name: string): string | undefined;
  /** Objects are removed after this many seconds (events). */
  ttlSeconds?: number;

  /** Extra field selectors beyond metadata.name and metadata.namespace. */
  fields?: Record<string, (obj: KubeObject) => string>;
  table?: TableDef;
  subresources?: Record<string, Subresource>;
  /** A virtual resource (reviews): create computes a reply and stores nothing. */
  createOnly?(obj: KubeObject, ctx: OpContext, namespace: string): Promise<KubeObject>;
  /** A read-only resource computed on every read from live figures (the metrics API): get and list only, nothing stored. */
  live?: LiveResource;
}

/** What a live resource's reads get besides their arguments. */
export interface LiveContext {
  ctx: OpContext;
  registry: Registry;
}

export interface LiveResource {
  get(c: LiveContext, namespace: string, name: string): Promise<KubeObject>;
  /**
   * The objects of `namespace` ('' for every namespace) matching `labelSelector`, in order; the
   * handler applies the field selector (metadata.name, metadata.namespace).
   */
  list(c: LiveContext, namespace: string, labelSelector: string | undefined): Promise<KubeObject[]>;
}

export const listKind = (def: ResourceDef) => `${def.kind}List`;

/** The kind a subresource reads and writes. */
export function subresourceKind(def: ResourceDef, sub: Subresource): GroupVersionKind {
  return sub.schema?.gvk?.[0] ?? { group: def.group, version: def.version, kind: def.kind };
}
export const groupResource = (def: ResourceDef) => ({ group: def.group, resource: def.resource });
export const verbsOf = (def: ResourceDef): Verb[] => def.verbs ?? (def.createOnly ? ['create'] : def.live ? ['get', 'list'] : ALL_VERBS);
/** Objects of its own are stored: not a review, not figures, not another resource's objects in another shape. */
export const isStored = (def: ResourceDef): boolean => !def.createOnly && !def.live && !def.storedAs;

/** A create or update as a resource's begin hook sees it. */
export interface BeginWrite {
  operation: 'CREATE' | 'UPDATE';
  object: KubeObject;
  oldObject?: KubeObject;
  namespace: string;
  subresource: string;
  ctx: OpContext;
  dryRun: boolean;
  /** The resource's own store (to see what its other objects hold). */
  store: Store;
}
