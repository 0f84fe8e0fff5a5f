import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { parseSince, readAuditLog, requestOf, type AuditEvent } from './audit-log.js';

const ROBOT = 'system:serviceaccount:apps:robot';
const NOW = Date.parse('2026-12-07T12:00:00Z');
let n = 0;
/** An event of `ROBOT` (ResponseComplete, allowed) with `over` applied. */
const ev = (over: Partial<AuditEvent> & Record<string, unknown> = {}): AuditEvent & Record<string, unknown> => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: `id-${n++}`,
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/apps/configmaps/settings',
  verb: 'get',
  user: { username: ROBOT, groups: ['system:serviceaccounts', 'system:serviceaccounts:apps', 'system:authenticated'] },
  objectRef: { resource: 'configmaps', namespace: 'apps', name: 'settings', apiVersion: 'v1' },
  responseStatus: { code: 200 },
  requestReceivedTimestamp: '2026-12-07T11:59:00.000000Z',
  stageTimestamp: '2026-12-07T11:59:00.100000Z',
  annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
  ...over,
});
const dir = () => mkdtempSync(join(tmpdir(), 'badge-auditlog-'));
const jsonLines = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';
const file = (text: string | Buffer, name = 'audit.log') => {
  const d = dir();
  writeFileSync(join(d, name), text);
  return join(d, name);
};
const read = (paths: string[], opts: Parameters<typeof readAuditLog>[1] = {}) => readAuditLog(paths, { now: () => NOW, ...opts });

