// Protobuf replies (application/vnd.kubernetes.protobuf), as client-go programs negotiate them:
// kubectl 1.32 and 1.33 (whose typed clientset asks `application/vnd.kubernetes.protobuf,
// application/json`) get them and print the same as the JSON-only kubectl 1.27–1.31; every stored
// kind, listed in protobuf at the revision of a JSON list, decodes to that list; errors, watches
// and metadata-only lists come in protobuf too. What the server answered each request in is
// recorded server-side (test-only) to prove protobuf was used.
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { canonicalize } from '../../src/api/canonical.js';
import { arr, obj, pb, type ObjectSchema } from '../../src/api/schema.js';
import { listMeta, partialObjectMetadata, status } from '../../src/registry/schemas/meta.js';
import { decodeProtobuf } from '../../src/server/protobuf.js';
import { eventually } from '../../src/testing/eventually.js';
import { run, startBadge, type Badge } from './harness.js';

const PB = 'application/vnd.kubernetes.protobuf';

interface Reply {
  method: string;
  path: string;
  agent: string;
  accept: string;
  type: string;
}

/** Test-only: every reply the in-process server starts, with what its request asked for. */
function recordReplies(): { replies: Reply[]; stop(): void } {
  const replies: Reply[] = [];
  const patch = (proto: { writeHead: (...args: never[]) => unknown }) => {
    const original = proto.writeHead;
    proto.writeHead = function (this: http.ServerResponse, ...args: never[]) {
      const req = this.req;
      replies.push({ method: req.method ?? '', path: req.url ?? '', agent: String(req.headers['user-agent'] ?? ''), accept: String(req.headers.accept ?? ''), type: String(this.getHeader('content-type') ?? '') });
      return original.apply(this, args);
    };
    return () => void (proto.writeHead = original);
  };
  const undo = [patch(http.ServerResponse.prototype), patch(http2.Http2ServerResponse.prototype as never)];
  return { replies, stop: () => undo.forEach((u) => u()) };
}

const listSchema = (item: ObjectSchema) => obj(undefined, 'A list.', { metadata: pb(1, listMeta), items: pb(2, arr(item)) });

/** Decodes a protobuf body the server wrote: any served kind, its list, a Status or PartialObjectMetadata. */
function decode(b: Badge, body: Buffer): Record<string, any> {
  const kindSchema = (apiVersion: string, kind: string) =>
    kind === 'Status' ? status : kind === 'PartialObjectMetadata' ? partialObjectMetadata : b.server.registry.schemaFor(apiVersion, kind);
  const schemaFor = (apiVersion: string, kind: string) => {
    const item = kind.endsWith('List') ? kindSchema(apiVersion, kind.slice(0, -4)) : undefined;
    return item ? listSchema(item) : kindSchema(apiVersion, kind);
  };
  const decoded = decodeProtobuf(body, schemaFor);
  canonicalize(decoded, schemaFor(decoded.apiVersion as string, decoded.kind as string)!);
  return decoded;
}

/** The events of a protobuf watch: frames of a 4-byte length and a WatchEvent {1 type, 2 RawExtension {1 raw}}. */
function frames(b: Badge, stream: Buffer): { type: string; object: Record<string, any> }[] {
  const out = [];
  for (let at = 0; at < stream.length; ) {
    const end = at + 4 + stream.readUInt32BE(at);
    const event = fields(stream.subarray(at + 4, end));
    out.push({ type: event.get(1)!.toString(), object: decode(b, fields(event.get(2)!).get(1)!) });
    at = end;
  }
  return out;
}

