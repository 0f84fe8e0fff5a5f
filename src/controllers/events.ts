// Event recorders, as client-go's give them to controllers.
//
// `eventRecorder` is tools/record: core/v1 Events named `<object>.<hex nanoseconds>` in the
// object's namespace, with source.component and reportingComponent set to the controller's name;
// a repeat of the same event (same source, object, type, reason and message) is not a new Event
// but the old one with count+1 and a new lastTimestamp; a token bucket per source, object, type
// and reason (burst 25, one more every 5 minutes) drops floods.
//
// `eventsV1Recorder` is tools/events, which the scheduler uses: events.k8s.io/v1 Events with
// eventTime, action, reportingController and reportingInstance `<controller>-<host>`; the first
// repeat turns an Event into a series (count 2), later repeats update the series every 6 minutes.
import type { Clock } from '../api/clock.js';
import { formatMicroTime, formatTime, type KubeObject } from '../api/meta.js';
import { R, ref, type Client } from '../client/client.js';
import { isNotFound } from '../api/errors.js';
import type { CoreEvent, ObjectReference } from '../api/events.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** Records an event about `involvedObject`; never fails (events are best effort). */
  record(involvedObject: KubeObject, type: EventType, reason: string, message: string, component: string): Promise<void>;
  /** Resolves once every event recorded so far is written. */
  flush(): Promise<void>;
}

const EVENTS_V1 = ref('events.k8s.io', 'v1', 'events');

/** The cache of aggregated events (client-go keeps an LRU of 4096). */
const CACHE_SIZE = 4096;
/** The spam filter: a bucket of 25 events per source and object, refilled at 1/300 s. */
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
/** events.k8s.io series are written again at most this often. */
const SERIES_REFRESH_MS = 6 * 60_000;

/** ref.GetReference of an object: what involvedObject/regarding holds. */
export function objectReference(o: KubeObject): ObjectReference {
  const r: ObjectReference = {
    kind: o.kind,
    namespace: o.metadata.namespace,
    name: o.metadata.name,
    uid: o.metadata.uid,
    apiVersion: o.apiVersion,
    resourceVersion: o.metadata.resourceVersion,
  };
  for (const k of Object.keys(r) as (keyof ObjectReference)[]) if (!r[k]) delete r[k];
  return r;
}

/** `<name>.<hex unix nanoseconds>`: unique per clock tick; a counter separates events in the same millisecond. */
function eventNamer(clock: Clock) {
  let lastMs = 0;
  let seq = 0;
  return (objectName: string): string => {
    const ms = clock.now().getTime();
    seq = ms === lastMs ? seq + 1 : 0;
    lastMs = ms;
    const nanos = BigInt(ms) * 1_000_000n + BigInt(seq) * 1000n;
    return `${objectName}.${nanos.toString(16)}`;
  };
}

/** A bounded map: the oldest entry goes when it is full. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
  values(): IterableIterator<V> {
    return this.map.values();
  }
}

interface Aggregate {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
}

export function eventRecorder({ client, clock }: { client: Client; clock: Clock }): EventRecorder {
  const cache = new Lru<Aggregate>(CACHE_SIZE);
  const buckets = new Lru<{ tokens: number; at: number }>(CACHE_SIZE);
  const nameFor = eventNamer(clock);
  let tail: Promise<void> = Promise.resolve();

  /** Whether the spam filter lets this event through (takes a token). */
  function allowed(key: string): boolean {
    const now = clock.now().getTime();
    const b = buckets.get(key) ?? { tokens: SPAM_BURST, at: now };
    b.tokens = Math.min(SPAM_BURST, b.tokens + (now - b.at) / SPAM_REFILL_MS);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    buckets.set(key, b);
    return ok;
  }

  async function write(obj: KubeObject, type: EventType, reason: string, message: string, component: string): Promise<void> {
    const involved = objectReference(obj);
    const namespace = involved.namespace || 'default';
    const source = [component, '', involved.kind, involved.namespace, involved.name, involved.uid, involved.apiVersion];
    if (!allowed([...source, type, reason].join('\u0000'))) return;
    const key = [...source, '', type, reason, message].join('\u0000');
    const now = formatTime(clock.now());
    const seen = cache.get(key);
    if (seen) {
      seen.count++;
      try {
        await client.mutate(R.events, seen.namespace, seen.name, (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: undefined }, count: seen.count, lastTimestamp: now }));
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // The Event expired: write it again under the same name, with the count so far.
      }
    }
    const agg = seen ?? { namespace, name: nameFor(involved.name ?? ''), count: 1, firstTimestamp: now };
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: agg.name, namespace },
      involvedObject: involved,
      reason,
      message,
      source: { component },
      firstTimestamp: agg.firstTimestamp,
      lastTimestamp: now,
      count: agg.count,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: '',
    };
    await client.create(R.events, namespace, event);
    cache.set(key, agg);
  }

  return {
    record(obj, type, reason, message, component) {
      const done = tail.then(() => write(obj, type, reason, message, component)).catch((err) => {
        // A namespace going away refuses new Events; anything else is worth a line.
        if ((err as { code?: number }).code !== 403) console.error(`badge: event ${reason} for ${obj.kind} ${obj.metadata.name}: ${(err as Error).message}`);
      });
      tail = done;
      return done;
    },
    flush: () => tail,
  };
}

