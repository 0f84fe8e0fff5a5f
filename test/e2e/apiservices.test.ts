// APIServices with the real kubectl: Badge's own group versions listed as Local, the availability
// of others from their Service (ServiceNotFound, MissingEndpoints), and a working backend, a small
// HTTPS server started here on the host's loopback, as the process of a process-runtime pod behind a
// Service with a selector (pods share the host's network; the Endpoints controller lists the pod,
// and Badge reaches its port through the node agent): Available, its group in discovery
// (`kubectl api-resources`), its resources proxied as the requesting user (X-Remote-User) over a
// connection with Badge's front-proxy-client certificate, which the backend checks against the CA
// Badge publishes in kube-system/extension-apiserver-authentication.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { createCertificate } from '../../src/pki/x509.js';
import { eventually } from '../../src/testing/eventually.js';
import { processRuntimeUnavailable, startBadge, type Badge } from './harness.js';

const GROUP = 'wardle.example.com';
const VERSION = 'v1alpha1';

/** A CA and a serving certificate for the Service's name, as a backend's would be. */
function backendPki(dnsName: string) {
  const now = new Date(Date.now() - 60_000);
  const later = new Date(Date.now() + 3600_000);
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caCert = createCertificate({ subject: { commonName: 'wardle-ca' }, publicKey: ca.publicKey, signingKey: ca.privateKey, notBefore: now, notAfter: later, ca: true });
  const leaf = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const cert = createCertificate({ subject: { commonName: dnsName }, publicKey: leaf.publicKey, issuer: caCert, signingKey: ca.privateKey, notBefore: now, notAfter: later, usage: 'server', dnsNames: [dnsName] });
  return { ca: caCert, cert, key: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** The backend runs behind a pod, which only the process runtime runs. */
const noProcesses = processRuntimeUnavailable();

const LOCAL = [
  'v1.',
  'v1.admissionregistration.k8s.io',
  'v1.apiextensions.k8s.io',
  'v1.apps',
  'v1.authentication.k8s.io',
  'v1.authorization.k8s.io',
  'v1.autoscaling',
  'v1.batch',
  'v1.certificates.k8s.io',
  'v1.coordination.k8s.io',
  'v1.discovery.k8s.io',
  'v1.events.k8s.io',
  'v1.networking.k8s.io',
  'v1.policy',
  'v1.rbac.authorization.k8s.io',
  'v1.scheduling.k8s.io',
  'v1.storage.k8s.io',
  'v1beta1.authentication.k8s.io',
  'v1beta1.metrics.k8s.io',
  'v2.autoscaling',
];

describe('e2e: APIServices with the real kubectl', () => {
  let b: Badge;
  let backend: Server;
  let port = 0;
  const seen: { path: string; user?: string; groups?: string; client?: string }[] = [];
  const pki = backendPki('api.wardle.svc');
  const ok = (args: string[], stdin?: string) => b.ok(args, stdin);
  const available = (name: string, want: RegExp) =>
    eventually(async () => {
      const out = await ok(['get', 'apiservice', name, '--no-headers']);
      if (want.test(out)) return out;
      throw new Error(`${out.trim()}: ${await ok(['get', 'apiservice', name, '-o', 'jsonpath={.status.conditions[0].message}'])}`);
    }, `${name} ${want}`, 20_000);

  before(async () => {
    b = await startBadge({ runtime: noProcesses ? 'simulated' : 'process' });
    // The backend trusts requests whose client certificate is Badge's front proxy's, signed by the CA Badge publishes.
    const auth = JSON.parse(await ok(['get', 'configmap', '-n', 'kube-system', 'extension-apiserver-authentication', '-o', 'json'])).data;
    assert.deepEqual(JSON.parse(auth['requestheader-allowed-names']), ['front-proxy-client']);
    assert.deepEqual(JSON.parse(auth['requestheader-username-headers']), ['X-Remote-User']);
    backend = createServer({ cert: pki.cert, key: pki.key, ca: auth['requestheader-client-ca-file'], requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      seen.push({ path: req.url ?? '', user: req.headers['x-remote-user'] as string, groups: req.headers['x-remote-group'] as string, client: String(peer.subject?.CN) });
      res.setHeader('Content-Type', 'application/json');
      if (req.url === `/apis/${GROUP}/${VERSION}`) {
        res.end(JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${GROUP}/${VERSION}`, resources: [{ name: 'flunders', singularName: 'flunder', namespaced: true, kind: 'Flunder', verbs: ['get', 'list'], shortNames: ['fl'] }] }));
      } else if (req.url === `/apis/${GROUP}/${VERSION}/namespaces/default/flunders/one`) {
        res.end(JSON.stringify({ apiVersion: `${GROUP}/${VERSION}`, kind: 'Flunder', metadata: { name: 'one', namespace: 'default' }, spec: { askedBy: req.headers['x-remote-user'] } }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
      }
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    port = (backend.address() as AddressInfo).port;
  });
  after(async () => {
    backend.close();
    await b.close();
  });

  it("lists Badge's own group versions as Local and available", async () => {
    await eventually(async () => (await ok(['get', 'apiservices', '-o', 'name'])).split('\n').filter(Boolean).length >= LOCAL.length, 'the Local APIServices');
    const out = await ok(['get', 'apiservices']);
    const width = Math.max(...LOCAL.map((n) => n.length)) + 3;
    const lines = out.trimEnd().split('\n');
    assert.deepEqual(lines[0]!.split(/\s+/), ['NAME', 'SERVICE', 'AVAILABLE', 'AGE']);
    assert.deepEqual(
      lines.slice(1).map((l) => l.replace(/\s+\S+$/, '')),
      LOCAL.map((n) => `${n.padEnd(width)}Local     True`),
    );
    const core = JSON.parse(await ok(['get', 'apiservice', 'v1.', '-o', 'json']));
    assert.deepEqual(core.metadata.labels, { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' });
    assert.deepEqual(core.spec, { groupPriorityMinimum: 18000, version: 'v1', versionPriority: 1 });
    assert.deepEqual(
      core.status.conditions.map((c: Record<string, string>) => [c.type, c.status, c.reason, c.message]),
      [['Available', 'True', 'Local', 'Local APIServices are always available']],
    );
  });

  it('gives a CustomResourceDefinition version a Local APIService while it lasts', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.toys.example.com
spec:
  group: toys.example.com
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object}}
`);
    const out = await available('v1.toys.example.com', /Local\s+True/);
    assert.match(out, /^v1\.toys\.example\.com\s+Local\s+True\s+\S+\s*$/);
    const s = JSON.parse(await ok(['get', 'apiservice', 'v1.toys.example.com', '-o', 'json']));
    assert.deepEqual([s.spec.groupPriorityMinimum, s.spec.versionPriority, s.metadata.labels['kube-aggregator.kubernetes.io/automanaged']], [1000, 100, 'true']);
    await ok(['delete', 'crd', 'gadgets.toys.example.com']);
    await eventually(async () => (await b.kubectl(['get', 'apiservice', 'v1.toys.example.com'])).code === 1, 'the APIService gone with its definition');
  });

  it('says when the Service is missing, and when it has no endpoints', async () => {
    await ok(['create', 'namespace', 'wardle']);
    await ok(['apply', '-f', '-'], `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1.missing.example.com
spec:
  group: missing.example.com
  version: v1
  groupPriorityMinimum: 100
  versionPriority: 10
  insecureSkipTLSVerify: true
  service: {namespace: wardle, name: nothing}
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: wardle}
spec:
  ports: [{name: https, port: 443, targetPort: 8443}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: empty, namespace: wardle}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1.empty.example.com
spec:
  group: empty.example.com
  version: v1
  groupPriorityMinimum: 100
  versionPriority: 10
  insecureSkipTLSVerify: true
  service: {namespace: wardle, name: empty}
`);
    assert.match(await available('v1.missing.example.com', /False \(ServiceNotFound\)/), /^v1\.missing\.example\.com\s+wardle\/nothing\s+False \(ServiceNotFound\)\s+\S+\s*$/);
    assert.match(await available('v1.empty.example.com', /False \(MissingEndpoints\)/), /^v1\.empty\.example\.com\s+wardle\/empty\s+False \(MissingEndpoints\)\s+\S+\s*$/);
    const described = await ok(['get', 'apiservice', 'v1.empty.example.com', '-o', 'jsonpath={.status.conditions[0].message}']);
    assert.equal(described, 'endpoints for service/empty in "wardle" have no addresses with port name "https"');
    const r = await b.api('GET', '/apis/empty.example.com/v1/namespaces/default/things');
    assert.deepEqual([r.status, r.text], [503, 'service unavailable\n']);
  });

  it('proxies to a working backend as the requesting user, and lists its resources', { skip: noProcesses }, async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: wardle, labels: {app: wardle-api}}
spec:
  containers: [{name: api, image: wardle-server, command: [sleep, '3600']}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: wardle}
spec:
  selector: {app: wardle-api}
  ports: [{name: https, port: 443, targetPort: ${port}}]
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: ${VERSION}.${GROUP}
spec:
  group: ${GROUP}
  version: ${VERSION}
  groupPriorityMinimum: 100
  versionPriority: 10
  caBundle: ${Buffer.from(pki.ca).toString('base64')}
  service: {namespace: wardle, name: api}
`);
    assert.match(await available(`${VERSION}.${GROUP}`, /\sTrue\s/), new RegExp(`^${VERSION}\\.wardle\\.example\\.com\\s+wardle/api\\s+True\\s+\\S+\\s*$`));
    const s = JSON.parse(await ok(['get', 'apiservice', `${VERSION}.${GROUP}`, '-o', 'json']));
    assert.deepEqual([s.status.conditions[0].reason, s.status.conditions[0].message], ['Passed', 'all checks passed']);
    assert.ok(seen.some((r) => r.path === `/apis/${GROUP}/${VERSION}` && r.user === 'system:kube-aggregator' && r.client === 'front-proxy-client'));

    const flunder = JSON.parse(await ok(['get', '--raw', `/apis/${GROUP}/${VERSION}/namespaces/default/flunders/one`]));
    assert.deepEqual(flunder.spec, { askedBy: 'badge-admin' });
    const asked = seen.find((r) => r.path.endsWith('/flunders/one'))!;
    assert.deepEqual([asked.user, asked.client], ['badge-admin', 'front-proxy-client']);
    assert.match(asked.groups ?? '', /system:masters/);

    const resources = await eventually(async () => {
      const out = await ok(['api-resources', '--api-group', GROUP]);
      return out.includes('flunders') ? out : undefined;
    }, 'the backend resources in discovery', 20_000);
    assert.match(resources, new RegExp(`^flunders\\s+fl\\s+${GROUP}/${VERSION}\\s+true\\s+Flunder\\s*$`, 'm'));
    assert.match(await ok(['api-versions']), new RegExp(`^${GROUP}/${VERSION}$`, 'm'));
    // kubectl get uses the discovered resource, and the server's table is the backend's.
    assert.equal(JSON.parse(await ok(['get', 'fl', 'one', '-o', 'json'])).metadata.name, 'one');
  });

  it('refuses an invalid APIService with upstream\'s message', async () => {
    const r = await b.kubectl(['apply', '-f', '-'], {
      stdin: `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1.wrong.example.com}
spec:
  group: other.example.com
  version: v1
  groupPriorityMinimum: 100
  versionPriority: 10
  caBundle: ${Buffer.from(pki.ca).toString('base64')}
  insecureSkipTLSVerify: true
  service: {namespace: wardle, name: api}
`,
    });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      `The APIService "v1.wrong.example.com" is invalid: \n* metadata.name: Invalid value: "v1.wrong.example.com": must be \`spec.version+"."+spec.group\`: "v1.other.example.com"\n* spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present`,
    );
  });
});