describe('audit log reader', () => {
  it('dedupes by auditID: one use per request, the ResponseComplete stage read (a watch has three)', async () => {
    const received = ev({ auditID: 'w', stage: 'RequestReceived', verb: 'watch', objectRef: { resource: 'pods', namespace: 'apps', apiVersion: 'v1' } });
    delete received.annotations;
    delete received.responseStatus;
    const started = { ...received, stage: 'ResponseStarted', annotations: { 'authorization.k8s.io/decision': 'allow' } };
    const complete = { ...started, stage: 'ResponseComplete' };
    const r = await read([file(jsonLines([received, started, complete, ev({ auditID: 'g' }), ev({ auditID: 'g', stage: 'RequestReceived' })]))]);
    assert.equal(r.events, 5);
    assert.equal(r.uses.length, 2);
    const watch = r.uses.find((u) => u.auditID === 'w')!;
    assert.equal(watch.decision, 'allow');
    assert.deepEqual(watch.request, { verb: 'watch', isResourceRequest: true, path: '', apiGroup: '', resource: 'pods', subresource: '', namespace: 'apps', name: '' });
  });

  it('the impersonated user is the subject (its RequestReceived names the impersonator only)', async () => {
    const admin = { username: 'admin', groups: ['system:masters'] };
    const r = await read([file(jsonLines([ev({ auditID: 'i', stage: 'RequestReceived', user: admin }), ev({ auditID: 'i', user: admin, impersonatedUser: { username: ROBOT } })]))], { username: ROBOT });
    assert.equal(r.uses.length, 1);
    assert.equal(r.uses[0]!.username, ROBOT);
    assert.equal(r.uses[0]!.user.username, 'admin');
    assert.equal((await read([file(jsonLines([ev({ user: admin, impersonatedUser: { username: 'other' } })]))], { username: 'admin' })).uses.length, 0);
  });

  it('counts what reached authorization (forbidden included), not 401s', async () => {
    const forbidden = ev({ responseStatus: { code: 403 }, annotations: { 'authorization.k8s.io/decision': 'forbid' } });
    const unauthenticated = ev({ user: {}, stage: 'ResponseStarted', responseStatus: { code: 401 }, annotations: undefined });
    const notFound = ev({ responseStatus: { code: 404 } });
    const r = await read([file(jsonLines([forbidden, unauthenticated, notFound]))]);
    assert.deepEqual(r.uses.map((u) => u.decision), ['forbid', 'allow']);
  });

  it('keeps the ServiceAccount token annotations and the expirationSeconds of a TokenRequest', async () => {
    const legacy = ev({ annotations: { 'authorization.k8s.io/decision': 'allow', 'authentication.k8s.io/legacy-token': ROBOT, 'authentication.k8s.io/legacy-token-manual-secret': 'robot-token', 'other.example/x': 'y' } });
    const tokenRequest = ev({ verb: 'create', level: 'Request', objectRef: { resource: 'serviceaccounts', subresource: 'token', namespace: 'apps', name: 'robot', apiVersion: 'v1' }, requestObject: { spec: { expirationSeconds: 7200 } } });
    const r = await read([file(jsonLines([legacy, tokenRequest, ev()]))]);
    assert.deepEqual(r.uses[0]!.tokenAnnotations, { 'authentication.k8s.io/legacy-token': ROBOT, 'authentication.k8s.io/legacy-token-manual-secret': 'robot-token' });
    assert.equal(r.uses[1]!.expirationSeconds, 7200);
    assert.equal(r.uses[2]!.tokenAnnotations, undefined);
    assert.equal(r.uses[2]!.expirationSeconds, undefined);
  });

  it('create: the name authorization never saw is cleared, a subresource create keeps it; list keeps a field-selector name', () => {
    assert.equal(requestOf(ev({ verb: 'create', objectRef: { resource: 'configmaps', namespace: 'apps', name: 'new' } }))!.name, '');
    const token = requestOf(ev({ verb: 'create', objectRef: { resource: 'serviceaccounts', namespace: 'apps', name: 'robot', subresource: 'token' } }))!;
    assert.deepEqual([token.resource, token.subresource, token.name], ['serviceaccounts', 'token', 'robot']);
    assert.equal(requestOf(ev({ verb: 'list', objectRef: { resource: 'configmaps', namespace: 'apps', name: 'one' } }))!.name, 'one');
    assert.equal(requestOf(ev({ verb: undefined })), undefined);
    assert.equal(requestOf(ev({ objectRef: {} })), undefined);
  });

  it('a non-resource request: its path without the query', () => {
    assert.deepEqual(requestOf(ev({ objectRef: undefined, requestURI: '/metrics?x=1', verb: 'get' })), { verb: 'get', isResourceRequest: false, path: '/metrics', apiGroup: '', resource: '', subresource: '', namespace: '', name: '' });
  });

  it('v1beta1 and v1alpha1 events (timestamp, objectRef.apiVersion group/version)', async () => {
    const beta = ev({ apiVersion: 'audit.k8s.io/v1beta1', objectRef: { resource: 'deployments', namespace: 'apps', name: 'web', apiGroup: 'apps', apiVersion: 'v1' } });
    const alpha = { ...ev({ apiVersion: 'audit.k8s.io/v1alpha1', objectRef: { resource: 'jobs', namespace: 'apps', apiVersion: 'batch/v1' }, verb: 'list' }), stageTimestamp: undefined, requestReceivedTimestamp: undefined, timestamp: '2026-12-07T11:00:00Z' };
    const r = await read([file(jsonLines([beta, alpha]))], { sinceMs: 2 * 3600_000 });
    assert.deepEqual(r.uses.map((u) => [u.request.apiGroup, u.request.resource]), [['apps', 'deployments'], ['batch', 'jobs']]);
    assert.equal(r.uses[1]!.time, Date.parse('2026-12-07T11:00:00Z'));
  });

  it('YAML documents, an EventList and a v1 List (pretty-printed JSON), a directory with a gzipped rotated file, stdin', async () => {
    const d = dir();
    writeFileSync(join(d, 'a.yaml'), `# events\n---\n${[ev({ auditID: 'y1' }), ev({ auditID: 'y2' })].map((e) => JSON.stringify(e)).join('\n---\n')}\n`);
    writeFileSync(join(d, 'b.json'), JSON.stringify({ apiVersion: 'audit.k8s.io/v1', kind: 'EventList', items: [ev({ auditID: 'l1' })] }, null, 2));
    writeFileSync(join(d, 'c.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [ev({ auditID: 'l2' })] }, null, 2));
    writeFileSync(join(d, 'audit-2026-12-07T10-00-00.000.log.gz'), gzipSync(jsonLines([ev({ auditID: 'z1' })])));
    mkdirSync(join(d, 'sub'));
    const r = await read([d, '-'], { stdin: () => Readable.from([jsonLines([ev({ auditID: 's1' })])]) });
    assert.deepEqual(r.uses.map((u) => u.auditID).sort(), ['l1', 'l2', 's1', 'y1', 'y2', 'z1']);
  });

  it('YAML written as YAML, and a bad line warned about, not fatal', async () => {
    const r = await read([file(`kind: Event\nauditID: x\nstage: ResponseComplete\nverb: list\nuser: {username: ${ROBOT}}\nobjectRef: {resource: pods, namespace: apps}\nannotations: {authorization.k8s.io/decision: allow}\n`)]);
    assert.equal(r.uses[0]!.request.resource, 'pods');
    const flow = await read([file(`{kind: Event, auditID: f, verb: get, user: {username: ${ROBOT}}, objectRef: {resource: pods, namespace: apps, name: p}}\n`)]);
    assert.equal(flow.uses[0]!.request.name, 'p');
    const bad = await read([file(jsonLines([ev({ auditID: 'ok' })]) + '{"truncated\n')]);
    assert.equal(bad.uses.length, 1);
    assert.match(bad.warnings[0]!, /audit\.log:2: /);
  });

  it('--since keeps the window before now; -n keeps one namespace; the subject filter', async () => {
    const old = ev({ stageTimestamp: '2026-12-01T00:00:00.000000Z' });
    const other = ev({ objectRef: { resource: 'pods', namespace: 'other' } });
    const someone = ev({ user: { username: 'jane' } });
    const path = file(jsonLines([old, other, someone, ev()]));
    assert.equal((await read([path], { sinceMs: parseSince('24h') })).uses.length, 3);
    assert.equal((await read([path], { sinceMs: parseSince('7d') })).uses.length, 4);
    assert.equal((await read([path], { namespace: 'apps', username: ROBOT })).uses.length, 2);
    assert.equal((await read([path], { username: 'jane' })).uses.length, 1);
  });

  it('parseSince: Go durations and days', () => {
    assert.equal(parseSince('30m'), 1_800_000);
    assert.equal(parseSince('1d12h'), 36 * 3600_000);
    assert.equal(parseSince('1h30m'), 5_400_000);
    assert.throws(() => parseSince('0'), /positive duration/);
    assert.throws(() => parseSince('soon'), /time: invalid duration/);
  });
});