/** The length-delimited fields of a message, by number (enough for WatchEvent and RawExtension). */
function fields(message: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let at = 0;
  const varint = () => {
    let n = 0;
    for (let shift = 1; ; shift *= 0x80) {
      const byte = message[at++]!;
      n += (byte & 0x7f) * shift;
      if (byte < 0x80) return n;
    }
  };
  while (at < message.length) {
    const tag = varint();
    assert.equal(tag % 8, 2, 'length-delimited');
    const size = varint();
    out.set(Math.floor(tag / 8), message.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** A streamed GET as the admin, its bytes collected until the server ends it. */
function stream(b: Badge, path: string, accept: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${b.server.url}${path}`, { ca: b.server.pki.ca.cert, cert: b.server.pki.admin.cert, key: b.server.pki.admin.key, headers: { Accept: accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('e2e: protobuf replies', () => {
  let b: Badge;
  let recorder: ReturnType<typeof recordReplies>;
  before(async () => {
    b = await startBadge();
    recorder = recordReplies();
  });
  after(async () => {
    recorder.stop();
    await b.close();
  });

  const curl = (path: string, ...args: string[]) =>
    run('curl', ['-s', '--cacert', `${b.dataDir}/pki/ca.crt`, '--cert', `${b.dataDir}/pki/admin.crt`, '--key', `${b.dataDir}/pki/admin.key`, ...args, `${b.server.url}${path}`]);

  describe('kubectl', () => {
    const typedClientCommands = (ns: string) => [
      ['create', 'namespace', ns],
      ['-n', ns, 'create', 'serviceaccount', 'robot'],
      ['-n', ns, 'create', 'token', 'robot', '--duration=1h'],
      ['-n', ns, 'create', 'role', 'reader', '--verb=get,list', '--resource=pods'],
      ['-n', ns, 'create', 'rolebinding', 'reader', '--role=reader', `--serviceaccount=${ns}:robot`],
      ['-n', ns, 'auth', 'can-i', 'list', 'pods', `--as=system:serviceaccount:${ns}:robot`],
      ['-n', ns, 'auth', 'can-i', '--list'],
      ['auth', 'whoami'],
      ['-n', ns, 'describe', 'serviceaccount', 'robot'],
      ['-n', ns, 'create', 'configmap', 'settings', '--from-literal=a=b'],
      ['-n', ns, 'create', 'secret', 'generic', 'keys', '--from-literal=a=b'],
      ['-n', ns, 'create', 'deployment', 'web', '--image=nginx'],
      ['-n', ns, 'events'],
    ];

    for (const version of ['1.32', '1.33']) {
      it(`kubectl ${version}: the typed-client commands get protobuf replies, and print what they print with JSON`, async () => {
        const ns = `pb-${version.replace('.', '-')}`;
        const from = recorder.replies.length;
        for (const args of typedClientCommands(ns)) {
          const r = await b.kubectl(args, { version });
          assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
          if (args.includes('token')) assert.match(r.stdout, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
          if (args.includes('can-i') && !args.includes('--list')) assert.equal(r.stdout.trim(), 'yes');
          if (args.includes('whoami')) assert.match(r.stdout, /Username\s+badge-admin/);
          if (args.includes('describe')) assert.match(r.stdout, /^Name:\s+robot\nNamespace:\s+pb-/);
        }
        const mine = recorder.replies.slice(from).filter((r) => r.agent.startsWith(`kubectl.${version}/`) || r.agent.startsWith('kubectl/'));
        const inProtobuf = mine.filter((r) => r.type === PB).map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`);
        for (const expected of [
          `POST /api/v1/namespaces`,
          `POST /api/v1/namespaces/${ns}/serviceaccounts`,
          `POST /api/v1/namespaces/${ns}/serviceaccounts/robot/token`,
          `POST /apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`,
          `POST /apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
          `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`,
          `POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews`,
          `POST /apis/authentication.k8s.io/v1/selfsubjectreviews`,
          `GET /api/v1/namespaces/${ns}/serviceaccounts/robot`,
          `GET /api/v1/namespaces/${ns}/events`,
          `POST /api/v1/namespaces/${ns}/configmaps`,
          `POST /api/v1/namespaces/${ns}/secrets`,
          `POST /apis/apps/v1/namespaces/${ns}/deployments`,
        ]) {
          assert.ok(inProtobuf.includes(expected), `${expected} in protobuf; got ${JSON.stringify(inProtobuf)}`);
        }
        for (const r of mine) if (r.accept.startsWith(PB)) assert.equal(r.type, PB, `${r.method} ${r.path}`);

        // Errors come back as a protobuf Status, which kubectl reads.
        const again = await b.kubectl(['-n', ns, 'create', 'serviceaccount', 'robot'], { version });
        assert.equal(again.code, 1);
        assert.equal(again.stderr.trim(), 'error: failed to create serviceaccount: serviceaccounts "robot" already exists');
        assert.equal(recorder.replies.filter((r) => r.method === 'POST').pop()?.type, PB);
      });
    }

    it('kubectl 1.27 to 1.31 ask for JSON, and describe prints the same as 1.33 does from protobuf', async () => {
      const pbDescribe = await b.kubectl(['-n', 'pb-1-33', 'describe', 'serviceaccount', 'robot'], { version: '1.33' });
      for (const version of ['1.27', '1.28', '1.29', '1.30', '1.31']) {
        const from = recorder.replies.length;
        const r = await b.kubectl(['-n', 'pb-1-33', 'describe', 'serviceaccount', 'robot'], { version });
        assert.equal(r.stdout, pbDescribe.stdout, version);
        const can = await b.kubectl(['-n', 'pb-1-33', 'auth', 'can-i', 'list', 'pods', '--as=system:serviceaccount:pb-1-33:robot'], { version });
        assert.equal(can.stdout.trim(), 'yes', version);
        assert.deepEqual(recorder.replies.slice(from).filter((x) => x.type === PB), [], version);
      }
    });
  });

  describe('every stored kind', () => {
    before(async () => {
      // Objects with status filled in by controllers and the node: pods running, a job, a daemon set, a stateful set, events, leases.
      await b.api('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'kinds' } }));
      const post = (path: string, body: object) => b.api('POST', path, JSON.stringify(body));
      await post('/apis/apps/v1/namespaces/kinds/deployments', {
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '250m', memory: '64Mi' } }, readinessProbe: { httpGet: { path: '/', port: 'http' } } }] } } },
      });
      await post('/apis/policy/v1/namespaces/kinds/poddisruptionbudgets', { metadata: { name: 'web' }, spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } });
      // A DaemonSet: its pod on the node, and its ControllerRevision.
      await post('/apis/apps/v1/namespaces/kinds/daemonsets', {
        metadata: { name: 'agent' },
        spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'fluentd' }] } } },
      });
      // A StatefulSet: its pod, its claim and its ControllerRevision.
      await post('/apis/apps/v1/namespaces/kinds/statefulsets', {
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql' }] }] } },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        },
      });
      await post('/api/v1/namespaces/kinds/replicationcontrollers', { metadata: { name: 'legacy' }, spec: { replicas: 1, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
      await post('/apis/autoscaling/v2/namespaces/kinds/horizontalpodautoscalers', {
        metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
      });
      await post('/api/v1/namespaces/kinds/services', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
      await post('/apis/batch/v1/namespaces/kinds/jobs', { metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] } } } });
      await post('/api/v1/namespaces/kinds/secrets', { metadata: { name: 'keys' }, type: 'Opaque', data: { key: Buffer.from('value').toString('base64'), empty: '' } });
      await post('/apis/rbac.authorization.k8s.io/v1/namespaces/kinds/roles', { metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
      await post('/apis/rbac.authorization.k8s.io/v1/namespaces/kinds/rolebindings', { metadata: { name: 'reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'kinds' }] });
      // A policy (NamedRuleWithOperations holds two inline-embedded structs) and its binding; compared once
      // the type checking has written its status.
      const vap = '/apis/admissionregistration.k8s.io/v1';
      await post(`${vap}/validatingadmissionpolicies`, {
        metadata: { name: 'kinds' },
        spec: {
          paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
          matchConstraints: { resourceRules: [{ apiGroups: ['kinds.example.com'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['things', 'things/status'], resourceNames: ['a'] }], objectSelector: { matchLabels: { x: 'y' } } },
          matchConditions: [{ name: 'always', expression: 'true' }],
          variables: [{ name: 'n', expression: 'object.metadata.name' }],
          validations: [{ expression: "variables.n != 'b'", message: 'not b', reason: 'Forbidden' }],
          auditAnnotations: [{ key: 'name', valueExpression: 'string(variables.n)' }],
        },
      });
      await post(`${vap}/validatingadmissionpolicybindings`, { metadata: { name: 'kinds' }, spec: { policyName: 'kinds', paramRef: { selector: { matchLabels: { p: 'q' } }, namespace: 'kinds' }, validationActions: ['Warn', 'Audit'] } });
      for (let i = 0; i < 200 && (await b.api('GET', `${vap}/validatingadmissionpolicies/kinds`)).json.status?.observedGeneration !== 1; i++) await new Promise((r) => setTimeout(r, 25));
      // Webhooks (RuleWithOperations embeds Rule) for a resource no request here writes.
      const hook = {
        rules: [{ apiGroups: ['kinds.example.com'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['things'], scope: 'Namespaced' }],
        namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] },
        objectSelector: { matchLabels: { x: 'y' } },
        matchConditions: [{ name: 'always', expression: 'true' }],
        sideEffects: 'NoneOnDryRun',
        admissionReviewVersions: ['v1', 'v1beta1'],
        timeoutSeconds: 5,
        failurePolicy: 'Ignore',
        matchPolicy: 'Exact',
      };
      await post(`${vap}/validatingwebhookconfigurations`, { metadata: { name: 'kinds' }, webhooks: [{ name: 'v.kinds.example.com', clientConfig: { url: 'https://127.0.0.1:1/v', caBundle: Buffer.from('PEM').toString('base64') }, ...hook }] });
      await post(`${vap}/mutatingwebhookconfigurations`, { metadata: { name: 'kinds' }, webhooks: [{ name: 'm.kinds.example.com', clientConfig: { service: { namespace: 'kinds', name: 'hook', path: '/m', port: 8443 } }, reinvocationPolicy: 'IfNeeded', ...hook }] });
      await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        metadata: { name: 'things.kinds.example.com' },
        spec: { group: 'kinds.example.com', scope: 'Namespaced', names: { plural: 'things', kind: 'Thing' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
      });
      // Compared once its controller has accepted it, so the JSON and protobuf reads see one revision.
      for (let i = 0; i < 200; i++) {
        const crd = await b.api('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.kinds.example.com');
        if (crd.json.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True')) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      // A client certificate request (made by openssl), approved through /approval and issued by the signer.
      await post('/apis/certificates.k8s.io/v1/certificatesigningrequests', { metadata: { name: 'kinds' }, spec: { request: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIaU1JR0lBZ0VBTUNZeEVUQVBCZ05WQkFvTUNISmxjM1IwWlhOME1SRXdEd1lEVlFRRERBaHlaWE4wZEdWegpkREJaTUJNR0J5cUdTTTQ5QWdFR0NDcUdTTTQ5QXdFSEEwSUFCQWF5RHl2Y1RQamZLWlBscWYxblpiRG5zWDJJCmRDWVZ0MzJkUjZtUExhODQ5ZHg5RHJQbzRUOW9nZFk5R2ROZXlHV1ZIVGZDN3NMOFJueGpEK2JWTlZDZ0FEQUsKQmdncWhrak9QUVFEQWdOSkFEQkdBaUVBclRaTG1IV1BhbmkzeEpMbERGMjEzSXM4Mi9CV0JKQUFYMWdVUm1xagpoUllDSVFEdlJoTWNLWFJoZGlVUEk2Z0QxRXZCeXpkUDBLQ0NSS2ZjV0dMVmtGTUpYZz09Ci0tLS0tRU5EIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQo=', signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 3600, usages: ['digital signature', 'client auth'] } });
      const approved = await b.api('PUT', '/apis/certificates.k8s.io/v1/certificatesigningrequests/kinds/approval', JSON.stringify({ metadata: { name: 'kinds' }, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'protobuf' }] } }));
      assert.equal(approved.status, 200, approved.text);
      await eventually(async () => !!(await b.api('GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/kinds')).json.status.certificate, 'the certificate issued', 20_000);
      // An APIService of another server (Local ones are there already): its Service reference, caBundle and condition.
      await post('/apis/apiregistration.k8s.io/v1/apiservices', {
        metadata: { name: 'v1.remote.example.com' },
        spec: { group: 'remote.example.com', version: 'v1', groupPriorityMinimum: 100, versionPriority: 10, caBundle: Buffer.from('CA').toString('base64'), service: { namespace: 'kinds', name: 'api', port: 8443 } },
      });
      await eventually(async () => (await b.api('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1.remote.example.com')).json.status?.conditions?.[0]?.reason === 'ServiceNotFound', 'an APIService with its condition');
      await post('/apis/networking.k8s.io/v1/ingressclasses', { metadata: { name: 'kinds' }, spec: { controller: 'example.com/ingress', parameters: { apiGroup: 'example.com', kind: 'Params', name: 'p', scope: 'Namespace', namespace: 'kinds' } } });
      await post('/apis/networking.k8s.io/v1/namespaces/kinds/ingresses', {
        metadata: { name: 'web' },
        spec: {
          ingressClassName: 'kinds',
          defaultBackend: { resource: { apiGroup: 'example.com', kind: 'Bucket', name: 'static' } },
          tls: [{ hosts: ['*.example.com'], secretName: 'tls' }],
          rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }, { path: '/api', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }, { host: '*.example.com' }],
        },
      });
      const lb = await b.api('PUT', '/apis/networking.k8s.io/v1/namespaces/kinds/ingresses/web/status', JSON.stringify({
        metadata: { name: 'web' },
        status: { loadBalancer: { ingress: [{ ip: '10.0.0.1', ports: [{ port: 443, protocol: 'TCP', error: 'Pending' }] }, { hostname: 'lb.example.com' }] } },
      }));
      assert.equal(lb.status, 200, lb.body.toString());
      await post('/apis/networking.k8s.io/v1/namespaces/kinds/networkpolicies', {
        metadata: { name: 'web' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ podSelector: {}, namespaceSelector: { matchLabels: { team: 'a' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80, endPort: 90 }, { protocol: 'UDP', port: 'dns' }] }],
          egress: [{ to: [{ namespaceSelector: {} }] }],
        },
      });
      await post('/api/v1/namespaces/kinds/podtemplates', { metadata: { name: 'web' }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } });
      await post('/apis/discovery.k8s.io/v1/namespaces/kinds/endpointslices', {
        metadata: { name: 'by-hand' },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: false, serving: true, terminating: true }, hostname: 'h', nodeName: 'n', zone: 'z', hints: { forZones: [{ name: 'z' }] }, targetRef: { kind: 'Pod', namespace: 'kinds', name: 'p' } }],
        ports: [{ name: 'http', port: 80, appProtocol: 'http' }, { name: 'all' }],
      });
      await post('/apis/scheduling.k8s.io/v1/priorityclasses', { metadata: { name: 'kinds' }, value: 10, globalDefault: false, description: 'protobuf', preemptionPolicy: 'Never' });
      // Suspended: no Job of its own, so nothing changes it between the JSON and protobuf reads.
      await post('/apis/batch/v1/namespaces/kinds/cronjobs', { metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', timeZone: 'Europe/Paris', suspend: true, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } });
      await post('/api/v1/namespaces/kinds/persistentvolumeclaims', { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
      await post('/apis/storage.k8s.io/v1/storageclasses', { metadata: { name: 'kinds' }, provisioner: 'example.com/external', parameters: { type: 'fast' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, mountOptions: ['ro'], allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a'] }] }] });
      await post('/api/v1/persistentvolumes', { metadata: { name: 'kinds-nfs' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany'], nfs: { server: 'nfs.example.com', path: '/exports' }, mountOptions: ['hard'], storageClassName: 'kinds', claimRef: { namespace: 'kinds', name: 'elsewhere' } } });
      await post('/api/v1/persistentvolumes', { metadata: { name: 'kinds-csi' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], csi: { driver: 'csi.example.com', volumeHandle: 'h', readOnly: true, fsType: 'ext4', volumeAttributes: { a: 'b' }, nodePublishSecretRef: { name: 's', namespace: 'kinds' } }, volumeMode: 'Block', storageClassName: 'kinds' } });
      await eventually(async () => (await b.api('GET', '/api/v1/namespaces/kinds/persistentvolumeclaims/data')).json.status.phase === 'Bound', 'the claim bound by the default class', 20_000);
      await post('/api/v1/namespaces/kinds/limitranges', { metadata: { name: 'claims' }, spec: { limits: [{ type: 'PersistentVolumeClaim', min: { storage: '1Mi' }, max: { storage: '10Gi' } }] } });
      await post('/apis/events.k8s.io/v1/namespaces/kinds/events', {
        metadata: { name: 'ev' },
        eventTime: '2025-01-01T00:00:00.123456Z',
        reportingController: 'example.com/test',
        reportingInstance: 'test-1',
        action: 'Test',
        reason: 'Tested',
        type: 'Normal',
        regarding: { kind: 'Pod', namespace: 'kinds', name: 'p' },
      });
      await eventually(async () => (await b.api('GET', '/api/v1/namespaces/kinds/pods')).json.items.filter((p: any) => p.status.phase === 'Running').length === 5, 'five running pods (the Deployment\'s two, the ReplicationController\'s, the DaemonSet\'s, the StatefulSet\'s)', 20_000);
      await eventually(async () => (await b.api('GET', '/apis/policy/v1/namespaces/kinds/poddisruptionbudgets/web')).json.status.expectedPods === 2, 'a budget with its status', 20_000);
      // A quota of what is running, compared once the quota controller has counted it.
      await post('/api/v1/namespaces/kinds/resourcequotas', { metadata: { name: 'objects' }, spec: { hard: { pods: '10', 'count/deployments.apps': '5', 'requests.cpu': '2' } } });
      await eventually(async () => (await b.api('GET', '/api/v1/namespaces/kinds/resourcequotas/objects')).json.status?.used?.['requests.cpu'] === '500m', 'the quota used', 20_000);
      // The node's figures need two samples of the host, 5 s apart.
      await eventually(async () => (await b.api('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).json.items?.length > 0, "the node's metrics", 20_000);
    });

    it('lists every stored kind in protobuf as in JSON, at the same revision', async () => {
      // Custom resources have no protobuf form (custom-resources.test.ts).
      for (const def of b.server.registry.defs.filter((d) => !d.createOnly && !d.unstructured)) {
        const collection = `${def.group ? `/apis/${def.group}` : '/api'}/${def.version}/${def.resource}`;
        const json = await b.api('GET', collection);
        assert.equal(json.status, 200, collection);
        const at = `?resourceVersion=${json.json.metadata.resourceVersion}&resourceVersionMatch=Exact`;
        const reply = await b.api('GET', collection + at, undefined, { Accept: `${PB}, application/json` });
        assert.equal(reply.headers['content-type'], PB, collection);
        const list = decode(b, reply.body);
        assert.equal(list.kind, `${def.kind}List`);
        assert.ok(json.json.items.length > 0, `${collection} has objects to compare`);
        // Go's JSON writes an unset non-pointer time as null; the canonical form of both drops it.
        canonicalize(json.json, listSchema(def.schema));
        assert.deepEqual(list, json.json, collection);
      }
    });

    it('gets a single object in protobuf as in JSON', async () => {
      for (const path of ['/api/v1/namespaces/kube-system', '/api/v1/nodes', '/api/v1/namespaces/kinds/services/web', '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin']) {
        const json = (await b.api('GET', path)).json;
        const item = json.items ? `${path}/${json.items[0].metadata.name}` : path;
        const [asJson, asPb] = [await b.api('GET', item), await b.api('GET', item, undefined, { Accept: PB })];
        if (asJson.json.metadata.resourceVersion !== decode(b, asPb.body).metadata.resourceVersion) continue; // changed in between
        canonicalize(asJson.json, b.server.registry.schemaFor(asJson.json.apiVersion, asJson.json.kind)!);
        assert.deepEqual(decode(b, asPb.body), asJson.json, item);
      }
    });
  });

  describe('curl', () => {
    const fetch = async (path: string, accept: string) => {
      const file = `${b.dataDir}/reply.bin`;
      const r = await curl(path, '-H', `Accept: ${accept}`, '-o', file, '-w', '%{http_code} %{content_type}');
      const { readFileSync } = await import('node:fs');
      return { meta: r.stdout, body: readFileSync(file) };
    };

    it('gets, lists and errors in protobuf', async () => {
      const got = await fetch('/api/v1/namespaces/default/serviceaccounts/default', PB);
      assert.equal(got.meta, `200 ${PB}`);
      const sa = decode(b, got.body);
      assert.deepEqual(sa, (await b.api('GET', '/api/v1/namespaces/default/serviceaccounts/default')).json);

      const listed = await fetch('/api/v1/namespaces/default/serviceaccounts', `${PB},application/json`);
      assert.equal(listed.meta, `200 ${PB}`);
      assert.deepEqual(decode(b, listed.body).items.map((i: any) => i.metadata.name), ['default']);

      const missing = await fetch('/api/v1/namespaces/default/serviceaccounts/nope', PB);
      assert.equal(missing.meta, `404 ${PB}`);
      assert.deepEqual(decode(b, missing.body), {
        apiVersion: 'v1',
        kind: 'Status',
        metadata: {},
        status: 'Failure',
        message: 'serviceaccounts "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', kind: 'serviceaccounts' },
        code: 404,
      });
      // Refusals before any handler (authentication here) are negotiated too.
      const refused = await b.get('/api/v1/namespaces', { Authorization: 'Bearer not-a-token', Accept: PB });
      assert.equal(refused.headers['content-type'], PB);
      assert.deepEqual(decode(b, refused.body), { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    });

    it('answers 406 as kube-apiserver words it: for no media type it serves, and for a watch in YAML', async () => {
      const html = await fetch('/api/v1/namespaces/default/serviceaccounts', 'text/html');
      assert.equal(html.meta, '406 application/json');
      assert.equal(
        html.body.toString(),
        JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `only the following media types are accepted: application/json, application/yaml, ${PB}`, reason: 'NotAcceptable', code: 406 }, null, 2),
      );
      const yaml = await fetch('/api/v1/namespaces/default/serviceaccounts?watch=true', 'application/yaml');
      assert.equal(yaml.meta, '406 application/yaml');
      assert.equal(parseYaml(yaml.body.toString()).message, `only the following media types are accepted: application/json;stream=watch, ${PB};stream=watch`);
    });
  });

  describe('watch', () => {
    it('streams length-prefixed WatchEvents whose objects are whole protobuf bodies', async () => {
      const rv = (await b.api('GET', '/api/v1/namespaces/default/serviceaccounts')).json.metadata.resourceVersion;
      const watching = stream(b, `/api/v1/namespaces/default/serviceaccounts?watch=true&timeoutSeconds=2&resourceVersion=${rv}`, `${PB}, application/json`);
      await new Promise((r) => setTimeout(r, 200));
      await b.api('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ metadata: { name: 'watched' } }));
      await b.api('PATCH', '/api/v1/namespaces/default/serviceaccounts/watched', '{"metadata":{"labels":{"x":"y"}}}', { 'Content-Type': 'application/merge-patch+json' });
      await b.api('DELETE', '/api/v1/namespaces/default/serviceaccounts/watched');
      const w = await watching;
      assert.equal(w.type, `${PB};stream=watch`);
      const events = frames(b, w.body);
      assert.deepEqual(events.map((e) => [e.type, e.object.kind, e.object.metadata.name]), [
        ['ADDED', 'ServiceAccount', 'watched'],
        ['MODIFIED', 'ServiceAccount', 'watched'],
        ['DELETED', 'ServiceAccount', 'watched'],
      ]);
      assert.deepEqual(events[1]!.object.metadata.labels, { x: 'y' });
    });

    it('streams PartialObjectMetadata, as the metadata client asks, and lists it too', async () => {
      const accept = (kind: string) => `${PB};as=${kind};g=meta.k8s.io;v=v1,application/json;as=${kind};g=meta.k8s.io;v=v1,application/json`;
      const listed = await b.api('GET', '/api/v1/namespaces/default/configmaps', undefined, { Accept: accept('PartialObjectMetadataList') });
      assert.equal(listed.headers['content-type'], PB);
      const list = decode(b, listed.body);
      assert.equal(list.kind, 'PartialObjectMetadataList');
      assert.deepEqual(list.items.map((i: any) => [i.metadata.name, i.data]), [['kube-root-ca.crt', undefined]]);

      const watching = stream(b, `/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=${list.metadata.resourceVersion}`, accept('PartialObjectMetadata'));
      await new Promise((r) => setTimeout(r, 200));
      await b.api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'meta-only' }, data: { a: 'b' } }));
      const events = frames(b, (await watching).body);
      assert.deepEqual(events.map((e) => [e.type, e.object.kind, e.object.metadata.name, e.object.data]), [['ADDED', 'PartialObjectMetadata', 'meta-only', undefined]]);
    });
  });

  it('kubectl 1.33 drain lists and evicts pods, and sees them gone (a 404 Status), in protobuf', async () => {
    await b.api('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'drain' } }));
    await b.api('POST', '/api/v1/namespaces/drain/pods', JSON.stringify({ metadata: { name: 'lone', labels: { app: 'lone' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
    await eventually(async () => (await b.api('GET', '/api/v1/namespaces/drain/pods/lone')).json.status.phase === 'Running', 'a running pod', 20_000);
    const node = (await b.api('GET', '/api/v1/nodes')).json.items[0].metadata.name as string;
    const from = recorder.replies.length;
    try {
      const r = await b.kubectl(['drain', node, '--pod-selector=app=lone', '--force', '--timeout=60s'], { version: '1.33' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `node/${node} cordoned\nevicting pod drain/lone\npod/lone evicted\nnode/${node} drained\n`);
    } finally {
      await b.kubectl(['uncordon', node], { version: '1.33' });
    }
    const seen = recorder.replies.slice(from).map((x) => `${x.method} ${x.path.replace(/\?.*/, '')} ${x.type}`);
    for (const expected of [`GET /api/v1/pods ${PB}`, 'POST /api/v1/namespaces/drain/pods/lone/eviction application/json', `PATCH /api/v1/nodes/${node} ${PB}`]) assert.ok(seen.includes(expected), `${expected}: ${seen.join('\n')}`);
    assert.ok(recorder.replies.slice(from).some((x) => x.path.startsWith('/api/v1/namespaces/drain/pods/lone') && x.method === 'GET' && x.type === PB), 'the GET that finds the pod gone');
  });
});
