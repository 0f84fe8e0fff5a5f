// The PKCS#10 parser against requests made by openssl (a library that knows the format well).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCertificateRequest } from './certificate-request.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-csr-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A request from `openssl req` with a new key of this algorithm (`-newkey` argument). */
function opensslCsr(newkey: string, subject: string, extra: string[] = []): Buffer {
  const out = join(dir, `${Math.random().toString(36).slice(2)}.csr`);
  execFileSync('openssl', ['req', '-new', '-newkey', newkey, '-nodes', '-keyout', join(dir, 'key.pem'), '-subj', subject, '-out', out, ...extra], { stdio: 'pipe' });
  return readFileSync(out);
}

describe('parseCertificateRequest', () => {
  it('reads the subject and subject alternative names of an ECDSA request and checks its signature', () => {
    const pem = opensslCsr('ec', '/O=dev/O=ops/CN=jane', ['-pkeyopt', 'ec_paramgen_curve:prime256v1', '-addext', 'subjectAltName=DNS:jane.example.com,IP:10.0.0.1,IP:2001:db8::1,email:jane@example.com,URI:spiffe://example/jane']);
    const req = parseCertificateRequest(pem);
    assert.equal(req.commonName, 'jane');
    assert.deepEqual(req.organizations, ['dev', 'ops']);
    assert.deepEqual(req.dnsNames, ['jane.example.com']);
    assert.deepEqual(req.ipAddresses, ['10.0.0.1', '2001:db8::1']);
    assert.deepEqual(req.emailAddresses, ['jane@example.com']);
    assert.deepEqual(req.uris, ['spiffe://example/jane']);
  });

  for (const [name, newkey, opts] of [
    ['RSA', 'rsa:2048', []],
    ['RSA-PSS', 'rsa:2048', ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest']],
    ['Ed25519', 'ed25519', []],
    ['ECDSA P-384 with SHA-384', 'ec', ['-pkeyopt', 'ec_paramgen_curve:secp384r1', '-sha384']],
  ] as const) {
    it(`checks the signature of a ${name} request`, () => {
      assert.equal(parseCertificateRequest(opensslCsr(newkey, '/CN=bob', [...opts])).commonName, 'bob');
    });
  }

  it('refuses a request whose signature does not match, with Go\'s texts', () => {
    const pem = opensslCsr('ec', '/CN=jane', ['-pkeyopt', 'ec_paramgen_curve:prime256v1']).toString();
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    // The common name's last letter is in the signed part: change it.
    der[der.indexOf(Buffer.from('jane')) + 3] = 0x6f;
    const forged = Buffer.from(`-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`);
    assert.throws(() => parseCertificateRequest(forged), { message: 'x509: ECDSA verification failure' });
    assert.throws(() => parseCertificateRequest(Buffer.from('hello')), { message: 'PEM block type must be CERTIFICATE REQUEST' });
    assert.throws(() => parseCertificateRequest(Buffer.from(pem.replace(/CERTIFICATE REQUEST/g, 'CERTIFICATE'))), { message: 'PEM block type must be CERTIFICATE REQUEST' });
  });
});
