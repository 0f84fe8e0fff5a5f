// ConfigMaps, Secrets, Services, Endpoints, Events (v1 and events.k8s.io/v1), Nodes,
// PersistentVolumeClaims and Leases with the real kubectl: tables, yaml, jsonpath, describe,
// delete, and the exact Invalid messages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';
import { NODE } from './tutorial.js';

/** The server's own node: it registers itself under the host's name, lower-cased. */

const LEGACY_TOKEN_SECRET = '/work/shared/seed/examples/08-legacy-token-secret.yaml';
const EV_WARNING = 'Warning: short name "ev" could also match lower priority resource events.events.k8s.io\n';

/** RFC 3339 `seconds` from now. */
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

/** Table lines with their runs of spaces collapsed, for rows whose widths depend on the data. */
const rows = (stdout: string) => stdout.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/));

describe('e2e: core resources with the real kubectl', () => {
  let b: Badge;
  const k = (args: string[], stdin?: string) => b.kubectl(args, { stdin });
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  describe('services and endpoints', () => {
    it('has the kubernetes Service and Endpoints', async () => {
      assert.match(await b.ok(['get', 'svc', 'kubernetes']), /^NAME {9}TYPE {8}CLUSTER-IP {3}EXTERNAL-IP {3}PORT\(S\) {3}AGE\nkubernetes {3}ClusterIP {3}10\.96\.0\.1 {4}<none> {8}443\/TCP {3}\d+s\n$/);
      const ep = rows(await b.ok(['get', 'ep', 'kubernetes']));
      assert.deepEqual([ep[0], ep[1]!.slice(0, 2)], [['NAME', 'ENDPOINTS', 'AGE'], ['kubernetes', `127.0.0.1:${b.server.port}`]]);
    });

    it('creates a ClusterIP service with kubectl create service and allocates its IP', async () => {
      assert.equal(await b.ok(['create', 'service', 'clusterip', 'x', '--tcp=80:8080']), 'service/x created\n');
      const ip = await b.ok(['get', 'svc', 'x', '-o', 'jsonpath={.spec.clusterIP}']);
      assert.match(ip, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
      const wide = rows(await b.ok(['get', 'svc', 'x', '-o', 'wide']));
      assert.deepEqual(wide[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
      assert.deepEqual([...wide[1]!.slice(0, 5), wide[1]![6]], ['x', 'ClusterIP', ip, '<none>', '80/TCP', 'app=x']);
      const yaml = await b.ok(['get', 'svc', 'x', '-o', 'yaml']);
      assert.ok(
        yaml.endsWith(
          `spec:\n  clusterIP: ${ip}\n  clusterIPs:\n  - ${ip}\n  internalTrafficPolicy: Cluster\n  ipFamilies:\n  - IPv4\n  ipFamilyPolicy: SingleStack\n  ports:\n  - name: 80-8080\n    port: 80\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: x\n  sessionAffinity: None\n  type: ClusterIP\nstatus:\n  loadBalancer: {}\n`,
        ),
        yaml,
      );
      const described = await b.ok(['describe', 'svc', 'x']);
      for (const line of ['Name:                     x', 'Type:                     ClusterIP', 'IP Family Policy:         SingleStack', 'IP Families:              IPv4', `IP:                       ${ip}`, 'Port:                     80-8080  80/TCP', 'TargetPort:               8080/TCP', 'Session Affinity:         None']) {
        assert.ok(described.includes(`${line}\n`), `${line}\n---\n${described}`);
      }
    });

    it('refuses to change a cluster IP, or to take one that is in use or out of range', async () => {
      const changed = await k(['patch', 'svc', 'x', '-p', '{"spec":{"clusterIP":"10.96.0.99"}}']);
      assert.equal(changed.code, 1);
      assert.equal(changed.stderr, 'The Service "x" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set\n');
      const taken = await k(['create', 'service', 'clusterip', 'dup', '--clusterip=10.96.0.1', '--tcp=80:80']);
      assert.equal(
        taken.stderr,
        'error: failed to create ClusterIP service: Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated\n',
      );
      const far = await k(['create', 'service', 'clusterip', 'far', '--clusterip=1.1.1.1', '--tcp=80:80']);
      assert.equal(
        far.stderr,
        'error: failed to create ClusterIP service: Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12\n',
      );
      const badName = await k(['create', 'service', 'clusterip', '1bad', '--tcp=80']);
      assert.equal(
        badName.stderr,
        `error: failed to create ClusterIP service: Service "1bad" is invalid: metadata.name: Invalid value: "1bad": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\n`,
      );
    });

    it('allocates node ports, makes headless services and prints them', async () => {
      await b.ok(['create', 'service', 'nodeport', 'np', '--tcp=80:8080']);
      const np = rows(await b.ok(['get', 'svc', 'np']))[1]!;
      assert.equal(np[1], 'NodePort');
      assert.match(np[4]!, /^80:3\d{4}\/TCP$/);
      assert.equal(await b.ok(['create', 'service', 'clusterip', 'hl', '--clusterip=None', '--tcp=53:53']), 'service/hl created\n');
      assert.deepEqual(rows(await b.ok(['get', 'svc', 'hl']))[1]!.slice(0, 5), ['hl', 'ClusterIP', 'None', '<none>', '53/TCP']);
      assert.equal(await b.ok(['create', 'service', 'externalname', 'ext', '--external-name=example.com']), 'service/ext created\n');
      assert.deepEqual(rows(await b.ok(['get', 'svc', 'ext']))[1]!.slice(0, 5), ['ext', 'ExternalName', '<none>', 'example.com', '<none>']);
      assert.equal(await b.ok(['get', 'svc', '--field-selector', 'spec.type=NodePort', '-o', 'name']), 'service/np\n');
    });

    it('applies Endpoints and refuses bad addresses', async () => {
      const manifest = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ext-db\nsubsets:\n- addresses:\n  - ip: 10.1.2.3\n  - ip: 10.1.2.4\n  ports:\n  - port: 5432\n';
      assert.equal(await b.ok(['apply', '-f', '-'], manifest), 'endpoints/ext-db created\n');
      assert.deepEqual(rows(await b.ok(['get', 'endpoints', 'ext-db']))[1]!.slice(0, 2), ['ext-db', '10.1.2.3:5432,10.1.2.4:5432']);
      const bad = await k(['apply', '-f', '-'], manifest.replace('name: ext-db', 'name: bad').replace('10.1.2.3', '127.0.0.1'));
      assert.equal(bad.stderr, 'The Endpoints "bad" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)\n');
    });

    it('deletes a service', async () => {
      assert.equal(await b.ok(['delete', 'svc', 'x']), 'service "x" deleted\n');
      const gone = await k(['get', 'svc', 'x']);
      assert.equal(gone.stderr, 'Error from server (NotFound): services "x" not found\n');
    });
  });

  describe('secrets and configmaps', () => {
    it('creates a generic secret from a literal', async () => {
      assert.equal(await b.ok(['create', 'secret', 'generic', 's', '--from-literal=a=b']), 'secret/s created\n');
      assert.match(await b.ok(['get', 'secret', 's']), /^NAME {3}TYPE {5}DATA {3}AGE\ns {6}Opaque {3}1 {6}\d+s\n$/);
      assert.equal(await b.ok(['get', 'secret', 's', '-o', 'jsonpath={.data.a}']), 'Yg==');
      assert.match(await b.ok(['get', 'secret', 's', '-o', 'yaml']), /^apiVersion: v1\ndata:\n {2}a: Yg==\nkind: Secret\nmetadata:\n {2}creationTimestamp: "[^"]+"\n {2}name: s\n {2}namespace: default\n {2}resourceVersion: "\d+"\n {2}uid: [0-9a-f-]{36}\ntype: Opaque\n$/);
      assert.equal(await b.ok(['describe', 'secret', 's']), 'Name:         s\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\na:  1 bytes\n');
    });

    it('stores the legacy token secret with its type', async () => {
      // Its ServiceAccount must exist, or the tokens controller deletes it (and fills it in otherwise).
      await b.ok(['create', 'serviceaccount', 'my-app-sa']);
      assert.equal(await b.ok(['apply', '-f', LEGACY_TOKEN_SECRET]), 'secret/my-app-sa-token created\n');
      assert.deepEqual(rows(await b.ok(['get', 'secret', 'my-app-sa-token']))[1]!.slice(0, 2), ['my-app-sa-token', 'kubernetes.io/service-account-token']);
      assert.equal(await b.ok(['get', 'secret', '--field-selector', 'type=kubernetes.io/service-account-token', '-o', 'name']), 'secret/my-app-sa-token\n');
      const bad = await k(['create', '-f', '-'], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bad-token\ntype: kubernetes.io/service-account-token\n');
      assert.equal(bad.code, 1);
      assert.equal(bad.stderr, 'The Secret "bad-token" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value\n');
    });

    it('keeps stringData out of storage and freezes immutable secrets', async () => {
      const manifest = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: frozen\nstringData:\n  password: hunter2\nimmutable: true\n';
      assert.equal(await b.ok(['apply', '-f', '-'], manifest), 'secret/frozen created\n');
      assert.equal(await b.ok(['get', 'secret', 'frozen', '-o', 'jsonpath={.data.password}']), Buffer.from('hunter2').toString('base64'));
      assert.equal(await b.ok(['get', 'secret', 'frozen', '-o', 'jsonpath={.stringData}']), '');
      const changed = await k(['patch', 'secret', 'frozen', '-p', '{"data":{"password":"eA=="}}']);
      assert.equal(changed.stderr, 'The Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set\n');
      const retyped = await k(['patch', 'secret', 's', '--type=merge', '-p', '{"type":"kubernetes.io/basic-auth","data":{"username":"dQ=="}}']);
      assert.equal(retyped.stderr, 'The Secret "s" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable\n');
    });

    it('creates, describes and freezes a ConfigMap', async () => {
      assert.equal(await b.ok(['create', 'configmap', 'cm1', '--from-literal=k=v', '--from-literal=k2=v2']), 'configmap/cm1 created\n');
      // Every namespace also has the root CA ConfigMap.
      assert.match(await b.ok(['get', 'cm']), /^NAME {15}DATA {3}AGE\ncm1 {16}2 {6}\d+s\nkube-root-ca\.crt {3}1 {6}\S+\n$/);
      // kubectl describe walks the data map in Go's random order, as against any cluster.
      const described = await b.ok(['describe', 'cm', 'cm1']);
      const pairs = ['k:\n----\nv\n\n', 'k2:\n----\nv2\n\n'];
      assert.ok(
        [pairs.join(''), [...pairs].reverse().join('')].map((d) => `Name:         cm1\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\n${d}\nBinaryData\n====\n\nEvents:  <none>\n`).includes(described),
        described,
      );
      await b.ok(['patch', 'cm', 'cm1', '-p', '{"immutable":true}']);
      const changed = await k(['patch', 'cm', 'cm1', '-p', '{"data":{"k":"x"}}']);
      assert.equal(changed.stderr, 'The ConfigMap "cm1" is invalid: data: Forbidden: field is immutable when `immutable` is set\n');
      const badKey = await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  "a b": x\n');
      assert.equal(
        badKey.stderr,
        `The ConfigMap "bad" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n`,
      );
      assert.equal(await b.ok(['delete', 'cm', 'cm1']), 'configmap "cm1" deleted\n');
    });
  });

  describe('events', () => {
    it('lists core and events.k8s.io events in one table', async () => {
      const core = `apiVersion: v1\nkind: Event\nmetadata:\n  name: np.1\ninvolvedObject:\n  kind: Service\n  name: np\n  namespace: default\nreason: Created\nmessage: service np created\ntype: Normal\nsource:\n  component: test\n  host: node-1\nfirstTimestamp: "${ago(1200)}"\nlastTimestamp: "${ago(90)}"\ncount: 4\n`;
      assert.equal(await b.ok(['apply', '-f', '-'], core), 'event/np.1 created\n');
      const v1 = `apiVersion: events.k8s.io/v1\nkind: Event\nmetadata:\n  name: np.2\neventTime: "${ago(30).replace('Z', '.000000Z')}"\nreportingController: example.com/ctl\nreportingInstance: ctl-1\naction: Check\nreason: Checked\nregarding:\n  kind: Service\n  name: np\n  namespace: default\nnote: checked np\ntype: Warning\n`;
      assert.equal(await b.ok(['apply', '-f', '-'], v1), 'event.events.k8s.io/np.2 created\n');
      // The node and the scheduler record events of their own in default: list only those about np.
      const aboutNp = ['--field-selector', 'involvedObject.kind=Service,involvedObject.name=np'];
      const table = rows(await b.ok(['get', 'events', ...aboutNp]));
      assert.deepEqual(table[0], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
      assert.deepEqual(table.slice(1).map((r) => r.slice(1)), [
        ['Normal', 'Created', 'service/np', 'service np created'],
        ['Warning', 'Checked', 'service/np', 'checked np'],
      ]);
      assert.match(table[1]![0]!, /^9\ds$/);
      const wide = rows(await b.ok(['get', 'events', ...aboutNp, '-o', 'wide']));
      assert.deepEqual(wide[0], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
      assert.equal(wide.length, 3, 'only the two events about np');
      assert.deepEqual(wide[1]!.slice(1), ['Normal', 'Created', 'service/np', 'test, node-1', 'service np created', '20m', '4', 'np.1']);
      assert.deepEqual(wide[2]!.slice(1), ['Warning', 'Checked', 'service/np', 'example.com/ctl, ctl-1', 'checked np', wide[2]![0]!, '1', 'np.2']);
    });

    it('shows one stored event in both shapes', async () => {
      const core = await b.ok(['get', 'events.v1.', 'np.2', '-o', 'yaml']);
      assert.match(core, /\nfirstTimestamp: null\ninvolvedObject:\n {2}kind: Service\n {2}name: np\n {2}namespace: default\nkind: Event\nlastTimestamp: null\nmessage: checked np\n/);
      assert.match(core, /\nreportingComponent: example.com\/ctl\nreportingInstance: ctl-1\nsource: \{\}\ntype: Warning\n$/);
      const v1 = await b.ok(['get', 'events.events.k8s.io', 'np.1', '-o', 'yaml']);
      assert.match(v1, /^apiVersion: events.k8s.io\/v1\ndeprecatedCount: 4\ndeprecatedFirstTimestamp: "[^"]+"\ndeprecatedLastTimestamp: "[^"]+"\ndeprecatedSource:\n {2}component: test\n {2}host: node-1\neventTime: null\nkind: Event\n/);
      assert.match(v1, /\nnote: service np created\nreason: Created\nregarding:\n {2}kind: Service\n {2}name: np\n {2}namespace: default\ntype: Normal\n$/);
      assert.equal(await b.ok(['get', 'events.events.k8s.io', '--field-selector', 'regarding.name=np,type=Warning', '-o', 'name']), 'event.events.k8s.io/np.2\n');
    });

    it('gives kubectl describe the events of an object', async () => {
      await b.ok(['create', 'sa', 'app']);
      const uid = await b.ok(['get', 'sa', 'app', '-o', 'jsonpath={.metadata.uid}']);
      const event = `apiVersion: v1\nkind: Event\nmetadata:\n  name: app.1\ninvolvedObject:\n  kind: ServiceAccount\n  name: app\n  namespace: default\n  uid: ${uid}\nreason: Audited\nmessage: looked at\ntype: Normal\nsource:\n  component: auditor\nfirstTimestamp: "${ago(180)}"\nlastTimestamp: "${ago(60)}"\ncount: 2\n`;
      await b.ok(['create', '-f', '-'], event);
      const described = await b.ok(['describe', 'sa', 'app']);
      assert.match(described, /\nEvents:\n {2}Type {4}Reason {3}Age +From {5}Message\n {2}---- {4}------ {3}---- +---- {5}-------\n {2}Normal {2}Audited {2}6\ds \(x2 over 3m(?:\ds)?\) {2}auditor {2}looked at\n$/);
      const bySelector = await k(['get', 'ev', '--field-selector', 'involvedObject.kind=ServiceAccount', '-o', 'name']);
      assert.deepEqual([bySelector.stdout, bySelector.stderr], ['event/app.1\n', EV_WARNING]);
      const unknown = await k(['get', 'events.v1.', '--field-selector', 'foo=bar']);
      assert.equal(unknown.stderr, 'Error from server (BadRequest): Unable to find "/v1, Resource=events" that match label selector "", field selector "foo=bar": field label not supported: foo\n');
    });

    it('refuses events.k8s.io events that break the newer rules', async () => {
      const bad = await k(['create', '-f', '-'], 'apiVersion: events.k8s.io/v1\nkind: Event\nmetadata:\n  name: bad\neventTime: "2024-05-01T10:00:00.000000Z"\nreportingController: example.com/ctl\nreportingInstance: i\naction: A\nreason: R\ntype: Info\n');
      assert.equal(bad.stderr, 'The Event "bad" is invalid: type: Invalid value: "": has invalid value: Info\n');
      assert.equal(await b.ok(['delete', 'events.v1.', 'np.1']), 'event "np.1" deleted\n');
    });
  });

  describe('nodes, persistent volume claims and leases', () => {
    const manifest = `apiVersion: v1
kind: Node
metadata:
  name: worker-1
  labels:
    node-role.kubernetes.io/worker: ""
spec:
  podCIDR: 10.244.1.0/24
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1024Mi
  storageClassName: slow
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: my-lock
spec:
  holderIdentity: me
  leaseDurationSeconds: 15
`;

    it('applies all three', async () => {
      assert.equal(await b.ok(['apply', '-f', '-'], manifest), 'node/worker-1 created\npersistentvolumeclaim/data created\nlease.coordination.k8s.io/my-lock created\n');
    });

    it('prints nodes as printNode does, and cordons them', async () => {
      // The server's own node is listed too (Ready, no role); worker-1 has no kubelet behind it.
      const named = (table: string[][], name: string) => {
        const found = table.slice(1).filter((r) => r[0] === name);
        assert.equal(found.length, 1, `one row for ${name}: ${JSON.stringify(table)}`);
        return found[0]!;
      };
      const table = rows(await b.ok(['get', 'nodes']));
      assert.deepEqual(table[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
      assert.deepEqual(table.slice(1).map((r) => r[0]).sort(), [NODE, 'worker-1'].sort());
      assert.deepEqual(named(rows(await b.ok(['get', 'no'])), 'worker-1').slice(0, 3), ['worker-1', 'Unknown', 'worker']);
      assert.deepEqual(named(table, NODE).slice(0, 3), [NODE, 'Ready', '<none>']);
      const wide = rows(await b.ok(['get', 'no', '-o', 'wide']));
      assert.deepEqual(wide[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
      assert.deepEqual(named(wide, 'worker-1').slice(-5), ['<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
      assert.equal(await b.ok(['cordon', 'worker-1']), 'node/worker-1 cordoned\n');
      assert.deepEqual(rows(await b.ok(['get', 'no', 'worker-1']))[1]!.slice(0, 2), ['worker-1', 'Unknown,SchedulingDisabled']);
      assert.equal(await b.ok(['get', 'no', '--field-selector', 'spec.unschedulable=true', '-o', 'name']), 'node/worker-1\n');
      assert.equal(await b.ok(['uncordon', 'worker-1']), 'node/worker-1 uncordoned\n');
      assert.equal(await b.ok(['get', 'no', 'worker-1', '-o', 'jsonpath={.spec.podCIDRs[0]} {.status.daemonEndpoints.kubeletEndpoint.Port}']), '10.244.1.0/24 0');
    });

    // Of a class that does not exist, nothing binds it.
    it('keeps a claim Pending and its spec fixed', async () => {
      const table = rows(await b.ok(['get', 'pvc', '-o', 'wide']));
      assert.deepEqual(table[0], ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE', 'VOLUMEMODE']);
      assert.deepEqual([table[1]![0], table[1]![1], table[1]![2], table[1]![3], table[1]![5]], ['data', 'Pending', 'slow', '<unset>', 'Filesystem']);
      assert.equal(await b.ok(['get', 'pvc', 'data', '-o', 'jsonpath={.status.phase} {.spec.resources.requests.storage} {.spec.volumeMode}']), 'Pending 1Gi Filesystem');
      const grown = await k(['patch', 'pvc', 'data', '-p', '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}']);
      assert.equal(grown.code, 1);
      assert.ok(grown.stderr.startsWith('The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n'), grown.stderr);
      const bad = await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: bad\nspec:\n  accessModes: [ReadWriteOnce]\n');
      assert.equal(bad.stderr, 'The PersistentVolumeClaim "bad" is invalid: spec.resources[storage]: Required value\n');
    });

    it('prints the lease holder and checks the duration', async () => {
      assert.match(await b.ok(['get', 'lease']), /^NAME {6}HOLDER {3}AGE\nmy-lock {3}me {7}\d+s\n$/);
      assert.match(await b.ok(['get', 'lease', 'my-lock', '-o', 'yaml']), /\nspec:\n {2}holderIdentity: me\n {2}leaseDurationSeconds: 15\n$/);
      const bad = await k(['patch', 'lease', 'my-lock', '--type=merge', '-p', '{"spec":{"leaseDurationSeconds":0}}']);
      assert.equal(bad.stderr, 'The Lease "my-lock" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0\n');
    });

    it('deletes all three', async () => {
      assert.equal(await b.ok(['delete', '-f', '-'], manifest), 'node "worker-1" deleted\npersistentvolumeclaim "data" deleted\nlease.coordination.k8s.io "my-lock" deleted\n');
    });
  });
});
