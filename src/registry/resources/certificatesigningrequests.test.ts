import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { certificateApproval, certificateSigning, certificateSubjectRestriction } from '../../admission/certificates.js';
import { AdmissionChain } from '../../admission/chain.js';
import type { KubeObject } from '../../api/meta.js';
import type { Authorizer } from '../../auth/authz/authorizer.js';
import { certificateSigningRequests } from './certificatesigningrequests.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const SIGNER = 'kubernetes.io/kube-apiserver-client';

/** A request made by openssl for this subject, base64 as in JSON. */
const request = (subject: string) =>
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', '/dev/null', '-subj', subject], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('base64');
const JANE = request('/O=dev/CN=jane');

const csr = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'certificates.k8s.io/v1',
  kind: 'CertificateSigningRequest',
  metadata: { name },
  spec: { request: JANE, signerName: SIGNER, usages: ['client auth'], ...spec },
});

/** Allows `approve` and `sign` on signers to the names listed, for everyone. */
const signersAllowed = (names: string[]): Authorizer => ({
  async authorize(a) {
    return { decision: a.resource === 'signers' && names.includes(a.name) ? 'allow' : 'no-opinion', reason: '' };
  },
});

describe('certificatesigningrequests', () => {
  let t: TestRegistry;
  const allowed: string[] = [];
  const store = () => t.store(certificateSigningRequests);
  const approval = (name: string, conditions: unknown[]) =>
    certificateSigningRequests.subresources!.approval!.update!({ ctx: t.ctx, namespace: '', name, query: new URLSearchParams(), dryRun: false, store: store(), registry: t.registry, warnings: [] }, { metadata: { name }, status: { conditions } } as KubeObject);
  const approved = { type: 'Approved', status: 'True', reason: 'Test', message: 'ok' };

  before(() => {
    const admission = new AdmissionChain();
    const authorizer = signersAllowed(allowed);
    admission.use(certificateApproval(authorizer), certificateSigning(authorizer), certificateSubjectRestriction);
    t = testRegistry([certificateSigningRequests], admission);
  });
  after(() => t.close());

  it('fills in the requesting user, starts with no status, and prints as kubectl 1.32 does', async () => {
    const created = await store().create({ ...t.ctx, user: { username: 'jane', uid: 'u-1', groups: ['dev', 'system:authenticated'], extra: { scopes: ['a'] } } }, '', csr('jane', { username: 'root', groups: ['system:masters'], expirationSeconds: 3600 }));
    assert.deepEqual(
      [created.spec, created.status],
      [{ request: JANE, signerName: SIGNER, usages: ['client auth'], expirationSeconds: 3600, username: 'jane', uid: 'u-1', groups: ['dev', 'system:authenticated'], extra: { scopes: ['a'] } }, {}],
    );
    assert.deepEqual(certificateSigningRequests.table!.columns.map((c) => c.name), ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
    assert.deepEqual(certificateSigningRequests.table!.cells(created, T0), ['jane', '0s', SIGNER, 'jane', '60m', 'Pending']);
    assert.deepEqual(certificateSigningRequests.table!.cells(csr('x', { expirationSeconds: undefined }), T0).slice(4), ['<none>', 'Pending']);
    const issued = { ...created, status: { conditions: [approved, { type: 'Failed', status: 'True' }], certificate: 'Y2VydA==' } };
    assert.equal(certificateSigningRequests.table!.cells(issued, T0)[5], 'Approved,Failed,Issued');
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a request that is no PEM', { request: Buffer.from('hi').toString('base64') }, 'spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST'],
    ['no request', { request: undefined }, 'spec.request: Invalid value: []byte(nil): PEM block type must be CERTIFICATE REQUEST'],
    ['no usages', { usages: [] }, 'spec.usages: Required value'],
    ['unknown and repeated usages', { usages: ['client auth', 'flying', 'client auth'] }, '[spec.usages[1]: Unsupported value: "flying": supported values: "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping", spec.usages[2]: Duplicate value: "client auth"]'],
    ['no signer', { signerName: '' }, 'spec.signerName: Required value'],
    ['a signer without a path', { signerName: 'example.com' }, "spec.signerName: Invalid value: \"example.com\": must be a fully qualified domain and path of the form 'example.com/signer-name'"],
    ['a signer without a domain', { signerName: 'local/signer' }, 'spec.signerName: Invalid value: "local": should be a domain with at least two segments separated by dots'],
    ['a signer with a bad path', { signerName: 'example.com/Signer' }, 'spec.signerName: Invalid value: "Signer": validating label "Signer": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'],
    ['the legacy signer', { signerName: 'kubernetes.io/legacy-unknown' }, 'spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version'],
    ['a duration under 10 minutes', { expirationSeconds: 599 }, 'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)'],
  ];
  for (const [what, spec, message] of invalid) {
    it(`refuses ${what}`, async () => {
      assert.equal(await rejection(store().create(t.ctx, '', csr('bad', spec))), `CertificateSigningRequest.certificates.k8s.io "bad" is invalid: ${message}`);
    });
  }

  it('refuses the kube-apiserver-client signer a system:masters subject (CertificateSubjectRestriction)', async () => {
    const root = csr('root', { request: request('/O=system:masters/CN=root') });
    assert.equal(await rejection(store().create(t.ctx, '', root)), `certificatesigningrequests.certificates.k8s.io "root" is forbidden: use of ${SIGNER} signer with system:masters group is not allowed`);
    await store().create(t.ctx, '', { ...root, spec: { ...(root.spec as Record<string, unknown>), signerName: 'example.com/any' } });
  });

  it('approves only through /approval, with `approve` on the signer, Approved and Denied exclusive', async () => {
    const created = await store().create(t.ctx, '', csr('approve-me'));
    // The main resource keeps the spec and status it had.
    const updated = await store().update(t.ctx, '', 'approve-me', { ...created, spec: { ...(created.spec as Record<string, unknown>), usages: ['server auth'] }, status: { conditions: [approved] } });
    assert.deepEqual([updated.object.spec, updated.object.status], [created.spec, {}]);
    // /status may not add approval.
    assert.equal(
      await rejection(store().update(t.ctx, '', 'approve-me', { ...created, status: { conditions: [approved] } }, { subresource: 'status' })),
      'CertificateSigningRequest.certificates.k8s.io "approve-me" is invalid: status.conditions: Forbidden: updates may not add a condition of type "Approved"',
    );
    assert.equal(await rejection(approval('approve-me', [approved])), `certificatesigningrequests.certificates.k8s.io "approve-me" is forbidden: user not permitted to approve requests with signerName "${SIGNER}"`);
    allowed.push('kubernetes.io/*');
    const out = await approval('approve-me', [approved]);
    assert.deepEqual((out.status as { conditions: unknown[] }).conditions, [{ ...approved, lastUpdateTime: '2024-05-01T10:00:00Z', lastTransitionTime: '2024-05-01T10:00:00Z' }]);
    assert.equal(
      await rejection(approval('approve-me', [approved, { type: 'Denied', status: 'True' }])),
      'CertificateSigningRequest.certificates.k8s.io "approve-me" is invalid: status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
    );
    assert.equal(await rejection(approval('approve-me', [])), 'CertificateSigningRequest.certificates.k8s.io "approve-me" is invalid: status.conditions: Forbidden: updates may not remove a condition of type "Approved"');
    assert.equal(
      await rejection(approval('approve-me', [approved, { type: 'Failed', status: 'False' }])),
      'CertificateSigningRequest.certificates.k8s.io "approve-me" is invalid: status.conditions[1].status: Unsupported value: "False": supported values: "True"',
    );
  });

  it('sets the certificate once, through /status, with `sign` on the signer', async () => {
    const created = await store().create(t.ctx, '', csr('issue-me', { signerName: 'example.com/issuer' }));
    const cert = Buffer.from(execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=x'], { stdio: ['ignore', 'pipe', 'ignore'] })).toString('base64');
    const withCert = (certificate: string) => ({ ...created, status: { certificate } });
    assert.equal(await rejection(store().update(t.ctx, '', 'issue-me', withCert(cert), { subresource: 'status' })), 'certificatesigningrequests.certificates.k8s.io "issue-me" is forbidden: user not permitted to sign requests with signerName "example.com/issuer"');
    allowed.push('example.com/issuer');
    assert.equal(
      await rejection(store().update(t.ctx, '', 'issue-me', withCert(Buffer.from('text').toString('base64')), { subresource: 'status' })),
      'CertificateSigningRequest.certificates.k8s.io "issue-me" is invalid: status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block',
    );
    const { object } = await store().update(t.ctx, '', 'issue-me', withCert(cert), { subresource: 'status' });
    assert.equal((object.status as { certificate: string }).certificate, cert);
    assert.equal(
      await rejection(store().update(t.ctx, '', 'issue-me', { ...object, status: { certificate: Buffer.from(`${Buffer.from(cert, 'base64').toString()}\n`).toString('base64') } }, { subresource: 'status' })),
      'CertificateSigningRequest.certificates.k8s.io "issue-me" is invalid: status.certificate: Forbidden: updates may not modify existing certificate content',
    );
  });
});
