import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { events } from './events.js';
import { eventsV1, fromCoreEvent, toCoreEvent } from './events-v1.js';
import { messageOf, rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const coreEvent = (name: string, fields: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' }, ...fields });
const involved = { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u-1', apiVersion: 'v1', fieldPath: 'spec.containers{web}' };
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000).toISOString().replace('.000Z', 'Z');

describe('events (core/v1)', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([events, eventsV1]);
  });
  after(() => t.close());

  it('stores an event with the zero values Go writes', async () => {
    const created = await t.store(events).create(
      t.ctx,
      'default',
      coreEvent('web-1.1', { involvedObject: involved, reason: 'Pulled', message: 'Pulled image', type: 'Normal', source: { component: 'kubelet', host: 'node-1' }, count: 3, firstTimestamp: at(-600), lastTimestamp: at(-60) }),
    );
    assert.equal(created.eventTime, null);
    assert.equal(created.reportingComponent, '');
    assert.equal(created.reportingInstance, '');
    assert.deepEqual(events.table!.cells(created, T0), ['60s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{web}', 'kubelet, node-1', 'Pulled image', '10m', 3, 'web-1.1']);
  });

  it('has the ten printEvent columns, five of them wide', () => {
    assert.deepEqual(
      events.table!.columns.map((c) => `${c.name}:${c.priority}`),
      ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1'],
    );
  });

  it('prints new-style events from eventTime and series', () => {
    const e = coreEvent('x', { involvedObject: { kind: 'Node' }, eventTime: '2024-05-01T09:59:00.000000Z', reportingComponent: 'scheduler', reportingInstance: 'sched-1', message: ' hi \n' });
    assert.deepEqual(events.table!.cells(e, T0), ['60s', '', '', 'node', '', 'scheduler, sched-1', 'hi', '60s', 1, 'x']);
    const series = { ...e, series: { count: 7, lastObservedTime: '2024-05-01T09:59:50.000000Z' } };
    assert.deepEqual(events.table!.cells(series, T0).slice(0, 1).concat(events.table!.cells(series, T0).slice(8, 9)), ['10s', 7]);
    assert.equal(events.table!.cells(coreEvent('y', {}), T0)[0], '<unknown>');
  });

  it('selects by the fields kubectl describe uses, in any order', async () => {
    const store = t.store(events);
    await store.create(t.ctx, 'default', coreEvent('other', { involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-2', uid: 'u-2' }, reason: 'Killing', type: 'Warning' }));
    const select = async (fieldSelector: string) => (await store.list(t.ctx, 'default', { fieldSelector })).items.map((i) => i.metadata.name);
    assert.deepEqual(await select('involvedObject.name=web-1,involvedObject.namespace=default,involvedObject.kind=Pod,involvedObject.uid=u-1'), ['web-1.1']);
    assert.deepEqual(await select('involvedObject.uid=u-2,involvedObject.kind=Pod'), ['other']);
    assert.deepEqual(await select('type=Warning'), ['other']);
    assert.deepEqual(await select('source=kubelet,reason=Pulled'), ['web-1.1']);
    assert.deepEqual(await select('involvedObject.fieldPath=spec.containers{web}'), ['web-1.1']);
    assert.equal(await rejection(select('regarding.name=web-1')), 'field label not supported: regarding.name');
  });

  it('keeps the legacy namespace rule', async () => {
    const bad = coreEvent('mismatch', { involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' } });
    assert.equal(await rejection(t.store(events).create(t.ctx, 'default', bad)), 'Event "mismatch" is invalid: involvedObject.namespace: Invalid value: "other": does not match event.namespace');
    const newStyle = coreEvent('new', { involvedObject: { kind: 'Node', name: 'n' }, eventTime: '2024-05-01T10:00:00.000000Z' });
    assert.equal(
      await rejection(t.store(events).create(t.ctx, 'default', newStyle)),
      'Event "new" is invalid: [reportingController: Required value, reportingController: Invalid value: "": name part must be non-empty, reportingController: Invalid value: "": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\'), reportingInstance: Required value, action: Required value, reason: Required value]',
    );
  });

  it('accepts any path-segment name and creates on PUT', async () => {
    const { created, object } = await t.store(events).update(t.ctx, 'default', 'Web.1', coreEvent('Web.1', { involvedObject: { kind: 'Pod', namespace: 'default', name: 'w' } }));
    assert.equal(created, true);
    assert.equal(object.metadata.name, 'Web.1');
  });
});

describe('events (events.k8s.io/v1)', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([events, eventsV1]);
  });
  after(() => t.close());

  const v1Event = (name: string, fields: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    eventTime: '2024-05-01T09:59:00.000000Z',
    reportingController: 'example.com/controller',
    reportingInstance: 'controller-1',
    action: 'Scale',
    reason: 'Scaled',
    regarding: { kind: 'Deployment', namespace: 'default', name: 'web' },
    note: 'scaled to 3',
    type: 'Normal',
    ...fields,
  });

  it('is the same stored object as the core Event, with the upstream field mapping', async () => {
    const created = await t.store(eventsV1).create(t.ctx, 'default', v1Event('scaled'));
    assert.equal(created.apiVersion, 'events.k8s.io/v1');
    assert.deepEqual(created.regarding, { kind: 'Deployment', namespace: 'default', name: 'web' });
    assert.deepEqual([created.deprecatedSource, created.deprecatedFirstTimestamp, created.deprecatedLastTimestamp], [{}, null, null]);
    const core = await t.store(events).get(t.ctx, 'default', 'scaled');
    assert.deepEqual(
      { involvedObject: core.involvedObject, message: core.message, reportingComponent: core.reportingComponent, reportingInstance: core.reportingInstance, action: core.action, source: core.source, firstTimestamp: core.firstTimestamp },
      { involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web' }, message: 'scaled to 3', reportingComponent: 'example.com/controller', reportingInstance: 'controller-1', action: 'Scale', source: {}, firstTimestamp: null },
    );
    assert.deepEqual(eventsV1.table!.cells(created, T0), ['60s', 'Normal', 'Scaled', 'deployment/web', '', 'example.com/controller, controller-1', 'scaled to 3', '60s', 1, 'scaled']);
  });

  it('shows core events in the v1 shape', async () => {
    await t.store(events).create(t.ctx, 'default', coreEvent('legacy', { involvedObject: involved, reason: 'Pulled', message: 'm', source: { component: 'kubelet' }, count: 2, firstTimestamp: at(-5), lastTimestamp: at(-1) }));
    const v1 = await t.store(eventsV1).get(t.ctx, 'default', 'legacy');
    assert.deepEqual(v1, fromCoreEvent(await t.store(events).get(t.ctx, 'default', 'legacy')));
    assert.deepEqual([v1.note, v1.deprecatedCount, v1.deprecatedSource, v1.eventTime, v1.reportingController], ['m', 2, { component: 'kubelet' }, null, undefined]);
    assert.deepEqual(toCoreEvent(structuredClone(v1)).involvedObject, involved);
  });

  it('selects with the events.k8s.io field names', async () => {
    const select = async (fieldSelector: string) => (await t.store(eventsV1).list(t.ctx, 'default', { fieldSelector })).items.map((i) => i.metadata.name).sort();
    assert.deepEqual(await select('regarding.kind=Deployment,regarding.name=web'), ['scaled']);
    assert.deepEqual(await select('reportingController=example.com/controller'), ['scaled']);
    assert.deepEqual(await select('source=kubelet'), ['legacy']);
    assert.equal(await rejection(select('involvedObject.name=web')), 'field label not supported: involvedObject.name');
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['an unknown type', { type: 'Info' }, 'type: Invalid value: "": has invalid value: Info'],
    ['no eventTime', { eventTime: undefined }, 'eventTime: Required value'],
    ['a deprecated count', { deprecatedCount: 2 }, 'count: Invalid value: "": needs to be unset'],
    ['a series of one', { series: { count: 1, lastObservedTime: '2024-05-01T09:59:00.000000Z' } }, 'series.count: Invalid value: "": should be at least 2'],
    ['no action', { action: '' }, 'action: Required value'],
  ];
  for (const [name, fields, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(eventsV1).create(t.ctx, 'default', v1Event('bad', fields))), `Event.events.k8s.io "bad" is invalid: ${message}`);
    });
  }

  it('refuses changes to the immutable fields', async () => {
    const store = t.store(eventsV1);
    const updated = await store.guaranteedUpdate(t.ctx, 'default', 'scaled', (cur) => ({ ...cur, series: { count: 2, lastObservedTime: '2024-05-01T10:00:00.000000Z' } }));
    assert.equal((updated.series as { count: number }).count, 2);
    assert.equal(
      await rejection(store.guaranteedUpdate(t.ctx, 'default', 'scaled', (cur) => ({ ...cur, note: 'changed', action: 'Other' }))),
      'Event.events.k8s.io "scaled" is invalid: [message: Invalid value: "changed": field is immutable, action: Invalid value: "Other": field is immutable]',
    );
  });

  it('lets new-style events name an object in another namespace', () => {
    assert.equal(messageOf(eventsV1.validate!(v1Event('x', { regarding: { kind: 'Pod', namespace: 'other' } }), undefined as never)), '');
  });
});
