import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createCertificate } from './x509.js';

const key = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const NOW = new Date('2026-03-01T12:00:00Z');
const LATER = new Date('2036-03-01T12:00:00Z');

const caKey = key();
const ca = createCertificate({ subject: { commonName: 'test-ca' }, publicKey: caKey.publicKey, signingKey: caKey.privateKey, notBefore: NOW, notAfter: LATER, ca: true });
const serving = createCertificate({
  subject: { commonName: 'kube-apiserver' },
  publicKey: key().publicKey,
  issuer: ca,
  signingKey: caKey.privateKey,
  notBefore: NOW,
  notAfter: new Date('2061-01-02T03:04:05Z'),
  usage: 'server',
  dnsNames: ['localhost', 'kubernetes.default.svc'],
  ips: ['127.0.0.1', '::1', '::ffff:10.96.0.1', 'fd00:10:96::1', '64:ff9b::192.0.2.33'],
});
const client = createCertificate({
  subject: { commonName: 'badge-admin', organizations: ['system:masters', 'team-a'] },
  publicKey: key().publicKey,
  issuer: ca,
  signingKey: caKey.privateKey,
  notBefore: NOW,
  notAfter: LATER,
  usage: 'client',
});

const dir = mkdtempSync(join(tmpdir(), 'badge-x509-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `openssl x509 -text -noout` of a PEM certificate (it fails on what it cannot parse). */
function opensslText(pem: string): string {
  const file = join(dir, 'cert.pem');
  writeFileSync(file, pem);
  return execFileSync('openssl', ['x509', '-text', '-noout', '-in', file], { encoding: 'utf8' });
}

/** The iPAddress entries (tag [7]) of the subjectAltName extension, as raw bytes. */
function sanIpEntries(pem: string): Buffer[] {
  const der = new X509Certificate(pem).raw;
  const oid = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11]);
  let pos = der.indexOf(oid) + oid.length;
  assert.equal(der[pos], 0x04, 'the extension value is an OCTET STRING');
  pos += 2; // OCTET STRING header (short form: the test's SANs are under 128 bytes)
  assert.equal(der[pos], 0x30);
  const end = pos + 2 + der[pos + 1]!;
  const entries: Buffer[] = [];
  for (let p = pos + 2; p < end; p += 2 + der[p + 1]!) if (der[p] === 0x87) entries.push(der.subarray(p + 2, p + 2 + der[p + 1]!));
  return entries;
}

describe('x509: certificates', () => {
  it('a CA: self-signed, CA:TRUE, may sign certificates', () => {
    const c = new X509Certificate(ca);
    assert.equal(c.subject, 'CN=test-ca');
    assert.equal(c.issuer, 'CN=test-ca');
    assert.equal(c.ca, true);
    assert.ok(c.verify(caKey.publicKey));
    assert.equal(new Date(c.validFrom).getTime(), NOW.getTime());
    assert.equal(new Date(c.validTo).getTime(), LATER.getTime());
    const text = opensslText(ca);
    assert.match(text, /Basic Constraints: critical\s+CA:TRUE/);
    assert.match(text, /Key Usage: critical\s+Digital Signature, Key Encipherment, Certificate Sign/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /Subject Key Identifier/);
  });

  it('a serving certificate: DNS and IP names (IPv4-mapped IPv6 written as 4-byte IPv4), server auth, issued by the CA', () => {
    const c = new X509Certificate(serving);
    assert.equal(c.ca, false);
    assert.ok(c.checkIssued(new X509Certificate(ca)));
    assert.ok(c.verify(caKey.publicKey));
    assert.deepEqual(c.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(new Date(c.validTo).toISOString(), '2061-01-02T03:04:05.000Z', 'GeneralizedTime from 2050 on');
    assert.equal(
      c.subjectAltName,
      'DNS:localhost, DNS:kubernetes.default.svc, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.96.0.1, IP Address:FD00:10:96:0:0:0:0:1, IP Address:64:FF9B:0:0:0:0:C000:221',
    );
    assert.deepEqual(
      sanIpEntries(serving).map((b) => b.length),
      [4, 16, 4, 16, 16],
      'every iPAddress is 4 or 16 bytes (Go rejects any other length)',
    );
    for (const ip of ['127.0.0.1', '::1', '10.96.0.1', 'fd00:10:96::1']) assert.equal(c.checkIP(ip), ip);
    assert.equal(c.checkHost('kubernetes.default.svc'), 'kubernetes.default.svc');
    const text = opensslText(serving);
    assert.match(text, /Subject: CN ?= ?kube-apiserver/);
    assert.match(text, /Issuer: CN ?= ?test-ca/);
    assert.match(text, /Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text, /Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    assert.match(text, /Extended Key Usage: \s+TLS Web Server Authentication/);
    assert.match(text, /IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.96.0.1, IP Address:FD00:10:96:0:0:0:0:1/);
    assert.doesNotMatch(text, /invalid/i);
    assert.match(text, /Authority Key Identifier/);
  });

  it('a client certificate: the organizations are the groups, client auth', () => {
    const c = new X509Certificate(client);
    assert.equal(c.subject, 'O=system:masters\nO=team-a\nCN=badge-admin');
    assert.equal(c.subjectAltName, undefined);
    assert.deepEqual(c.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.match(opensslText(client), /Extended Key Usage: \s+TLS Web Client Authentication/);
  });

  it('openssl verifies the chain', () => {
    writeFileSync(join(dir, 'ca.pem'), ca);
    for (const [name, pem, purpose] of [['serving', serving, 'sslserver'], ['client', client, 'sslclient']] as const) {
      writeFileSync(join(dir, `${name}.pem`), pem);
      assert.match(execFileSync('openssl', ['verify', '-purpose', purpose, '-CAfile', join(dir, 'ca.pem'), join(dir, `${name}.pem`)], { encoding: 'utf8' }), /: OK/);
    }
  });

  it('refuses what is no IP address', () => {
    const spec = { subject: { commonName: 'x' }, publicKey: caKey.publicKey, signingKey: caKey.privateKey, notBefore: NOW, notAfter: LATER };
    for (const ip of ['fe80::1%eth0', '10.0.0', 'localhost']) assert.throws(() => createCertificate({ ...spec, ips: [ip] }), /not an IP address/);
  });
});
