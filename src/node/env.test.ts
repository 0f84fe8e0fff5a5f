import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnvFromSource, EnvVar, ServicePort } from 'kubernetes-types/core/v1.js';
import type { ConfigMap, Pod, Secret, Service } from '../api/kinds.js';
import { containerEnv, containerResourceValue, EnvError, expand, formatMap, mappingFor, serviceEnv, serviceEnvMap, type EnvSources } from './env.js';

const svc = (namespace: string, name: string, clusterIP: string, ports: ServicePort[]): Service => ({
  metadata: { name, namespace },
  spec: { clusterIP, ports },
});
const KUBERNETES = svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);

describe('$(VAR) expansion', () => {
  const m = mappingFor(new Map([['A', 'a'], ['EMPTY', '']]), new Map([['A', 'shadowed'], ['S', 's']]));
  const cases: [string, string][] = [
    ['$(A)', 'a'],
    ['x$(A)y$(S)z', 'xaysz'],
    ['$(EMPTY)', ''],
    ['$(MISSING)', '$(MISSING)'],
    ['$$(A)', '$(A)'],
    ['$$', '$'],
    ['$', '$'],
    ['a$b', 'a$b'],
    ['$(A', '$(A'],
    ['$()', ''.concat('$()')],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => assert.equal(expand(input, m), want));
});

describe('service variables', () => {
  it('gives HOST, PORT, named ports and the Docker link variables', () => {
    assert.deepEqual(Object.fromEntries(serviceEnv([KUBERNETES])), {
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    });
  });
  it('the kubernetes service always, the namespace services with enableServiceLinks, never headless ones', () => {
    const all = [KUBERNETES, svc('app', 'my-db', '10.96.0.9', [{ port: 5432 }, { name: 'metrics', port: 9187, protocol: 'UDP' }]), svc('app', 'headless', 'None', [{ port: 1 }]), svc('other', 'x', '10.96.0.8', [{ port: 1 }])];
    const withLinks = serviceEnvMap(all, 'app', true);
    assert.equal(withLinks.get('MY_DB_SERVICE_HOST'), '10.96.0.9');
    assert.equal(withLinks.get('MY_DB_SERVICE_PORT'), '5432');
    assert.equal(withLinks.get('MY_DB_SERVICE_PORT_METRICS'), '9187');
    assert.equal(withLinks.get('MY_DB_PORT_9187_UDP'), 'udp://10.96.0.9:9187');
    assert.equal(withLinks.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
    assert.ok(![...withLinks.keys()].some((k) => k.startsWith('HEADLESS') || k.startsWith('X_')));
    const without = serviceEnvMap(all, 'app', false);
    assert.ok(without.has('KUBERNETES_PORT'));
    assert.ok(!without.has('MY_DB_SERVICE_HOST'));
  });
});

describe('containerEnv', () => {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'app', uid: 'u-1', labels: { b: '2', a: 'x"y' }, annotations: { note: 'n' } },
    spec: { nodeName: 'node-1', serviceAccountName: 'sa', enableServiceLinks: true, containers: [] },
  };
  const configMaps: Record<string, ConfigMap> = {
    cfg: { metadata: { name: 'cfg' }, data: { MODE: 'prod', 'bad=key': 'x', URL: 'http://$(HOST)' } },
  };
  const secrets: Record<string, Secret> = { creds: { metadata: { name: 'creds' }, data: { PASSWORD: Buffer.from('s3cret').toString('base64') } } };
  const src: EnvSources = {
    configMap: (_ns, n) => configMaps[n],
    secret: (_ns, n) => secrets[n],
    services: () => [KUBERNETES],
    podIPs: ['10.244.0.5'],
    hostIPs: ['127.0.0.1'],
    nodeAllocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' },
  };

  it('resolves envFrom, env, valueFrom and expansion in the kubelet order', () => {
    const warnings: string[] = [];
    const env = containerEnv(pod, {
      name: 'c',
      resources: { limits: { cpu: '500m', memory: '128Mi' } },
      envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'S_', secretRef: { name: 'creds' } }],
      env: [
        { name: 'HOST', value: 'db' },
        { name: 'MODE', value: 'override-$(MODE)' },
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'LABELS', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
        { name: 'LABEL_B', valueFrom: { fieldRef: { fieldPath: "metadata.labels['b']" } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'EPH', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage', divisor: '1Gi' } } },
        { name: 'REQ_CPU', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x', optional: true } } },
        { name: 'API', value: 'https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)' },
        { name: 'KUBERNETES_PORT', value: 'mine' },
      ],
    }, { ...src, warn: (_r, m) => warnings.push(m) });
    assert.equal(env.MODE, 'override-prod');
    assert.equal(env.URL, 'http://$(HOST)', 'envFrom values are not expanded');
    assert.equal(env.S_PASSWORD, 's3cret');
    assert.equal(env.NAME, 'p');
    assert.equal(env.LABELS, 'a="x\\"y"\nb="2"');
    assert.equal(env.LABEL_B, '2');
    assert.equal(env.NODE, 'node-1');
    assert.equal(env.POD_IP, '10.244.0.5');
    assert.equal(env.HOST_IP, '127.0.0.1');
    assert.equal(env.CPU, '1', 'cpu rounds up to whole cores');
    assert.equal(env.CPU_M, '500');
    assert.equal(env.MEM_MI, '128');
    assert.equal(env.EPH, '100', 'an unset limit is the node allocatable');
    assert.equal(env.REQ_CPU, '0');
    assert.equal(env.PW, 's3cret');
    assert.ok(!('OPT' in env));
    assert.equal(env.API, 'https://10.96.0.1:443');
    assert.equal(env.KUBERNETES_PORT, 'mine', 'the container wins over a service variable');
    assert.equal(env.KUBERNETES_SERVICE_HOST, '10.96.0.1');
    assert.ok(!('bad=key' in env));
    assert.deepEqual(warnings, ['Keys [bad=key] from the EnvFrom configMap app/cfg were skipped since they are considered invalid environment variable names.']);
  });

  it('fails like the kubelet for a missing source', () => {
    const err = (env: EnvVar[], envFrom: EnvFromSource[] = []) => {
      try {
        containerEnv(pod, { name: 'c', env, envFrom }, src);
      } catch (e) {
        assert.ok(e instanceof EnvError);
        return e.message;
      }
      return '';
    };
    assert.equal(err([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }]), 'configmap "nope" not found');
    assert.equal(err([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }]), "couldn't find key k in ConfigMap app/cfg");
    assert.equal(err([{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }]), "couldn't find key k in Secret app/creds");
    assert.equal(err([], [{ secretRef: { name: 'gone' } }]), 'secret "gone" not found');
    assert.equal(err([], [{ secretRef: { name: 'gone', optional: true } }]), '');
  });

  it('formats maps and resource values as the downward API does', () => {
    assert.equal(formatMap({ z: '1', a: 'line\nbreak' }), 'a="line\\nbreak"\nz="1"');
    assert.equal(containerResourceValue({ resource: 'requests.memory', divisor: '1Ki' }, { name: 'c', resources: { requests: { memory: '1500' } } }, {}), '2');
  });
});