// ---- events.k8s.io/v1 (tools/events) ----

export interface EventsV1Recorder {
  /** Records an event about `regarding` (and optionally `related`). */
  record(regarding: KubeObject, related: KubeObject | undefined, type: EventType, reason: string, action: string, note: string): Promise<void>;
  flush(): Promise<void>;
  stop(): void;
}

interface Series {
  namespace: string;
  name: string;
  count: number;
  lastObservedTime: string;
  dirty: boolean;
}

export function eventsV1Recorder({ client, clock, reportingController, host }: { client: Client; clock: Clock; reportingController: string; host: string }): EventsV1Recorder {
  const reportingInstance = `${reportingController}-${host}`;
  const cache = new Lru<Series>(CACHE_SIZE);
  const nameFor = eventNamer(clock);
  let tail: Promise<void> = Promise.resolve();

  async function writeSeries(s: Series): Promise<void> {
    s.dirty = false;
    try {
      await client.mutate(EVENTS_V1, s.namespace, s.name, (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: undefined }, series: { count: s.count, lastObservedTime: s.lastObservedTime } }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async function write(regarding: KubeObject, related: KubeObject | undefined, type: EventType, reason: string, action: string, note: string): Promise<void> {
    const reg = objectReference(regarding);
    const rel = related ? objectReference(related) : undefined;
    const key = JSON.stringify([action, reason, reportingController, reg, rel ?? null]);
    const now = formatMicroTime(clock.now());
    const seen = cache.get(key);
    if (seen) {
      seen.count = Math.max(2, seen.count + 1);
      seen.lastObservedTime = now;
      if (seen.count === 2) await writeSeries(seen);
      else seen.dirty = true;
      return;
    }
    const namespace = reg.namespace || 'default';
    const name = nameFor(reg.name ?? '');
    await client.create(EVENTS_V1, namespace, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: now,
      reportingController,
      reportingInstance,
      action,
      reason,
      regarding: reg,
      ...(rel ? { related: rel } : {}),
      note,
      type,
    });
    cache.set(key, { namespace, name, count: 1, lastObservedTime: now, dirty: false });
  }

  const enqueue = (fn: () => Promise<void>, what: string) => {
    const done = tail.then(fn).catch((err) => {
      if ((err as { code?: number }).code !== 403) console.error(`badge: event ${what}: ${(err as Error).message}`);
    });
    tail = done;
    return done;
  };

  const timer = setInterval(() => {
    for (const s of cache.values()) if (s.dirty) void enqueue(() => writeSeries(s), `series ${s.name}`);
  }, SERIES_REFRESH_MS);
  timer.unref();

  return {
    record: (regarding, related, type, reason, action, note) => enqueue(() => write(regarding, related, type, reason, action, note), `${reason} for ${regarding.metadata.name}`),
    flush: () => tail,
    stop: () => clearInterval(timer),
  };
}
