import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorText } from '../../../api/field-errors.js';
import { defaultPodSpec, defaultPodTemplateSpec } from './spec-defaults.js';
import { validatePodSpec, validatePodTemplateSpec } from './spec-validation.js';

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
