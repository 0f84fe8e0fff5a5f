import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorText } from '../../api/field-errors.js';
import { defaultPodSpec, defaultPodTemplateSpec, dropDisabledPodSpecFields, imageTag, validatePodSpec, validatePodTemplateSpec } from './pod-spec.js';
import { formatQuantity, parseQuantity } from '../../api/quantity.js';

type Obj = Record<string, unknown>;

const DNS_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** A defaulted spec with one container, changed by `edit`. */
function spec(edit: (s: Obj & { containers: Obj[] }) => void = () => {}): Obj {
  const s = { containers: [{ name: 'app', image: 'nginx:1.25' }] } as Obj & { containers: Obj[] };
  defaultPodSpec(s);
  edit(s);
  return s;
}

const messages = (s: unknown, opts = {}): string[] => validatePodSpec(s, 'spec', opts).map(errorText);

describe('defaultPodSpec', () => {
  it('fills the v1 defaults of a minimal spec', () => {
    const s: Obj = { serviceAccountName: 'my-app-sa', containers: [{ name: 'app', image: 'nginx:1.25' }] };
    defaultPodSpec(s);
    assert.deepEqual(s, {
      serviceAccountName: 'my-app-sa',
      serviceAccount: 'my-app-sa',
      containers: [
        { name: 'app', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
    });
  });

  it('keeps values that are set, and is idempotent', () => {
    const s: Obj = {
      containers: [{ name: 'app', image: 'nginx', imagePullPolicy: 'Never', terminationMessagePolicy: 'FallbackToLogsOnError' }],
      dnsPolicy: 'Default',
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      schedulerName: 'mine',
      securityContext: { runAsUser: 1000 },
    };
    defaultPodSpec(s);
    const once = structuredClone(s);
    defaultPodSpec(s);
    assert.deepEqual(s, once);
    assert.equal(s.dnsPolicy, 'Default');
    assert.equal(s.restartPolicy, 'Never');
    assert.equal(s.terminationGracePeriodSeconds, 0);
    assert.equal(s.schedulerName, 'mine');
    assert.deepEqual(s.securityContext, { runAsUser: 1000 });
    assert.equal((s.containers as Obj[])[0]!.imagePullPolicy, 'Never');
  });

  for (const [image, tag, policy] of [
    ['nginx', 'latest', 'Always'],
    ['nginx:latest', 'latest', 'Always'],
    ['nginx:1.25', '1.25', 'IfNotPresent'],
    ['docker.io/library/nginx:1.25-alpine', '1.25-alpine', 'IfNotPresent'],
    ['localhost:5000/team/app', 'latest', 'Always'],
    ['registry.example.com:5000/team/app:v2', 'v2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', '', 'IfNotPresent'],
    ['nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'latest', 'Always'],
    ['Nginx', '', 'IfNotPresent'],
    ['', '', 'IfNotPresent'],
  ] as const) {
    it(`defaults imagePullPolicy of "${image}" to ${policy}`, () => {
      assert.equal(imageTag(image), tag);
      const s: Obj = { containers: [{ name: 'c', image }] };
      defaultPodSpec(s);
      assert.equal((s.containers as Obj[])[0]!.imagePullPolicy, policy);
    });
  }

  it('defaults volumes, ports, env, probes and lifecycle hooks', () => {
    const s: Obj = {
      volumes: [
        { name: 'scratch' },
        { name: 'secret', secret: { secretName: 's' } },
        { name: 'cm', configMap: { name: 'c' } },
        { name: 'host', hostPath: { path: '/data' } },
        { name: 'down', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        {
          name: 'proj',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token' } },
              { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
            ],
          },
        },
        { name: 'tmp', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } },
      ],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { grpc: { port: 9000 }, periodSeconds: 5 },
          lifecycle: { preStop: { httpGet: { port: 'http' } } },
        },
      ],
    };
    defaultPodSpec(s);
    const volumes = s.volumes as Obj[];
    assert.deepEqual(volumes[0], { name: 'scratch', emptyDir: {} });
    assert.deepEqual(volumes[1], { name: 'secret', secret: { secretName: 's', defaultMode: 420 } });
    assert.deepEqual(volumes[2], { name: 'cm', configMap: { name: 'c', defaultMode: 420 } });
    assert.deepEqual(volumes[3], { name: 'host', hostPath: { path: '/data', type: '' } });
    assert.deepEqual(volumes[4], { name: 'down', downwardAPI: { defaultMode: 420, items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } });
    assert.deepEqual(volumes[5], {
      name: 'proj',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { downwardAPI: { items: [{ path: 'ns', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    assert.deepEqual(volumes[6], { name: 'tmp', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } });
    const c = (s.containers as Obj[])[0]!;
    assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }]);
    assert.deepEqual(c.env, [{ name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }]);
    assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(c.readinessProbe, { grpc: { port: 9000, service: '' }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(c.lifecycle, { preStop: { httpGet: { port: 'http', path: '/', scheme: 'HTTP' } } });
  });

  it('keeps the deprecated serviceAccount equal to serviceAccountName', () => {
    const fromAlias: Obj = { serviceAccount: 'old', containers: [] };
    defaultPodSpec(fromAlias);
    assert.equal(fromAlias.serviceAccountName, 'old');
    assert.equal(fromAlias.serviceAccount, 'old');
    const nameWins: Obj = { serviceAccount: 'old', serviceAccountName: 'new', containers: [] };
    defaultPodSpec(nameWins);
    assert.equal(nameWins.serviceAccount, 'new');
    const none: Obj = { containers: [] };
    defaultPodSpec(none);
    assert.equal('serviceAccount' in none, false);
  });

  it('drops null values as Go decoding does', () => {
    const s: Obj = { nodeSelector: null, securityContext: null, containers: [{ name: 'a', image: 'x', command: null }] };
    defaultPodSpec(s);
    assert.equal('nodeSelector' in s, false);
    assert.deepEqual(s.securityContext, {});
    assert.equal('command' in (s.containers as Obj[])[0]!, false);
  });

  it('does not add Pod-only defaults to templates', () => {
    const t: Obj = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: '1' } } }] } };
    defaultPodTemplateSpec(t);
    assert.deepEqual(t.metadata, { labels: { app: 'web' }, creationTimestamp: null });
    const s = t.spec as Obj;
    assert.equal('enableServiceLinks' in s, false);
    assert.equal('tolerations' in s, false);
    assert.deepEqual((s.containers as Obj[])[0]!.resources, { limits: { cpu: '1' } });
    assert.equal(s.restartPolicy, 'Always');
  });

  it('drops fields of feature gates that are off in 1.32 unless the old object used them', () => {
    const s: Obj = {
      hostUsers: false,
      resources: { limits: { cpu: '1' } },
      securityContext: { supplementalGroupsPolicy: 'Strict', seLinuxChangePolicy: 'Recursive' },
      containers: [{ name: 'a', image: 'x', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }], securityContext: { procMount: 'Unmasked' } }],
    };
    const kept = structuredClone(s);
    dropDisabledPodSpecFields(s);
    assert.deepEqual(s, { securityContext: {}, containers: [{ name: 'a', image: 'x', securityContext: {} }] });
    dropDisabledPodSpecFields(kept, structuredClone(kept));
    assert.equal(kept.hostUsers, false);
  });
});

