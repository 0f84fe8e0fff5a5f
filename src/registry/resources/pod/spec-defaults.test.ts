import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPodSpec, defaultPodTemplateSpec, imageTag } from './spec-defaults.js';

type Obj = Record<string, unknown>;

/** A defaulted spec with one container, changed by `edit`. */
function spec(edit: (s: Obj & { containers: Obj[] }) => void = () => {}): Obj {
  const s = { containers: [{ name: 'app', image: 'nginx:1.25' }] } as Obj & { containers: Obj[] };
  defaultPodSpec(s);
  edit(s);
  return s;
}

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
});

describe('defaulted quantities', () => {
  it('rounds resource lists up to milli units in canonical form', () => {
    const s = spec((x) => {
      x.containers[0]!.resources = { requests: { cpu: '0.0001', memory: '1073741824' }, limits: { cpu: 2, memory: '1.5Gi' } };
    });
    defaultPodSpec(s);
    assert.deepEqual((s.containers as Obj[])[0]!.resources, { requests: { cpu: '1m', memory: '1073741824' }, limits: { cpu: '2', memory: '1536Mi' } });
  });
});
