// core/v1 Event: a short-lived report about an object, removed an hour after its last write.
// events.k8s.io/v1 Events (events-v1.ts) are the same stored objects seen through another shape.
import { invalid, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { isDNS1123Subdomain, isQualifiedName } from '../../api/validation.js';
import { column, nameColumn } from '../columns.js';
import type { ResourceDef, TableDef } from '../resource.js';
import { event } from '../schemas/core.js';
import { goNil, goStringStruct, goValue, type GoStringer } from './go-values.js';
import { age } from '../../api/duration.js';
import type { CoreEvent, ObjectReference } from '../../api/events.js';

export const EVENT_TTL_SECONDS = 3600;

const ev = (o: KubeObject) => o as CoreEvent;

/**
 * What Go always writes for a core/v1 Event: the zero times as null, the empty involvedObject and
 * source structs, and the two reporting fields without omitempty.
 */
export function completeCoreEvent(o: KubeObject): void {
  const e = ev(o);
  e.involvedObject ??= {};
  e.source ??= {};
  e.firstTimestamp ??= null;
  e.lastTimestamp ??= null;
  e.eventTime ??= null;
  e.reportingComponent ??= '';
  e.reportingInstance ??= '';
}

// ---- validation (pkg/apis/core/validation/events.go) ----

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;
const byteLen = (s: string | undefined) => Buffer.byteLength(s ?? '', 'utf8');

/** legacyValidateEvent: what every Event must satisfy, whichever API wrote it. */
export function legacyValidateEvent(o: KubeObject): FieldError[] {
  const e = ev(o);
  const errs: FieldError[] = [];
  const namespace = o.metadata.namespace ?? '';
  const involvedNamespace = e.involvedObject?.namespace ?? '';
  const mismatch = () => invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (!e.eventTime) {
    // Old-style events: the namespaces agree (or the object is cluster-scoped and the event in default).
    if (!involvedNamespace) {
      if (namespace !== '' && namespace !== 'default') errs.push(mismatch());
    } else if (namespace !== involvedNamespace) errs.push(mismatch());
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch());
    const controller = e.reportingComponent ?? '';
    if (!controller) errs.push(required('reportingController'));
    for (const msg of isQualifiedName(controller)) errs.push(invalid('reportingController', controller, msg));
    if (!e.reportingInstance) errs.push(required('reportingInstance'));
    if (byteLen(e.reportingInstance) > REPORTING_INSTANCE_LIMIT) errs.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    if (!e.action) errs.push(required('action'));
    if (byteLen(e.action) > ACTION_LIMIT) errs.push(invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
    if (!e.reason) errs.push(required('reason'));
    if (byteLen(e.reason) > REASON_LIMIT) errs.push(invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if (byteLen(e.message) > NOTE_LIMIT) errs.push(invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(invalid('namespace', namespace, msg));
  return errs;
}

// ---- Go values in immutable-field errors (events.k8s.io updates) ----

/** time.Time.String() of an RFC 3339 timestamp, or null for the zero time. */
export function goTimeValue(t: string | null | undefined): GoStringer {
  const ms = t ? Date.parse(t) : NaN;
  if (Number.isNaN(ms)) return goValue(null, '0001-01-01 00:00:00 +0000 UTC');
  const frac = /\.(\d+)/.exec(t!)?.[1]?.replace(/0+$/, '') ?? '';
  const iso = new Date(ms).toISOString();
  return goValue(t, `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`);
}

/** %#v of a core.ObjectReference. */
export function goObjectReference(r: ObjectReference | undefined, pointer = false): GoStringer | string {
  if (!r) return pointer ? goNil() : goObjectReference({});
  const fields: [string, string | undefined][] = [
    ['Kind', r.kind],
    ['Namespace', r.namespace],
    ['Name', r.name],
    ['UID', r.uid],
    ['APIVersion', r.apiVersion],
    ['ResourceVersion', r.resourceVersion],
    ['FieldPath', r.fieldPath],
  ];
  return goStringStruct('core.ObjectReference', fields, r);
}

const goEventSource = (s: CoreEvent['source']) => goStringStruct('core.EventSource', [['Component', s?.component], ['Host', s?.host]], s ?? {});

/** validateV1EventSeries */
export function validateSeries(o: KubeObject): FieldError[] {
  const series = ev(o).series;
  if (!series) return [];
  const errs: FieldError[] = [];
  if ((series.count ?? 0) < 2) errs.push(invalid('series.count', '', 'should be at least 2'));
  if (!series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  return errs;
}

/** The checks events.k8s.io/v1 adds on create (ValidateEventCreate for newer API versions). */
export function strictValidateEvent(o: KubeObject): FieldError[] {
  const e = ev(o);
  const errs = validateSeries(o);
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.firstTimestamp) errs.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (e.lastTimestamp) errs.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (e.count) errs.push(invalid('count', '', 'needs to be unset'));
  if (e.source?.component || e.source?.host) errs.push(invalid('source', '', 'needs to be unset'));
  return errs;
}

/** The checks events.k8s.io/v1 adds on update: most fields never change. */
export function strictValidateEventUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const e = ev(o);
  const p = ev(old);
  const errs: FieldError[] = [];
  if (JSON.stringify(e.series ?? null) !== JSON.stringify(p.series ?? null)) errs.push(...validateSeries(o));
  const REF_KEYS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;
  const sameRef = (a: ObjectReference | undefined, b: ObjectReference | undefined) => REF_KEYS.every((k) => (a?.[k] ?? '') === (b?.[k] ?? ''));
  const sameSource = (a: CoreEvent['source'], b: CoreEvent['source']) => (a?.component ?? '') === (b?.component ?? '') && (a?.host ?? '') === (b?.host ?? '');
  const immutable = (changed: boolean, path: string, value: unknown) => {
    if (changed) errs.push(invalid(path, value, 'field is immutable'));
  };
  const time = (a: string | null | undefined, b: string | null | undefined) => (a ? Date.parse(a) : 0) === (b ? Date.parse(b) : 0);
  immutable(!sameRef(e.involvedObject, p.involvedObject), 'involvedObject', goObjectReference(e.involvedObject));
  immutable((e.reason ?? '') !== (p.reason ?? ''), 'reason', e.reason ?? '');
  immutable((e.message ?? '') !== (p.message ?? ''), 'message', e.message ?? '');
  immutable(!sameSource(e.source, p.source), 'source', goEventSource(e.source));
  immutable(!time(e.firstTimestamp, p.firstTimestamp), 'firstTimestamp', goTimeValue(e.firstTimestamp));
  immutable(!time(e.lastTimestamp, p.lastTimestamp), 'lastTimestamp', goTimeValue(e.lastTimestamp));
  immutable((e.count ?? 0) !== (p.count ?? 0), 'count', e.count ?? 0);
  immutable((e.reason ?? '') !== (p.reason ?? ''), 'reason', e.reason ?? '');
  immutable((e.type ?? '') !== (p.type ?? ''), 'type', e.type ?? '');
  immutable(!time(e.eventTime, p.eventTime), 'eventTime', goTimeValue(e.eventTime));
  immutable((e.action ?? '') !== (p.action ?? ''), 'action', e.action ?? '');
  immutable(!e.related !== !p.related || !sameRef(e.related, p.related), 'related', goObjectReference(e.related, true));
  immutable((e.reportingComponent ?? '') !== (p.reportingComponent ?? ''), 'reportingController', e.reportingComponent ?? '');
  immutable((e.reportingInstance ?? '') !== (p.reportingInstance ?? ''), 'reportingInstance', e.reportingInstance ?? '');
  return errs;
}

// ---- fields and table (printers.go printEvent) ----

/** ToSelectableFields of a core event. */
const REF_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;

/** Field selectors on an object reference of an event: `<prefix>.kind`, `<prefix>.name`, … */
export function objectRefFields(prefix: string, ref: (o: KubeObject) => Partial<Record<(typeof REF_FIELDS)[number], string>> | undefined): Record<string, (o: KubeObject) => string> {
  return Object.fromEntries(REF_FIELDS.map((f) => [`${prefix}.${f}`, (o: KubeObject) => ref(o)?.[f] ?? '']));
}

export const eventFields: Record<string, (o: KubeObject) => string> = {
  ...objectRefFields('involvedObject', (o) => ev(o).involvedObject),
  reason: (o) => ev(o).reason ?? '',
  reportingComponent: (o) => ev(o).reportingComponent ?? '',
  source: (o) => ev(o).source?.component || ev(o).reportingComponent || '',
  type: (o) => ev(o).type ?? '',
};

/** The ten cells of printEvent (the server always sends the wide ones). */
export function eventCells(o: KubeObject, now: Date): unknown[] {
  const e = ev(o);
  const first = e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime, now);
  let last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = age(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // singleton events of the new API have no count
  }
  const involved = e.involvedObject ?? {};
  const kind = (involved.kind ?? '').toLowerCase();
  const target = involved.name ? `${kind}/${involved.name}` : kind;
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  const source = instance ? `${component}, ${instance}` : component;
  return [last, e.type ?? '', e.reason ?? '', target, involved.fieldPath ?? '', source, (e.message ?? '').trim(), first, count, o.metadata.name];
}

export const eventTable: TableDef = {
  columns: [
    column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    column('Object', 'The object that this event is about.'),
    column('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', { priority: 1 }),
    column('Source', 'The component reporting this event. Should be a short machine understandable string.', { priority: 1 }),
    column('Message', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { priority: 1 }),
    column('Count', 'The number of times this event has occurred.', { priority: 1 }),
    { ...nameColumn, priority: 1 },
  ],
  cells: eventCells,
};

export const events: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  schema: event,
  // Events get only the generic path-segment name check.
  nameRule: 'path-segment',
  ttlSeconds: EVENT_TTL_SECONDS,
  allowCreateOnUpdate: true,
  defaults: completeCoreEvent,
  // core/v1 keeps the legacy rules only, for old clients.
  validate: legacyValidateEvent,
  validateUpdate: legacyValidateEvent,
  fields: eventFields,
  table: eventTable,
};
