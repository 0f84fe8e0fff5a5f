// What a client may ask of a resource (list, watch, write and delete options) and what it gets
// back: the shapes the Client interface, the registry's stores and the HTTP handlers share.
import type { Status } from './errors.js';
import type { Clock, Random } from './clock.js';
import type { KubeObject } from './meta.js';
import type { UserInfo } from './user.js';

export interface GetOptions {
  /** "" (unset): the latest, read from the storage; "0": any; N: not older than N (the watch cache may answer). */
  resourceVersion?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** How often bookmarks are sent (default one minute, as the watch cache does). */
  bookmarkIntervalMs?: number;
}

export type ApiWatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

/**
 * Takes a watch's events. A sink that cannot take more yet returns a promise: the initial events
 * wait for it (the client reads them at its own pace); later events do not.
 */
export type WatchSink<T extends KubeObject = KubeObject> = (e: ApiWatchEvent<T>) => void | Promise<void>;
export type WatchStop = () => void;

export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export interface WriteOptions {
  dryRun?: boolean;
  /** The object's managedFields come from server-side apply, which recorded this write itself. */
  applied?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult<T extends KubeObject = KubeObject> {
  object: T;
  /** Gone from storage now (false while finalizers or a grace period hold it). */
  deleted: boolean;
}

export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** How a write changes the object it read: return the object to store. */
export type Mutation<T extends KubeObject = KubeObject> = (current: T) => T | Promise<T>;

/** Who is asking, and the injectable clock and randomness. */
export interface OpContext {
  user: UserInfo;
  clock: Clock;
  random: Random;
  /**
   * The manager a create, update or patch is recorded under in managedFields: the request's
   * fieldManager, else its User-Agent up to the first `/` (kubectl's `kubectl-edit`, a
   * component's `kube-controller-manager`); `unknown` when empty.
   */
  fieldManager?: string;
  /** Texts for the Warning headers of the request's reply, where it has one. */
  warnings?: string[];
  /**
   * Audit annotations admission adds (ValidatingAdmissionPolicy's Audit action and auditAnnotations),
   * as kube-apiserver's audit event carries them: the request's audit event reads them here.
   */
  auditAnnotations?: Record<string, string>;
}
