// CronJobs with the real kubectl: kubectl create cronjob, the table kubectl get shows, a schedule
// the API refuses, kubectl create job --from=cronjob/… (which kubectl builds on its side) and the
// controller's Jobs; and a finished Job's ttlSecondsAfterFinished.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

/** A table row: cells separated by at least two spaces. */
const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

describe('e2e: CronJobs with the real kubectl', () => {
  let b: Badge;

  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('creates a CronJob and lists it with its schedule', async () => {
    assert.equal(await b.ok(['create', 'cronjob', 'x', '--image=busybox', '--schedule=0 0 1 1 *']), 'cronjob.batch/x created\n');
    const table = await b.ok(['get', 'cronjobs']);
    assert.match(table, row('NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'));
    assert.match(table, row('x', '0 0 1 1 \\*', '<none>', 'False', '0', '<none>', '\\d+s'));
    const wide = await b.ok(['get', 'cj', 'x', '-o', 'wide']);
    assert.match(wide, row('NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'));
    assert.match(wide, row('x', '0 0 1 1 \\*', '<none>', 'False', '0', '<none>', '\\d+s', 'x', 'busybox', '<none>'));
    assert.match(await b.ok(['get', 'all']), /^cronjob\.batch\/x /m);
  });

  it('refuses an unparseable schedule with the message Kubernetes gives', async () => {
    const r = await b.kubectl(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=bad']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: failed to create cronjob: CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]\n');
  });

  it('kubectl create job --from=cronjob/x makes a Job the CronJob owns', async () => {
    assert.equal(await b.ok(['create', 'job', 'y', '--from=cronjob/x']), 'job.batch/y created\n');
    const job = JSON.parse(await b.ok(['get', 'job', 'y', '-o', 'json']));
    assert.equal(job.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.deepEqual(
      job.metadata.ownerReferences.map((r: Record<string, unknown>) => [r.apiVersion, r.kind, r.name, r.controller]),
      [['batch/v1', 'CronJob', 'x', true]],
    );
    assert.equal(job.spec.template.spec.containers[0].image, 'busybox');
  });

  it('the CronJob controller creates the Job of a scheduled time', async () => {
    await b.ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=@every 2s']);
    const end = Date.now() + 30_000;
    let names = '';
    while (!/^tick-\d+$/m.test(names) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      names = (await b.ok(['get', 'jobs', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}'])).trim();
    }
    assert.match(names, /^tick-\d+$/m);
    assert.equal(await b.ok(['delete', 'cronjob', 'tick']), 'cronjob.batch "tick" deleted\n');
  });

  it('a Job with ttlSecondsAfterFinished: 0 is deleted once it completes', async () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' }, spec: { ttlSecondsAfterFinished: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
    const r = await b.kubectl(['create', '-f', '-'], { stdin: JSON.stringify(job) });
    assert.equal(r.stdout, 'job.batch/once created\n', r.stderr);
    const end = Date.now() + 30_000;
    let out = '';
    while (!out.includes('NotFound') && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      out = (await b.kubectl(['get', 'job', 'once'])).stderr;
    }
    assert.equal(out, 'Error from server (NotFound): jobs.batch "once" not found\n');
  });
});
