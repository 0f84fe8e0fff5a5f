import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { csrSigner } from './csr-signer.js';
import { createCertificate } from './x509.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'badge-csr-signer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const caKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ca = {
  cert: createCertificate({ subject: { commonName: 'test-ca' }, publicKey: caKey.publicKey, signingKey: caKey.privateKey, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'), ca: true }),
  key: caKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
};
writeFileSync(join(dir, 'ca.pem'), ca.cert);

function request(subject: string, extra: string[] = []): Buffer {
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-subj', subject, '-out', join(dir, 'req.csr'), ...extra], { stdio: 'pipe' });
  return readFileSync(join(dir, 'req.csr'));
}

/** `openssl x509 -text` of a certificate verified against the CA (for TLS clients, at NOW). */
function verified(pem: string): string {
  writeFileSync(join(dir, 'cert.pem'), pem);
  assert.match(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), '-purpose', 'sslclient', '-attime', String(NOW.getTime() / 1000), join(dir, 'cert.pem')], { encoding: 'utf8' }), /OK/);
  return execFileSync('openssl', ['x509', '-text', '-noout', '-in', join(dir, 'cert.pem')], { encoding: 'utf8' });
}

describe('csrSigner', () => {
  const sign = csrSigner(ca, () => NOW);

  it('issues a client certificate with the subject, usages and names of the request, backdated 5 minutes', () => {
    const pem = sign(request('/O=dev/O=ops/CN=jane', ['-addext', 'subjectAltName=DNS:jane.example.com']), ['digital signature', 'key encipherment', 'client auth'], 365 * 24 * 3600);
    const cert = new X509Certificate(pem);
    assert.equal(cert.subject, 'O=dev + O=ops\nCN=jane');
    assert.equal(cert.ca, false);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.equal(new Date(cert.validFrom).toISOString(), '2026-03-01T11:55:00.000Z');
    // A year from the backdated start, but never past the CA.
    assert.equal(new Date(cert.validTo).toISOString(), '2027-01-01T00:00:00.000Z');
    const text = verified(pem);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment/);
    assert.match(text, /DNS:jane.example.com/);
  });

  it('issues short-lived certificates (under 8 hours) for exactly their duration from now', () => {
    const cert = new X509Certificate(sign(request('/CN=bob'), ['client auth'], 3600));
    assert.equal(new Date(cert.validTo).toISOString(), '2026-03-01T13:00:00.000Z');
    assert.doesNotMatch(verified(cert.toString()), /Key Usage: critical/);
  });

  it('refuses usages it does not know', () => {
    assert.throws(() => sign(request('/CN=bob'), ['client auth', 'flying'], 3600), { message: 'unrecognized usage values: ["flying"]' });
  });
});
