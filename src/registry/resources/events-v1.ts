// events.k8s.io/v1 Event: the newer shape of the same stored objects as core/v1 Events
// (pkg/apis/events/v1/conversion.go: regarding ⇄ involvedObject, note ⇄ message,
// reportingController ⇄ reportingComponent, deprecated* ⇄ source, firstTimestamp, lastTimestamp, count).
import type { KubeObject } from '../../api/meta.js';
import type { ResourceDef } from '../resource.js';
import { eventsV1Event } from '../schemas/events.js';
import { completeCoreEvent, EVENT_TTL_SECONDS, eventCells, events, eventTable, legacyValidateEvent, objectRefFields, strictValidateEvent, strictValidateEventUpdate } from './events.js';
import type { CoreEvent, ObjectReference } from '../../api/events.js';

interface EventV1 extends KubeObject {
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string | null };
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  reason?: string;
  regarding?: ObjectReference;
  related?: ObjectReference;
  note?: string;
  type?: string;
  deprecatedSource?: { component?: string; host?: string };
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedCount?: number;
}

/** Drops the keys whose value is undefined (Go's omitempty of unset fields). */
function compact<T extends KubeObject>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** events.k8s.io/v1 → core/v1 (the stored form). */
export function toCoreEvent(obj: KubeObject): CoreEvent {
  const e = obj as EventV1;
  const core: CoreEvent = compact({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding,
    reason: e.reason,
    message: e.note,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime,
    series: e.series,
    action: e.action,
    related: e.related,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
  });
  completeCoreEvent(core);
  return core;
}

/** core/v1 (the stored form) → events.k8s.io/v1, with the zero values Go writes. */
export function fromCoreEvent(obj: KubeObject): EventV1 {
  const e = obj as CoreEvent;
  return compact<EventV1>({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    series: e.series,
    reportingController: e.reportingComponent || undefined,
    reportingInstance: e.reportingInstance || undefined,
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject ?? {},
    related: e.related,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source ?? {},
    deprecatedFirstTimestamp: e.firstTimestamp ?? null,
    deprecatedLastTimestamp: e.lastTimestamp ?? null,
    deprecatedCount: e.count,
  });
}

const v1 = (o: KubeObject) => o as EventV1;

export const eventsV1: ResourceDef = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  schema: eventsV1Event,
  storedAs: { def: () => events, toStored: toCoreEvent, fromStored: fromCoreEvent },
  ttlSeconds: EVENT_TTL_SECONDS,
  allowCreateOnUpdate: true,
  // The legacy rules plus the strict ones of the newer API, checked on the core form (so the
  // paths name core fields, as upstream's do).
  validate: (o) => {
    const core = toCoreEvent(structuredClone(o));
    return [...legacyValidateEvent(core), ...strictValidateEvent(core)];
  },
  validateUpdate: (o, old) => {
    const core = toCoreEvent(structuredClone(o));
    return [...legacyValidateEvent(core), ...strictValidateEventUpdate(core, toCoreEvent(structuredClone(old)))];
  },
  // AddFieldLabelConversionsForEvent of events.k8s.io/v1.
  fields: {
    ...objectRefFields('regarding', (o) => v1(o).regarding),
    reason: (o) => v1(o).reason ?? '',
    reportingController: (o) => v1(o).reportingController ?? '',
    source: (o) => v1(o).deprecatedSource?.component || v1(o).reportingController || '',
    type: (o) => v1(o).type ?? '',
  },
  table: { columns: eventTable.columns, cells: (o, now) => eventCells(toCoreEvent(structuredClone(o)), now) },
};
