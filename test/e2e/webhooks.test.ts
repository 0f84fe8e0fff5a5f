// Admission webhooks with the real kubectl: configurations created, printed and described, an invalid one
// refused with upstream's causes; a validating webhook served at a `url` (an HTTPS server of this test, with a
// CA of its own) denying pods, a mutating one labelling them with a JSON patch, failurePolicy Fail and Ignore
// against a dead URL, a webhook whose Service has no endpoints; and, with the process runtime, a webhook served
// by a pod behind a Service.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { patchOf, startWebhookServer, testCa, type WebhookServer } from '../../src/testing/webhook-server.js';
import { processRuntimeUnavailable, startBadge, type Badge } from './harness.js';
import { freePort } from '../../src/testing/ports.js';

const ca = testCa();
const CA_BUNDLE = Buffer.from(ca.cert).toString('base64');

/** A configuration of one webhook for pods created in namespaces labelled webhooks=on. */
function configuration(kind: 'Validating' | 'Mutating', name: string, hook: string, clientConfig: string, extra = ''): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ${kind}WebhookConfiguration
metadata:
  name: ${name}
webhooks:
- name: ${hook}
  clientConfig:
${clientConfig}
  rules:
  - operations: ["CREATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["pods"]
  namespaceSelector:
    matchLabels:
      webhooks: "on"
  sideEffects: None
  admissionReviewVersions: ["v1"]
${extra}`;
}
const urlConfig = (url: string) => `    url: ${url}\n    caBundle: ${CA_BUNDLE}`;

describe('e2e: admission webhooks with the real kubectl', () => {
  let b: Badge;
  let server: WebhookServer;
  const ok = (args: string[], stdin?: string) => b.ok(args, stdin);
  const refused = (args: string[], stdin?: string) => b.fails(args, stdin);
  /** Waits until a pod create in `ns` gets past (or is stopped by) the webhooks as `expect` says. */
  const untilRefused = (ns: string, pod: string, text: string) =>
    eventually(async () => {
      const r = await b.kubectl(['-n', ns, 'run', pod, '--image=nginx', '--labels=deny=yes']);
      if (r.code === 0) await b.kubectl(['-n', ns, 'delete', 'pod', pod, '--wait=false']);
      return r.code === 1 && r.stderr.includes(text) ? r.stderr : undefined;
    }, 'the webhook to be called');

  before(async () => {
    b = await startBadge();
    server = await startWebhookServer(ca, (request, path) => {
      if (path.startsWith('/deny')) {
        return request.object?.metadata?.labels?.deny ? { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'pods labelled deny are not allowed here' } } : { allowed: true };
      }
      return { allowed: true, ...patchOf([{ op: 'add', path: '/metadata/labels/mutated-by', value: 'url-webhook' }]) };
    });
    await ok(['create', 'namespace', 'hooked']);
    await ok(['label', 'namespace', 'hooked', 'webhooks=on']);
  });
  after(async () => {
    await b.close();
    await server.close();
  });

  it('creates, prints and describes a configuration, and refuses an invalid one with upstream\'s causes', async () => {
    const cfg = configuration('Validating', 'deny-labelled', 'deny.example.com', urlConfig(`${server.url}/deny`));
    assert.equal(await ok(['create', '-f', '-'], cfg), 'validatingwebhookconfiguration.admissionregistration.k8s.io/deny-labelled created\n');
    assert.match(await ok(['get', 'validatingwebhookconfigurations']), /^NAME\s+WEBHOOKS\s+AGE\ndeny-labelled\s+1\s+\d+s\n$/);
    const described = await ok(['describe', 'validatingwebhookconfiguration', 'deny-labelled']);
    assert.match(described, /^Name:\s+deny-labelled\n/);
    assert.match(described, /Kind:\s+ValidatingWebhookConfiguration\n/);
    assert.match(described, /Webhooks:\n\s+Admission Review Versions:\n\s+v1\n/);
    assert.match(described, /Failure Policy:\s+Fail\n/);
    assert.match(described, /Timeout Seconds:\s+10\n/);
    const stored = JSON.parse(await ok(['get', 'validatingwebhookconfiguration', 'deny-labelled', '-o', 'json']));
    assert.deepEqual(stored.webhooks[0].rules[0].scope, '*');
    assert.equal(stored.webhooks[0].matchPolicy, 'Equivalent');

    const bad = configuration('Validating', 'bad', 'bad', `    url: http://hooks.example.com/x?y=1`).replace('  sideEffects: None\n', '');
    assert.equal(
      await refused(['create', '-f', '-'], bad),
      'The ValidatingWebhookConfiguration "bad" is invalid: \n' +
        '* webhooks[0].name: Invalid value: "bad": should be a domain with at least three segments separated by dots\n' +
        '* webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun\n' +
        '* webhooks[0].clientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]\n' +
        '* webhooks[0].clientConfig.url: Invalid value: "y=1": query parameters are not permitted in the URL\n',
    );
  });

  it('denies a pod with the webhook\'s message, and lets others through', async () => {
    const stderr = await untilRefused('hooked', 'denied', 'denied the request');
    assert.equal(stderr, 'Error from server (Forbidden): admission webhook "deny.example.com" denied the request: pods labelled deny are not allowed here\n');
    assert.equal(await ok(['-n', 'hooked', 'run', 'allowed', '--image=nginx']), 'pod/allowed created\n');
    // Namespaces the selector leaves out are not sent to the webhook.
    assert.equal(await ok(['run', 'elsewhere', '--image=nginx', '--labels=deny=yes']), 'pod/elsewhere created\n');
    await ok(['delete', 'validatingwebhookconfiguration', 'deny-labelled']);
  });

  it('labels pods through a mutating webhook\'s JSON patch', async () => {
    await ok(['create', '-f', '-'], configuration('Mutating', 'label-pods', 'label.example.com', urlConfig(`${server.url}/label`)));
    await eventually(async () => {
      await b.kubectl(['-n', 'hooked', 'delete', 'pod', 'labelled', '--wait=false', '--ignore-not-found']);
      await eventually(async () => (await b.kubectl(['-n', 'hooked', 'get', 'pod', 'labelled'])).code === 1, 'the pod gone');
      await ok(['-n', 'hooked', 'run', 'labelled', '--image=nginx']);
      return (await ok(['-n', 'hooked', 'get', 'pod', 'labelled', '-o', 'jsonpath={.metadata.labels.mutated-by}'])) === 'url-webhook';
    }, 'the mutating webhook to label the pod');
    assert.match(await ok(['-n', 'hooked', 'get', 'pod', 'labelled', '--show-labels']), /mutated-by=url-webhook,run=labelled/);
    await ok(['delete', 'mutatingwebhookconfiguration', 'label-pods']);
  });

  it('fails closed, or open with failurePolicy Ignore, when the webhook cannot be reached', async () => {
    const dead = await freePort();
    await ok(['create', '-f', '-'], configuration('Validating', 'dead', 'dead.example.com', urlConfig(`https://127.0.0.1:${dead}/dead`)));
    const stderr = await untilRefused('hooked', 'dead', 'failed calling webhook');
    assert.equal(stderr, `Error from server (InternalError): Internal error occurred: failed calling webhook "dead.example.com": failed to call webhook: Post "https://127.0.0.1:${dead}/dead?timeout=10s": dial tcp 127.0.0.1:${dead}: connect: connection refused\n`);
    await ok(['patch', 'validatingwebhookconfiguration', 'dead', '--type=json', '-p', '[{"op":"replace","path":"/webhooks/0/failurePolicy","value":"Ignore"}]']);
    await eventually(async () => (await b.kubectl(['-n', 'hooked', 'run', 'open', '--image=nginx'])).code === 0, 'the webhook to fail open');
    await ok(['delete', 'validatingwebhookconfiguration', 'dead']);
  });

  it('fails as kube-apiserver does when the webhook\'s Service has no endpoints', async () => {
    await ok(['create', 'namespace', 'hooks']);
    // A Service selecting no pod: the Endpoints controller gives it Endpoints without addresses.
    await ok(['-n', 'hooks', 'create', 'service', 'clusterip', 'validator', '--tcp=443:8443']);
    await eventually(async () => (await b.kubectl(['-n', 'hooks', 'get', 'endpoints', 'validator'])).code === 0, 'the empty Endpoints');
    const svc = `    service:\n      namespace: hooks\n      name: validator\n      path: /validate\n    caBundle: ${CA_BUNDLE}`;
    await ok(['create', '-f', '-'], configuration('Validating', 'no-endpoints', 'svc.example.com', svc));
    const stderr = await untilRefused('hooked', 'unserved', 'failed calling webhook');
    assert.equal(stderr, 'Error from server (InternalError): Internal error occurred: failed calling webhook "svc.example.com": failed to call webhook: Post "https://validator.hooks.svc:443/validate?timeout=10s": no endpoints available for service "validator"\n');
    await ok(['delete', 'validatingwebhookconfiguration', 'no-endpoints']);
  });
});

