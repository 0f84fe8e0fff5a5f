import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CertificateSigningRequest } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import { R } from '../client/client.js';
import { createCertificate } from '../pki/x509.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { eventually } from '../testing/eventually.js';
import { csrCleaner, isDone } from './csr-cleaner.js';
import { certificateSeconds, clientUsagesError, csrSigningController } from './csr-signing.js';

const SIGNER = 'kubernetes.io/kube-apiserver-client';
const REQUEST = execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=jane'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('base64');
/** A certificate valid 2024-05-01 10:00 to 11:00 (the test clock starts at 10:00). */
const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = createCertificate({ subject: { commonName: 'x' }, publicKey: key.publicKey, signingKey: key.privateKey, notBefore: new Date('2024-05-01T10:00:00Z'), notAfter: new Date('2024-05-01T11:00:00Z') });
const CERT = Buffer.from(PEM).toString('base64');

const csr = (name: string, spec: Partial<CertificateSigningRequest['spec']> = {}): CertificateSigningRequest => ({
  apiVersion: 'certificates.k8s.io/v1',
  kind: 'CertificateSigningRequest',
  metadata: { name },
  spec: { request: REQUEST, signerName: SIGNER, usages: ['digital signature', 'client auth'], ...spec },
});

describe('the kube-apiserver-client signer and the CSR cleaner', () => {
  let t: TestCluster;
  let signer: ReturnType<typeof csrSigningController>;
  const signed: [string[], number][] = [];
  const approve = async (name: string) => {
    const c = await t.client.get(R.certificatesigningrequests, '', name);
    c.status = { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'ok' }] };
    await t.client.update(R.certificatesigningrequests, '', c, 'approval');
  };

  before(async () => {
    t = await testCluster();
    signer = csrSigningController({ client: t.client, informers: t.informers, clock: t.clock, sign: (_req, usages, ttl) => (signed.push([usages, ttl]), PEM) });
    await signer.start();
  });
  after(async () => {
    signer.stop();
    await t.close();
  });

  it('issues approved requests of its signer for their expirationSeconds, capped at a year, at least 10 minutes', async () => {
    await t.client.create(R.certificatesigningrequests, '', csr('short', { expirationSeconds: 3600 }));
    await t.client.create(R.certificatesigningrequests, '', csr('other', { signerName: 'example.com/other' }));
    await approve('short');
    await approve('other');
    const issued = await t.until('the certificate issued', async () => (await t.client.get(R.certificatesigningrequests, '', 'short')).status?.certificate);
    assert.equal(issued, CERT);
    assert.deepEqual(signed, [[['digital signature', 'client auth'], 3600]]);
    assert.equal((await t.client.get(R.certificatesigningrequests, '', 'other')).status?.certificate, undefined, 'another signer\'s request stays pending');
    assert.deepEqual([certificateSeconds(undefined, 31536000), certificateSeconds(10 * 31536000, 31536000), certificateSeconds(600, 31536000)], [31536000, 31536000, 600]);
  });

  it('fails an approved request whose usages do not suit a client certificate', async () => {
    await t.client.create(R.certificatesigningrequests, '', csr('serving', { usages: ['server auth'] }));
    await approve('serving');
    const failed = await t.until('the Failed condition', async () => (await t.client.get(R.certificatesigningrequests, '', 'serving')).status?.conditions?.find((c) => c.type === 'Failed'));
    assert.deepEqual([failed.status, failed.reason, failed.message], ['True', 'SignerValidationFailure', 'invalid usage for client certificate: server auth']);
    assert.equal(clientUsagesError(['digital signature', 'key encipherment']), 'missing required usage for client certificate: client auth');
  });

  it('cleans up requests as kube-controller-manager does', async () => {
    const at = (o: CertificateSigningRequest, hoursAgo: number, status: CertificateSigningRequest['status']) => ({
      ...o,
      metadata: { ...o.metadata, creationTimestamp: formatTime(new Date(t.clock.now().getTime() - hoursAgo * 3600_000)) },
      status,
    });
    const now = t.clock.now().getTime();
    const condition = (type: string, hoursAgo: number) => ({ type, status: 'True', lastUpdateTime: formatTime(new Date(now - hoursAgo * 3600_000)) });
    const base = csr('x');
    assert.equal(isDone(at(base, 23, {}), now), false, 'pending for less than a day');
    assert.equal(isDone(at(base, 25, {}), now), true, 'pending for more than a day');
    assert.equal(isDone(at(base, 2, { conditions: [condition('Approved', 0.5)], certificate: CERT }), now), false, 'issued half an hour ago');
    assert.equal(isDone(at(base, 2, { conditions: [condition('Approved', 1.5)] }), now), false, 'approved long ago, not issued');
    assert.equal(isDone(at(base, 2, { conditions: [condition('Approved', 1.5)], certificate: CERT }), now), true, 'issued more than an hour ago');
    assert.equal(isDone(at(base, 2, { conditions: [condition('Denied', 1.5)] }), now), true, 'denied more than an hour ago');
    assert.equal(isDone(at(base, 2, { conditions: [condition('Failed', 1.5)] }), now), true, 'failed more than an hour ago');
    assert.equal(isDone(at(base, 2, { conditions: [condition('Approved', 0.1)], certificate: CERT }), now + 1.05 * 3600_000), true, 'its certificate expired');

    const cleaner = csrCleaner({ client: t.client, informers: t.informers, clock: t.clock });
    await cleaner.start();
    cleaner.stop();
    t.clock.advance(25 * 3600_000);
    // The cleaner reads the shared informer, which may not have seen the earlier tests' last status writes yet.
    const left = async () => (await t.client.list(R.certificatesigningrequests, '')).items.map((c) => c.metadata.name).join(',');
    await eventually(async () => {
      await cleaner.clean();
      return (await left()) === 'other';
    }, 'the issued and the failed requests gone a day later');
    // An approved request no signer issues is never done (it has conditions, so it is not pending).
    assert.equal(await left(), 'other');
  });
});
