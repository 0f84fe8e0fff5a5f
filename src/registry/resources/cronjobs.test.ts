import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { cronjobs } from './cronjobs.js';
import { rejection, testRegistry, type TestRegistry } from './testing.js';

type Obj = Record<string, any>;

function cronJob(name = 'nightly', spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'x', image: 'busybox' }] } } } }, ...spec },
  };
}

describe('cronjobs', () => {
  let t: TestRegistry;
  const create = (o: KubeObject) => t.store(cronjobs).create(t.ctx, 'default', o);
  before(() => {
    t = testRegistry([cronjobs]);
  });
  after(() => t.close());

  it('defaults the policy, suspend, history limits and the pod template, and clears the status', async () => {
    const o = cronJob();
    o.status = { lastScheduleTime: '2024-01-01T00:00:00Z' };
    const created = await create(o);
    const spec = created.spec as Obj;
    assert.deepEqual([spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
    assert.equal(spec.jobTemplate.spec.template.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.jobTemplate.spec.backoffLimit, undefined, "a Job's own defaults wait for the Job");
    assert.deepEqual(created.status, {});
    assert.equal(created.metadata.generation, 1);
  });

  it("refuses bad schedules, time zones and templates with Kubernetes' messages", async () => {
    const cases: [string, Obj, string][] = [
      ['bad', { schedule: 'bad' }, 'spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]'],
      ['empty', { schedule: '' }, 'spec.schedule: Required value'],
      ['tz', { schedule: 'TZ=UTC 0 * * * *' }, 'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
      ['mars', { timeZone: 'Mars/Base' }, 'spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base'],
      ['local', { timeZone: 'Local' }, 'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones, spec.timeZone: Invalid value: "Local": unknown time zone Local'],
      ['policy', { concurrencyPolicy: 'Sometimes' }, 'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
      ['deadline', { startingDeadlineSeconds: -1 }, 'spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0'],
    ];
    for (const [name, spec, message] of cases) {
      const msg = await rejection(create(cronJob(name, spec)));
      assert.equal(msg.replace(/^.*?is invalid: /, '').replace(/^\[(.*)\]$/, '$1'), message, name);
    }
    const always = cronJob('always');
    (always.spec as Obj).jobTemplate.spec.template.spec.restartPolicy = 'Always';
    assert.match(await rejection(create(always)), /spec\.jobTemplate\.spec\.template\.spec\.restartPolicy: Required value: valid values: "OnFailure", "Never"/);
    const selector = cronJob('selector');
    Object.assign((selector.spec as Obj).jobTemplate.spec, { selector: { matchLabels: { a: 'b' } }, manualSelector: true });
    const msg = await rejection(create(selector));
    assert.match(msg, /spec\.jobTemplate\.spec\.selector: Invalid value: .*: `selector` will be auto-generated/);
    assert.match(msg, /spec\.jobTemplate\.spec\.manualSelector: Unsupported value: true: supported values: "nil", "false"/);
    const long = 'x'.repeat(53);
    assert.equal(await rejection(create(cronJob(long))), `CronJob.batch "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 52 characters`);
    await create(cronJob('berlin', { timeZone: 'Europe/Berlin', schedule: '@daily' }));
  });

  it('shows the schedule, time zone, suspend, active Jobs and last schedule', () => {
    const now = new Date('2024-05-01T10:01:00Z');
    const o = cronJob();
    Object.assign(o.metadata, { creationTimestamp: '2024-05-01T10:00:00Z' });
    Object.assign(o.spec as Obj, { suspend: false });
    assert.deepEqual(cellsOf(cronjobs, o, now), ['nightly', '*/1 * * * *', '<none>', 'False', 0, '<none>', '60s', 'x', 'busybox', '<none>']);
    Object.assign(o.spec as Obj, { timeZone: 'UTC', suspend: true });
    o.status = { active: [{ name: 'nightly-1' }], lastScheduleTime: '2024-05-01T10:00:30Z' };
    assert.deepEqual(cellsOf(cronjobs, o, now).slice(1, 6), ['*/1 * * * *', 'UTC', 'True', 1, '30s']);
  });
});