describe('quantities', () => {
  for (const [input, canonical] of [
    ['0.5', '500m'],
    [0.5, '500m'],
    [1, '1'],
    ['1000m', '1'],
    ['100m', '100m'],
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['2000', '2k'],
    ['1024', '1024'],
    ['128Mi', '128Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['1Ki', '1Ki'],
    ['512', '512'],
    ['1G', '1G'],
    ['1e3', '1e3'],
    ['12e6', '12e6'],
    ['0', '0'],
    ['0Mi', '0'],
    ['+5', '5'],
    ['-1', '-1'],
  ] as const) {
    it(`canonicalizes ${JSON.stringify(input)} to ${canonical}`, () => {
      const q = parseQuantity(input);
      assert.ok(q);
      assert.equal(formatQuantity(q), canonical);
    });
  }

  for (const bad of ['', 'abc', '1Qi', '1.2.3', '5 Mi', null, true]) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseQuantity(bad), null));
  }

  it('rounds resource lists up to milli units in canonical form', () => {
    const s = spec((x) => {
      x.containers[0]!.resources = { requests: { cpu: '0.0001', memory: '1073741824' }, limits: { cpu: 2, memory: '1.5Gi' } };
    });
    defaultPodSpec(s);
    assert.deepEqual((s.containers as Obj[])[0]!.resources, { requests: { cpu: '1m', memory: '1073741824' }, limits: { cpu: '2', memory: '1536Mi' } });
  });
});

