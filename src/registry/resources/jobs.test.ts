import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { jobs } from './jobs.js';
import { clone, rejection, testRegistry, type TestRegistry } from './testing.js';

function backupJob(name = 'backup-job'): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: {
        spec: { serviceAccountName: 'backup-job-sa', containers: [{ name: 'backup', image: 'backup-tool:latest', command: ['./backup.sh'] }], restartPolicy: 'OnFailure' },
      },
    },
  };
}

type Spec = Record<string, unknown> & { template: { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> } };
const spec = (o: KubeObject) => o.spec as Spec;

describe('jobs', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([jobs]);
  });
  after(() => t.close());

  it('defaults a Job and generates its selector and labels from the uid', async () => {
    const created = await t.store(jobs).create(t.ctx, 'default', backupJob());
    const uid = created.metadata.uid!;
    const s = spec(created);
    assert.deepEqual(
      [s.completions, s.parallelism, s.backoffLimit, s.completionMode, s.suspend, s.podReplacementPolicy, s.manualSelector],
      [1, 1, 6, 'NonIndexed', false, 'TerminatingOrFailed', false],
    );
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'backup-job', 'controller-uid': uid, 'job-name': 'backup-job' };
    assert.deepEqual(s.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.deepEqual(s.template.metadata?.labels, labels);
    assert.deepEqual(created.metadata.labels, labels, 'a Job without labels shows its template labels');
    assert.deepEqual(created.status, {});
    assert.equal(created.metadata.generation, 1);
  });

  it('keeps its own labels and a manual selector', async () => {
    const o = backupJob('manual');
    o.metadata.labels = { team: 'ops' };
    Object.assign(spec(o), { manualSelector: true, selector: { matchLabels: { run: 'me' } } });
    spec(o).template.metadata = { labels: { run: 'me' } };
    const created = await t.store(jobs).create(t.ctx, 'default', o);
    assert.deepEqual(created.metadata.labels, { team: 'ops' });
    assert.deepEqual(spec(created).selector, { matchLabels: { run: 'me' } });
    assert.deepEqual(spec(created).template.metadata?.labels, { run: 'me' });
  });

  it('defaults parallelism alone when completions is set, and backoffLimit with backoffLimitPerIndex', () => {
    const o = backupJob();
    Object.assign(spec(o), { completions: 5, completionMode: 'Indexed', backoffLimitPerIndex: 1, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } });
    jobs.defaults!(o);
    const s = spec(o);
    assert.deepEqual([s.completions, s.parallelism, s.backoffLimit, s.podReplacementPolicy], [5, 1, 2147483647, 'Failed']);
    assert.deepEqual((s.podFailurePolicy as { rules: { onPodConditions: unknown[] }[] }).rules[0]!.onPodConditions, [{ type: 'DisruptionTarget', status: 'True' }]);
  });

  const cases: { name: string; change: (o: KubeObject) => void; message: string }[] = [
    {
      name: 'restartPolicy Always',
      change: (o) => (spec(o).template.spec.restartPolicy = 'Always'),
      message: 'Job.batch "bad" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    },
    {
      name: 'no restartPolicy (defaulted to Always)',
      change: (o) => delete spec(o).template.spec.restartPolicy,
      message: 'Job.batch "bad" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    },
    {
      name: 'OnFailure with a pod failure policy',
      change: (o) => (spec(o).podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] }),
      message: 'Job.batch "bad" is invalid: spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    },
    {
      name: 'negative counts',
      change: (o) => Object.assign(spec(o), { parallelism: -1, backoffLimit: -2 }),
      message: 'Job.batch "bad" is invalid: [spec.parallelism: Invalid value: -1: must be greater than or equal to 0, spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0]',
    },
    {
      name: 'Indexed without completions',
      change: (o) => Object.assign(spec(o), { completionMode: 'Indexed', parallelism: 2 }),
      message: 'Job.batch "bad" is invalid: spec.completions: Required value: when completion mode is Indexed',
    },
    {
      name: 'backoffLimitPerIndex on a NonIndexed Job',
      change: (o) => Object.assign(spec(o), { backoffLimitPerIndex: 1 }),
      message: 'Job.batch "bad" is invalid: spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
    },
    {
      name: 'a manual selector that does not match the template',
      change: (o) => Object.assign(spec(o), { manualSelector: true, selector: { matchLabels: { a: 'b' } } }),
      message: 'Job.batch "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, async () => {
      const o = backupJob('bad');
      c.change(o);
      assert.equal(await rejection(t.store(jobs).create(t.ctx, 'default', o)), c.message);
    });
  }

  it('refuses a generated selector with the wrong uid', async () => {
    const o = backupJob('wrong-uid');
    spec(o).selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'nope' } };
    const msg = await rejection(t.store(jobs).create(t.ctx, 'default', o));
    assert.match(msg, /^Job\.batch "wrong-uid" is invalid: \[spec\.selector: Invalid value: v1\.LabelSelector\{MatchLabels:map\[string\]string\{"batch\.kubernetes\.io\/controller-uid":"nope"\}, MatchExpressions:\[\]v1\.LabelSelectorRequirement\(nil\)\}: `selector` not auto-generated, spec\.template\.metadata\.labels: Invalid value: map\[string\]string\{.*\}: `selector` does not match template `labels`\]$/);
  });

  it('keeps completions, selector and template immutable', async () => {
    const store = t.store(jobs);
    const created = await store.create(t.ctx, 'default', backupJob('frozen'));
    const more = clone(created);
    spec(more).completions = 3;
    assert.equal(await rejection(store.update(t.ctx, 'default', 'frozen', more)), 'Job.batch "frozen" is invalid: spec.completions: Invalid value: 3: field is immutable');
    const image = clone(created);
    (spec(image).template.spec.containers as { image: string }[])[0]!.image = 'backup-tool:v2';
    assert.match(await rejection(store.update(t.ctx, 'default', 'frozen', image)), /^Job\.batch "frozen" is invalid: spec\.template: Invalid value: .*: field is immutable$/);
    const bumped = clone(created);
    spec(bumped).backoffLimit = 3;
    const ok = await store.update(t.ctx, 'default', 'frozen', bumped);
    assert.equal(ok.object.metadata.generation, 2);
  });

  it('lets a suspended Job that never started change its node selector and labels', async () => {
    const store = t.store(jobs);
    const o = backupJob('suspended');
    spec(o).suspend = true;
    const created = await store.create(t.ctx, 'default', o);
    const moved = clone(created);
    spec(moved).template.spec.nodeSelector = { disk: 'ssd' };
    spec(moved).template.metadata!.labels!.extra = 'yes';
    const updated = await store.update(t.ctx, 'default', 'suspended', moved);
    assert.deepEqual(spec(updated.object).template.spec.nodeSelector, { disk: 'ssd' });
  });

  it('selects on status.successful and prints the printJob cells', () => {
    const o = backupJob();
    o.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    jobs.defaults!(o);
    const now = new Date('2024-05-01T10:01:00Z');
    assert.deepEqual(cellsOf(jobs, o, now), ['backup-job', 'Running', '0/1', '', '60s', 'backup', 'backup-tool:latest', '<none>']);
    o.status = { succeeded: 1, startTime: '2024-05-01T10:00:05Z', completionTime: '2024-05-01T10:00:35Z', conditions: [{ type: 'Complete', status: 'True' }] };
    assert.deepEqual(cellsOf(jobs, o, now).slice(1, 4), ['Complete', '1/1', '30s']);
    assert.equal(jobs.fields!['status.successful']!(o), '1');
    const rows: [Record<string, unknown>, Record<string, unknown>, string, string][] = [
      [{ completions: undefined, parallelism: 3 }, {}, '0/1 of 3', 'Running'],
      [{ completions: undefined, parallelism: 1 }, { conditions: [{ type: 'Failed', status: 'True' }] }, '0/1', 'Failed'],
      [{}, { conditions: [{ type: 'Suspended', status: 'True' }] }, '0/1', 'Suspended'],
      [{}, { conditions: [{ type: 'FailureTarget', status: 'True' }] }, '0/1', 'FailureTarget'],
      [{}, { conditions: [{ type: 'Complete', status: 'False' }, { type: 'Complete', status: 'True' }] }, '0/1', 'Running'],
    ];
    for (const [specChange, status, completions, state] of rows) {
      const j = backupJob();
      jobs.defaults!(j);
      Object.assign(spec(j), specChange);
      j.status = status;
      assert.deepEqual(cellsOf(jobs, j, now).slice(1, 3), [state, completions]);
    }
    const deleting = backupJob();
    deleting.metadata.deletionTimestamp = '2024-05-01T10:00:50Z';
    assert.equal(cellsOf(jobs, deleting, now)[1], 'Terminating');
    const running = backupJob();
    running.status = { startTime: '2024-05-01T09:58:00Z' };
    assert.equal(cellsOf(jobs, running, now)[3], '3m');
  });
});
