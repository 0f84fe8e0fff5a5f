import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemRandom } from '../api/clock.js';
import type { Secret } from '../api/kinds.js';
import { apiserverUser } from '../api/user.js';
import { R } from '../client/client.js';
import { InformerFactory } from '../client/informer-factory.js';
import { LocalClient } from '../registry/local-client.js';
import { configmaps } from '../registry/resources/configmaps.js';
import { namespaces } from '../registry/resources/namespaces.js';
import { pods } from '../registry/resources/pods.js';
import { secrets } from '../registry/resources/secrets.js';
import { serviceaccounts } from '../registry/resources/serviceaccounts.js';
import { testRegistry, type TestRegistry } from '../registry/resources/testing.js';
import type { TokenIssuer } from '../auth/tokens/issuer.js';
import { legacyTokens, parseDate, TRACKING_CONFIGMAP, utcDate } from './legacy-tokens.js';
import { isTokenOf } from './tokens.js';

const DAY = 24 * 3600_000;
const PERIOD_DAYS = 10;

describe('parseDate (Go layout 2006-01-02)', () => {
  it('accepts real dates only', () => {
    assert.equal(parseDate('2024-02-29')?.toISOString(), '2024-02-29T00:00:00.000Z');
    assert.equal(parseDate('0099-01-01')?.getUTCFullYear(), 99);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-01', '2024-01-01T00:00:00Z', 'yesterday', '', undefined]) assert.equal(parseDate(bad), undefined, String(bad));
  });
  it('formats UTC dates', () => assert.equal(utcDate(new Date('2024-05-01T23:59:59-02:00')), '2024-05-02'));
});

describe('isTokenOf (IsServiceAccountToken)', () => {
  const secret = (annotations: Record<string, string>, type = 'kubernetes.io/service-account-token'): Secret => ({ metadata: { name: 's', annotations }, type });
  it('needs the type and the name, and the uid when there is one', () => {
    assert.ok(isTokenOf(secret({ 'kubernetes.io/service-account.name': 'a' }), { name: 'a', uid: 'u' }));
    assert.ok(isTokenOf(secret({ 'kubernetes.io/service-account.name': 'a', 'kubernetes.io/service-account.uid': 'u' }), { name: 'a', uid: 'u' }));
    assert.ok(!isTokenOf(secret({ 'kubernetes.io/service-account.name': 'a', 'kubernetes.io/service-account.uid': 'v' }), { name: 'a', uid: 'u' }));
    assert.ok(!isTokenOf(secret({ 'kubernetes.io/service-account.name': 'b' }), { name: 'a', uid: 'u' }));
    assert.ok(!isTokenOf(secret({ 'kubernetes.io/service-account.name': 'a' }, 'Opaque'), { name: 'a', uid: 'u' }));
  });
});

describe('the legacy token cleaner', () => {
  let t: TestRegistry;
  let client: LocalClient;
  let informers: InformerFactory;
  let controller: ReturnType<typeof legacyTokens>;
  const secret = (name: string, sa: string, labels: Record<string, string> = {}, uid?: string): Secret => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, labels, annotations: { 'kubernetes.io/service-account.name': sa, ...(uid ? { 'kubernetes.io/service-account.uid': uid } : {}) } },
    type: 'kubernetes.io/service-account-token',
    data: { token: Buffer.from('x').toString('base64') },
  });
  const labelsOf = async (name: string) => (await client.get(R.secrets, 'default', name)).metadata.labels ?? {};
  const exists = (name: string) => client.get(R.secrets, 'default', name).then(() => true, () => false);

  before(async () => {
    const tokenRequest = { issuer: {} as TokenIssuer, apiAudiences: ['x'], maxExpirationSeconds: 0, extendExpiration: true };
    t = testRegistry([namespaces, configmaps, secrets, serviceaccounts(tokenRequest), pods]);
    client = new LocalClient(t.registry, apiserverUser, t.clock, systemRandom);
    for (const name of ['default', 'kube-system']) await client.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await client.create(R.configmaps, 'kube-system', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: TRACKING_CONFIGMAP }, data: { since: utcDate(t.clock.now()) } });
    const sa = await client.create(R.serviceaccounts, 'default', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa' },
      secrets: ['unused', 'recent', 'garbled', 'other-uid', 'env-used'].map((name) => ({ name })),
    });
    await client.create(R.secrets, 'default', secret('unused', 'sa'));
    await client.create(R.secrets, 'default', secret('manual', 'sa'));
    await client.create(R.secrets, 'default', secret('recent', 'sa', { 'kubernetes.io/legacy-token-last-used': utcDate(new Date(t.clock.now().getTime() + (PERIOD_DAYS - 1) * DAY)) }));
    await client.create(R.secrets, 'default', secret('garbled', 'sa', { 'kubernetes.io/legacy-token-last-used': 'sometime' }));
    await client.create(R.secrets, 'default', secret('other-uid', 'sa', {}, `not-${sa.metadata.uid}`));
    await client.create(R.secrets, 'default', secret('env-used', 'sa'));
    await client.create(R.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { serviceAccountName: 'sa', containers: [{ name: 'c', image: 'x', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'env-used', key: 'token' } } }] }] },
    });
    informers = new InformerFactory(client);
    controller = legacyTokens({ client, informers, clock: t.clock, cleanUpPeriodSeconds: PERIOD_DAYS * 24 * 3600, tickMs: 3600_000 });
    await controller.start();
  });
  after(() => {
    controller.stop();
    informers.stop();
    t.close();
  });

  it('does nothing until the tracking is a period (and a day) old', async () => {
    t.clock.advance(PERIOD_DAYS * DAY);
    await controller.clean();
    assert.equal((await labelsOf('unused'))['kubernetes.io/legacy-token-invalid-since'], undefined);
  });

  it('marks only unused, unmounted, auto-generated tokens of a matching account; deletes them a period later', async () => {
    t.clock.advance(2 * DAY);
    await controller.clean();
    const today = utcDate(t.clock.now());
    assert.equal((await labelsOf('unused'))['kubernetes.io/legacy-token-invalid-since'], today);
    for (const kept of ['manual', 'recent', 'garbled', 'other-uid', 'env-used']) assert.equal((await labelsOf(kept))['kubernetes.io/legacy-token-invalid-since'], undefined, kept);
    await controller.clean();
    assert.ok(await exists('unused'), 'kept while invalid-since is recent');
    t.clock.advance((PERIOD_DAYS + 1) * DAY);
    // The informer has the labelled copy by now (the delete carries its resourceVersion).
    await new Promise((r) => setTimeout(r, 50));
    await controller.clean();
    assert.equal(await exists('unused'), false);
    for (const kept of ['manual', 'garbled', 'other-uid', 'env-used']) assert.ok(await exists(kept), kept);
  });
});
