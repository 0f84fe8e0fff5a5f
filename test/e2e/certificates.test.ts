// Certificates for people, with the real kubectl and openssl: a key and request made by openssl,
// `kubectl create -f csr.yaml`, the columns of `kubectl get csr` and `kubectl describe csr`,
// invalid requests refused with upstream's messages, `kubectl certificate approve|deny` (and the
// CertificateApproval refusal of a user who may update /approval but not approve for the
// signer), the certificate issued by the kube-apiserver-client signer for expirationSeconds, then
// used by kubectl as the identity "jane", which RBAC governs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { startBadge, type Badge } from './harness.js';

const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');
const SIGNER = 'kubernetes.io/kube-apiserver-client';

describe('e2e: CertificateSigningRequests with the real kubectl', () => {
  let b: Badge;
  const file = (name: string) => join(b.dataDir, name);
  const ok = (args: string[], stdin?: string) => b.ok(args, stdin);
  const fails = (args: string[], stdin?: string) => b.fails(args, stdin);

  /** A new key (NAME.key) and its request (NAME.csr) for this subject, by openssl. */
  function request(name: string, subject: string): string {
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file(`${name}.key`), '-subj', subject, '-out', file(`${name}.csr`)], { stdio: 'pipe' });
    return readFileSync(file(`${name}.csr`)).toString('base64');
  }
  const manifest = (name: string, req: string, extra = 'expirationSeconds: 86400\n  usages:\n  - client auth') => `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: ${name}
spec:
  request: ${req}
  signerName: ${SIGNER}
  ${extra}
`;
  const condition = async (name: string) => (await ok(['get', 'csr', name])).split('\n')[1]!.trim().split(/\s+/).at(-1);

  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('creates a request, prints it, and refuses invalid ones with upstream\'s messages', async () => {
    writeFileSync(file('csr.yaml'), manifest('jane', request('jane', '/O=dev/CN=jane')));
    assert.equal(await ok(['create', '-f', file('csr.yaml')]), 'certificatesigningrequest.certificates.k8s.io/jane created\n');
    const table = await ok(['get', 'csr']);
    assert.match(table, /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION\n/);
    assert.match(table, row('jane', '\\d+s', SIGNER, 'badge-admin', '24h', 'Pending'));
    const described = await ok(['describe', 'csr', 'jane']);
    for (const line of ['Requesting User:     badge-admin', `Signer:              ${SIGNER}`, 'Requested Duration:  24h', 'Status:              Pending', 'Common Name:    jane', 'Organization:   dev']) {
      assert.ok(described.includes(line), `describe shows ${JSON.stringify(line)}:\n${described}`);
    }
    const csr = JSON.parse(await ok(['get', 'csr', 'jane', '-o', 'json']));
    assert.deepEqual([csr.spec.username, csr.spec.groups], ['badge-admin', ['system:masters', 'system:authenticated']], 'the requesting user, filled in by the server');
    assert.equal((await ok(['get', 'csr', '--field-selector', `spec.signerName=${SIGNER}`, '-o', 'name'])).trim(), 'certificatesigningrequest.certificates.k8s.io/jane');

    const invalid = await fails(['create', '-f', '-'], manifest('bad', Buffer.from('not a request').toString('base64'), 'expirationSeconds: 300'));
    assert.equal(
      invalid,
      'The CertificateSigningRequest "bad" is invalid: \n' +
        `* spec.request: Invalid value: []byte{${[...Buffer.from('not a request')].map((c) => `0x${c.toString(16)}`).join(', ')}}: PEM block type must be CERTIFICATE REQUEST\n` +
        '* spec.usages: Required value\n' +
        '* spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 600 seconds (10 minutes)\n',
    );
    assert.equal(
      await fails(['create', '-f', '-'], manifest('root', request('root', '/O=system:masters/CN=root'))),
      `Error from server (Forbidden): error when creating "STDIN": certificatesigningrequests.certificates.k8s.io "root" is forbidden: use of ${SIGNER} signer with system:masters group is not allowed\n`,
    );
  });

  it('approves only with `approve` on the signer, then issues a certificate kubectl uses as the identity jane', async () => {
    // bob may update /approval, but not approve for the signer (CertificateApproval).
    await ok(['create', 'clusterrole', 'csr-approval', '--verb=get,list,update', '--resource=certificatesigningrequests,certificatesigningrequests/approval']);
    await ok(['create', 'clusterrolebinding', 'bob', '--clusterrole=csr-approval', '--user=bob']);
    assert.equal(
      await fails(['certificate', 'approve', 'jane', '--as', 'bob']),
      `Error from server (Forbidden): certificatesigningrequests.certificates.k8s.io "jane" is forbidden: user not permitted to approve requests with signerName "${SIGNER}"\n`,
    );
    assert.equal(await condition('jane'), 'Pending');
    // The bootstrap ClusterRole that grants it.
    await ok(['create', 'clusterrolebinding', 'bob-approves', '--clusterrole=system:certificates.k8s.io:kube-apiserver-client-approver', '--user=bob']);
    assert.equal(await ok(['certificate', 'approve', 'jane', '--as', 'bob']), 'certificatesigningrequest.certificates.k8s.io/jane approved\n');
    await eventually(async () => (await condition('jane')) === 'Approved,Issued', 'the certificate issued');

    const pem = Buffer.from(await ok(['get', 'csr', 'jane', '-o', 'jsonpath={.status.certificate}']), 'base64');
    writeFileSync(file('jane.crt'), pem);
    const cert = new X509Certificate(pem);
    assert.equal(cert.subject, 'O=dev\nCN=jane');
    assert.ok(cert.verify(new X509Certificate(b.server.pki.ca.cert).publicKey), 'signed by the cluster CA');
    assert.equal(Date.parse(cert.validTo) - Date.parse(cert.validFrom), 86400_000, 'valid for expirationSeconds');

    const config = file('jane.yaml');
    copyFileSync(b.kubeconfig, config);
    const asJane = (args: string[]) => b.kubectl(['--kubeconfig', config, ...args]);
    assert.equal((await asJane(['config', 'set-credentials', 'jane', `--client-certificate=${file('jane.crt')}`, `--client-key=${file('jane.key')}`, '--embed-certs'])).stdout, 'User "jane" set.\n');
    assert.equal((await asJane(['config', 'set-context', 'jane', '--cluster=badge', '--user=jane'])).code, 0);
    const whoami = await asJane(['--context', 'jane', 'auth', 'whoami']);
    assert.match(whoami.stdout, /^Username\s+jane$/m);
    assert.match(whoami.stdout, /^Groups\s+\[dev system:authenticated\]$/m);
    const denied = await asJane(['--context', 'jane', 'get', 'pods']);
    assert.equal(denied.stderr, 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n');
    await ok(['create', 'rolebinding', 'jane-view', '--clusterrole=view', '--user=jane']);
    const allowed = await asJane(['--context', 'jane', 'get', 'pods']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stderr, 'No resources found in default namespace.\n');
  });

  it('denies a request, and fails one whose usages the signer refuses', async () => {
    await ok(['create', '-f', '-'], manifest('tom', request('tom', '/CN=tom')));
    assert.equal(await ok(['certificate', 'deny', 'tom']), 'certificatesigningrequest.certificates.k8s.io/tom denied\n');
    assert.equal(await condition('tom'), 'Denied');
    const tom = JSON.parse(await ok(['get', 'csr', 'tom', '-o', 'json']));
    assert.deepEqual(tom.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [['Denied', 'True', 'KubectlDeny']]);
    assert.equal(tom.status.certificate, undefined);

    await ok(['create', '-f', '-'], manifest('web', request('web', '/CN=web'), 'usages:\n  - server auth'));
    await ok(['certificate', 'approve', 'web']);
    await eventually(async () => (await condition('web')) === 'Approved,Failed', 'the signer failed it');
    const web = JSON.parse(await ok(['get', 'csr', 'web', '-o', 'json']));
    const failed = web.status.conditions.find((c: any) => c.type === 'Failed');
    assert.deepEqual([failed.reason, failed.message], ['SignerValidationFailure', 'invalid usage for client certificate: server auth']);
  });
});