describe('validatePodSpec', () => {
  it('accepts a defaulted minimal spec', () => assert.deepEqual(messages(spec()), []));

  const cases: [string, (s: Obj & { containers: Obj[] }) => void, string[]][] = [
    ['no containers', (s) => (s.containers = []), ['spec.containers: Required value']],
    ['a container name that is not a DNS label', (s) => (s.containers[0]!.name = 'App'), [`spec.containers[0].name: Invalid value: "App": ${DNS_LABEL_MSG}`]],
    ['a missing container name', (s) => delete s.containers[0]!.name, ['spec.containers[0].name: Required value']],
    [
      'duplicate container names',
      (s) => s.containers.push({ ...structuredClone(s.containers[0]!) }),
      ['spec.containers[1].name: Duplicate value: "app"'],
    ],
    ['a missing image', (s) => delete s.containers[0]!.image, ['spec.containers[0].image: Required value']],
    [
      'a port out of range',
      (s) => (s.containers[0]!.ports = [{ containerPort: 70000, protocol: 'TCP' }]),
      ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ],
    ['a port without number', (s) => (s.containers[0]!.ports = [{ protocol: 'TCP' }]), ['spec.containers[0].ports[0].containerPort: Required value']],
    [
      'an unknown protocol',
      (s) => (s.containers[0]!.ports = [{ containerPort: 80, protocol: 'HTTP' }]),
      ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      'a bad and a duplicate port name',
      (s) =>
        (s.containers[0]!.ports = [
          { name: 'http', containerPort: 80, protocol: 'TCP' },
          { name: 'http', containerPort: 81, protocol: 'TCP' },
          { name: '8080', containerPort: 82, protocol: 'TCP' },
        ]),
      ['spec.containers[0].ports[1].name: Duplicate value: "http"', 'spec.containers[0].ports[2].name: Invalid value: "8080": must contain at least one letter (a-z)'],
    ],
    [
      'a host port used twice',
      (s) => {
        s.containers[0]!.ports = [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }];
        s.containers.push({ ...structuredClone(s.containers[0]!), name: 'other' });
      },
      ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    ],
    ['a volume without a source', (s) => (s.volumes = [{ name: 'v' }]), ['spec.volumes[0]: Required value: must specify a volume type']],
    [
      'a volume with two sources',
      (s) => (s.volumes = [{ name: 'v', emptyDir: {}, configMap: { name: 'c', defaultMode: 420 } }]),
      ['spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'a bad volume name and a duplicate',
      (s) => (s.volumes = [{ name: 'Data', emptyDir: {} }, { name: 'x', emptyDir: {} }, { name: 'x', emptyDir: {} }]),
      [`spec.volumes[0].name: Invalid value: "Data": ${DNS_LABEL_MSG}`, 'spec.volumes[2].name: Duplicate value: "x"'],
    ],
    ['a secret volume without a name', (s) => (s.volumes = [{ name: 's', secret: { defaultMode: 420 } }]), ['spec.volumes[0].secret.secretName: Required value']],
    [
      'a file mode above 0777',
      (s) => (s.volumes = [{ name: 's', secret: { secretName: 's', defaultMode: 1000 } }]),
      ['spec.volumes[0].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive'],
    ],
    [
      'a mount of an unknown volume',
      (s) => (s.containers[0]!.volumeMounts = [{ name: 'x', mountPath: '/x' }]),
      ['spec.containers[0].volumeMounts[0].name: Not found: "x"'],
    ],
    [
      'a mount without a path, and a repeated path',
      (s) => {
        s.volumes = [{ name: 'v', emptyDir: {} }];
        s.containers[0]!.volumeMounts = [{ name: 'v' }, { name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '/a' }];
      },
      ['spec.containers[0].volumeMounts[0].mountPath: Required value', 'spec.containers[0].volumeMounts[2].mountPath: Invalid value: "/a": must be unique'],
    ],
    [
      'an env var name with "="',
      (s) => (s.containers[0]!.env = [{ name: 'A=B', value: 'x' }]),
      [`spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`],
    ],
    ['an env var without a name', (s) => (s.containers[0]!.env = [{ value: 'x' }]), ['spec.containers[0].env[0].name: Required value']],
    [
      'an env var with a value and a source',
      (s) => (s.containers[0]!.env = [{ name: 'A', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]),
      ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    ],
    [
      'an unsupported downward API field',
      (s) => (s.containers[0]!.env = [{ name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.phase' } } }]),
      [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    ],
    [
      'an unknown downward API field',
      (s) => (s.containers[0]!.env = [{ name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.foo' } } }]),
      ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo'],
    ],
    ['an unknown restart policy', (s) => (s.restartPolicy = 'Sometimes'), ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    [
      'an unknown DNS policy',
      (s) => (s.dnsPolicy = 'Google'),
      ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    ['dnsPolicy None without dnsConfig', (s) => (s.dnsPolicy = 'None'), ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']],
    [
      'an unknown pull policy',
      (s) => (s.containers[0]!.imagePullPolicy = 'Sometimes'),
      ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    ],
    [
      'requests above limits',
      (s) => (s.containers[0]!.resources = { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } }),
      ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m'],
    ],
    [
      'an unknown resource name',
      (s) => (s.containers[0]!.resources = { limits: { gpu: '1' } }),
      [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    ],
    [
      'a negative quantity',
      (s) => (s.containers[0]!.resources = { requests: { memory: '-1' } }),
      ['spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0'],
    ],
    [
      'an extended resource requested without a limit, and fractional',
      (s) => (s.containers[0]!.resources = { requests: { 'example.com/gpu': '0.5' } }),
      ['spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "500m": must be an integer', 'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources'],
    ],
    [
      'a service account name that is not a subdomain',
      (s) => (s.serviceAccountName = 'My_SA'),
      [`spec.serviceAccountName: Invalid value: "My_SA": ${DNS_SUBDOMAIN_MSG}`],
    ],
    ['a bad node name', (s) => (s.nodeName = 'Node 1'), [`spec.nodeName: Invalid value: "Node 1": ${DNS_SUBDOMAIN_MSG}`]],
    ['a bad hostname', (s) => (s.hostname = 'a.b'), ['spec.hostname: Invalid value: "a.b": must not contain dots']],
    ['activeDeadlineSeconds 0', (s) => (s.activeDeadlineSeconds = 0), ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']],
    ['no terminationGracePeriodSeconds', (s) => delete s.terminationGracePeriodSeconds, ['spec.terminationGracePeriodSeconds: Required value']],
    [
      'tolerations with bad combinations',
      (s) =>
        (s.tolerations = [
          { operator: 'Equal', value: 'x' },
          { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 10 },
          { key: 'k', operator: 'Exists', value: 'v' },
          { key: 'k', operator: 'Like' },
          { key: 'k', operator: 'Exists', effect: 'Evict' },
        ]),
      [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
        "spec.tolerations[2].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
        'spec.tolerations[3].operator: Unsupported value: "Like": supported values: "Equal", "Exists"',
        'spec.tolerations[4].effect: Unsupported value: "Evict": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    ],
    [
      'an image pull secret with more than a name',
      (s) => (s.imagePullSecrets = [{ name: 'regcred', namespace: 'x' }]),
      ['spec.imagePullSecrets[0]: Invalid value: {"name":"regcred","namespace":"x"}: only name may be set'],
    ],
    [
      'a negative runAsUser',
      (s) => (s.securityContext = { runAsUser: -1 }),
      ['spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive'],
    ],
    [
      'a privileged container without privilege escalation',
      (s) => (s.containers[0]!.securityContext = { privileged: true, allowPrivilegeEscalation: false }),
      ['spec.containers[0].securityContext: Invalid value: {"privileged":true,"allowPrivilegeEscalation":false}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true'],
    ],
    [
      'a probe without a handler',
      (s) => (s.containers[0]!.livenessProbe = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }),
      ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
    ],
    [
      'a liveness probe with successThreshold 2',
      (s) => (s.containers[0]!.livenessProbe = { exec: { command: ['true'] }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 2, failureThreshold: 3 }),
      ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    ],
    [
      'a restart policy on a regular container',
      (s) => (s.containers[0]!.restartPolicy = 'Always'),
      ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ],
    [
      'a probe on an init container that is not a sidecar',
      (s) => (s.initContainers = [{ ...structuredClone(s.containers[0]!), name: 'init', readinessProbe: { exec: { command: ['true'] } } }]),
      ['spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'],
    ],
    [
      'an init container named like a container',
      (s) => (s.initContainers = [structuredClone(s.containers[0]!)]),
      ['spec.initContainers[0].name: Duplicate value: "app"'],
    ],
    [
      'node affinity without terms',
      (s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
      ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term'],
    ],
    [
      'a pod affinity term without topology key',
      (s) => (s.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } } }] } }),
      [
        'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty',
        "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must be non-empty",
        "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    [
      'hostNetwork with a host port different from the container port',
      (s) => {
        s.hostNetwork = true;
        s.containers[0]!.ports = [{ containerPort: 80, hostPort: 81, protocol: 'TCP' }];
      },
      ['spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true'],
    ],
  ];
  for (const [name, edit, want] of cases) {
    it(`reports ${name}`, () => assert.deepEqual(messages(spec(edit)), want));
  }

  it('requires hostPort to equal containerPort with hostNetwork only for pods', () => {
    const s = spec((x) => {
      x.hostNetwork = true;
      x.containers[0]!.ports = [{ containerPort: 80, protocol: 'TCP' }];
    });
    assert.deepEqual(messages(s), []);
    assert.deepEqual(messages(s, { resourceIsPod: true }), ['spec.containers[0].ports[0].hostPort: Invalid value: 0: must match `containerPort` when `hostNetwork` is true']);
  });

  it('checks the name of the claim an ephemeral volume creates', () => {
    const s = spec((x) => (x.volumes = [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } }]));
    assert.deepEqual(messages(s, { podMeta: { name: 'p'.repeat(250) } }), [
      `spec.volumes[0].name: Invalid value: "scratch": PVC name "${'p'.repeat(250)}-scratch": must be no more than 253 characters`,
    ]);
  });
});

describe('validatePodTemplateSpec', () => {
  const template = (restartPolicy: string): Obj => {
    const t: Obj = { metadata: { labels: { app: 'web' } }, spec: { restartPolicy, containers: [{ name: 'web', image: 'nginx' }] } };
    defaultPodTemplateSpec(t);
    return t;
  };

  it('accepts a valid template', () => assert.deepEqual(validatePodTemplateSpec(template('Always'), 'spec.template', { restartPolicies: ['Always'] }), []));

  it('restricts the restart policy of ReplicaSets and Deployments', () => {
    assert.deepEqual(validatePodTemplateSpec(template('Never'), 'spec.template', { restartPolicies: ['Always'] }).map(errorText), [
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('restricts the restart policy of Jobs', () => {
    assert.deepEqual(validatePodTemplateSpec(template('Always'), 'spec.template', { restartPolicies: ['OnFailure', 'Never'] }).map(errorText), [
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
  });

  it('validates labels and containers under the template path', () => {
    const t = template('Always');
    (t.metadata as Obj).labels = { 'bad key!': 'x' };
    delete ((t.spec as Obj).containers as Obj[])[0]!.image;
    (t.spec as Obj).ephemeralContainers = [{ name: 'debug', image: 'busybox', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }];
    assert.deepEqual(validatePodTemplateSpec(t, 'spec.template').map(errorText), [
      "spec.template.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'spec.template.spec.containers[0].image: Required value',
      'spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template',
    ]);
  });
});