/** A mutating webhook in a pod: HTTPS with the certificate of its Secret volume, labelling what it is sent. */
const POD_SERVER = `
const https = require('https');
const fs = require('fs');
const patch = Buffer.from(JSON.stringify([{ op: 'add', path: '/metadata/labels/mutated-by', value: 'pod-webhook' }])).toString('base64');
https.createServer({ cert: fs.readFileSync('/certs/tls.crt'), key: fs.readFileSync('/certs/tls.key') }, (req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const { request } = JSON.parse(body);
    console.log('review', request.operation, request.name || request.object.metadata.generateName);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: request.uid, allowed: true, patchType: 'JSONPatch', patch } }));
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

const unavailable = processRuntimeUnavailable();

describe('e2e: a webhook served by a process-runtime pod behind a Service', { skip: unavailable, timeout: 300_000 }, () => {
  let b: Badge;
  const ok = (args: string[], stdin?: string) => b.ok(args, stdin);
  before(async () => {
    b = await startBadge({ runtime: 'process' });
  });
  after(() => b.close());

  it('calls the pod through its Service on create, and the pod\'s label is visible', async () => {
    const port = await freePort();
    const tls = ca.issue(['webhook.podhook.svc']);
    await ok(['create', 'namespace', 'podhook']);
    const manifests = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'webhook-tls', namespace: 'podhook' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': tls.cert, 'tls.key': tls.key } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'webhook-script', namespace: 'podhook' }, data: { 'server.js': POD_SERVER } },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'webhook', namespace: 'podhook', labels: { app: 'webhook' } },
          spec: {
            containers: [{ name: 'server', image: 'node', command: [process.execPath, '/script/server.js'], env: [{ name: 'PORT', value: String(port) }], ports: [{ containerPort: port }], volumeMounts: [{ name: 'certs', mountPath: '/certs' }, { name: 'script', mountPath: '/script' }] }],
            volumes: [{ name: 'certs', secret: { secretName: 'webhook-tls' } }, { name: 'script', configMap: { name: 'webhook-script' } }],
          },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'webhook', namespace: 'podhook' }, spec: { selector: { app: 'webhook' }, ports: [{ port: 443, targetPort: port }] } },
      ],
    };
    await ok(['apply', '-f', '-'], JSON.stringify(manifests));
    await eventually(async () => (await ok(['-n', 'podhook', 'logs', 'webhook'])).includes('listening'), 'the webhook pod to listen', 60_000);
    // The Endpoints controller lists the pod (its address is the pod network's; the dialer reaches it by its
    // targetRef, through the node agent's port forwarding).
    await eventually(async () => (await ok(['-n', 'podhook', 'get', 'endpoints', 'webhook', '-o', 'jsonpath={.subsets[0].addresses[0].targetRef.name}'])) === 'webhook', 'the pod in the Endpoints', 30_000);

    await ok(['create', 'namespace', 'hooked']);
    await ok(['label', 'namespace', 'hooked', 'webhooks=on']);
    const svc = `    service:\n      namespace: podhook\n      name: webhook\n    caBundle: ${CA_BUNDLE}`;
    await ok(['create', '-f', '-'], configuration('Mutating', 'pod-served', 'pod.example.com', svc));
    const labelled = await eventually(async () => {
      await b.kubectl(['-n', 'hooked', 'delete', 'pod', 'target', '--wait=false', '--ignore-not-found']);
      await eventually(async () => (await b.kubectl(['-n', 'hooked', 'get', 'pod', 'target'])).code === 1, 'the pod gone');
      const r = await b.kubectl(['-n', 'hooked', 'run', 'target', '--image=busybox', '--command', '--', 'sleep', '3600']);
      if (r.code !== 0) return undefined;
      const label = await ok(['-n', 'hooked', 'get', 'pod', 'target', '-o', 'jsonpath={.metadata.labels.mutated-by}']);
      return label === 'pod-webhook' ? label : undefined;
    }, 'the pod-served webhook to label the pod', 60_000);
    assert.equal(labelled, 'pod-webhook');
    assert.match(await ok(['-n', 'podhook', 'logs', 'webhook']), /review CREATE target/);
  });
});
