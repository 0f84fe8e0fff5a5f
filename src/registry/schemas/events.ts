// events.k8s.io/v1 Event (k8s.io/api/events/v1), as served by Kubernetes 1.32.
import { described, int32, obj, pb, ptr, str, time } from '../../api/schema.js';
import { eventSource, objectReference } from './core.js';
import { kind } from './meta.js';

const EVENTS = 'io.k8s.api.events.v1';

export const eventSeries = obj(`${EVENTS}.EventSeries`, 'Data about something that keeps happening; how often it is updated is up to the reporter.', {
  count: pb(1, int32('Occurrences in the series up to the last heartbeat.')),
  lastObservedTime: pb(2, time('When the last event of the series was seen before the last heartbeat (microsecond precision).')),
}, { required: ['count', 'lastObservedTime'] });

export const eventsV1Event = kind('events.k8s.io', 'v1', 'Event', EVENTS, 'A report of something that happened in the cluster, usually a state change; best-effort and short-lived.', {
  action: pb(6, str('Machine readable action taken, or failed, on the regarding object (at most 128 characters).')),
  deprecatedCount: pb(15, int32('Kept for compatibility with core/v1 Event count.')),
  deprecatedFirstTimestamp: pb(13, time('Kept for compatibility with core/v1 Event firstTimestamp.')),
  deprecatedLastTimestamp: pb(14, time('Kept for compatibility with core/v1 Event lastTimestamp.')),
  deprecatedSource: pb(12, described('Kept for compatibility with core/v1 Event source.', eventSource)),
  eventTime: pb(2, time('When the event was first observed (microsecond precision).')),
  note: pb(10, str('Human readable description of the status of the operation (at most 1kB).')),
  reason: pb(7, str('Human readable reason the action was taken (at most 128 characters).')),
  regarding: pb(8, described('The object this event is about, usually one the reporting controller implements.', objectReference)),
  related: pb(9, ptr(described('A secondary object involved in the action, if any.', objectReference))),
  reportingController: pb(4, str('Name of the controller that emitted the event, e.g. kubernetes.io/kubelet.')),
  reportingInstance: pb(5, str('ID of the emitting controller instance, e.g. kubelet-xyzf (at most 128 characters).')),
  series: pb(3, ptr(described('Data about the series this event belongs to; unset for a one-off event.', eventSeries))),
  type: pb(11, str('Normal or Warning; new types may be added.')),
}, { required: ['eventTime'] });
