// A small event recorder for the node agent (client-go's record.EventRecorder, in small): core/v1
// Events from component `kubelet` on this host; a repeat of the same event (object, reason,
// message, type) bumps count and lastTimestamp instead of writing a new one.
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import type { Event } from '../api/kinds.js';
import { formatTime, type KubeObject } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import { ZERO_TIME } from '../api/kinds.js';

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSink {
  event(ref: ObjectRef, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** The reference of a pod, or of one of its containers (`spec.containers{name}`). */
export function podRef(pod: KubeObject, fieldPath?: string): ObjectRef {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name!,
    uid: pod.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: pod.metadata.resourceVersion,
    ...(fieldPath ? { fieldPath } : {}),
  };
}

/** The kubelet's node reference: its UID is the node's name. */
export const nodeRef = (nodeName: string): ObjectRef => ({ kind: 'Node', name: nodeName, uid: nodeName });

const MAX_CACHED = 4096;

export class NodeEventRecorder implements EventSink {
  private readonly seen = new Map<string, { name: string; namespace: string; count: number }>();
  private chain: Promise<void> = Promise.resolve();
  private lastMs = 0;
  private seq = 0;

  constructor(
    private readonly client: Client,
    private readonly clock: Clock,
    private readonly host: string,
    private readonly component = 'kubelet',
  ) {}

  event(ref: ObjectRef, type: 'Normal' | 'Warning', reason: string, message: string): void {
    // Writes go one after another so repeats find the event the first one made.
    this.chain = this.chain.then(() => this.write(ref, type, reason, message)).catch((err) => {
      console.error(`badge: node: event ${reason} for ${ref.kind} ${ref.name}: ${(err as Error).message}`);
    });
  }

  /** Resolves once every event recorded so far is written (for tests and shutdown). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(ref: ObjectRef, type: string, reason: string, message: string): Promise<void> {
    const now = this.clock.now();
    const namespace = ref.namespace || 'default';
    const key = JSON.stringify([ref.kind, ref.namespace ?? '', ref.name, ref.uid ?? '', ref.fieldPath ?? '', type, reason, message]);
    const prior = this.seen.get(key);
    if (prior) {
      try {
        const updated = await this.client.mutate(R.events, prior.namespace, prior.name, (e) => ({ ...e, count: (e.count ?? 1) + 1, lastTimestamp: formatTime(now) }));
        prior.count = updated.count ?? prior.count + 1;
        return;
      } catch {
        this.seen.delete(key);
      }
    }
    // `<name>.<hex unix nanoseconds>`; a counter keeps events of one millisecond apart and in order.
    const ms = now.getTime();
    this.seq = ms === this.lastMs ? this.seq + 1 : 0;
    this.lastMs = ms;
    // The low digits are random: other recorders name events of the same object in the same tick.
    const name = `${ref.name}.${(BigInt(ms) * 1_000_000n + BigInt(this.seq) * 1000n + BigInt(Math.floor(Math.random() * 1000))).toString(16)}`;
    const involvedObject: ObjectReference = { kind: ref.kind, name: ref.name };
    if (ref.namespace) involvedObject.namespace = ref.namespace;
    if (ref.uid) involvedObject.uid = ref.uid;
    if (ref.apiVersion) involvedObject.apiVersion = ref.apiVersion;
    if (ref.resourceVersion) involvedObject.resourceVersion = ref.resourceVersion;
    if (ref.fieldPath) involvedObject.fieldPath = ref.fieldPath;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source: { component: this.component, host: this.host },
      firstTimestamp: formatTime(now),
      lastTimestamp: formatTime(now),
      count: 1,
      type,
      eventTime: ZERO_TIME,
      reportingComponent: this.component,
      reportingInstance: this.host,
    };
    await this.client.create(R.events, namespace, event);
    if (this.seen.size >= MAX_CACHED) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, { name, namespace, count: 1 });
  }
}
