import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as apps from '../registry/schemas/apps.js';
import * as authorization from '../registry/schemas/authorization.js';
import * as autoscaling from '../registry/schemas/autoscaling.js';
import * as batch from '../registry/schemas/batch.js';
import * as core from '../registry/schemas/core.js';
import * as rbac from '../registry/schemas/rbac.js';
import { canonicalize } from './canonical.js';
import { arr, bool, int32, keepZero, mapOf, obj, pb, ptr, str, type Schema } from './schema.js';

/** The canonical form of a copy of `value`. */
function canonical<T>(value: T, schema: Schema): T {
  const copy = structuredClone(value);
  canonicalize(copy, schema);
  return copy;
}

describe('ptr and keepZero', () => {
  it('mark a node and compose with pb()', () => {
    const n = pb(3, ptr(int32('x')));
    assert.deepEqual(n, { type: 'integer', format: 'int32', description: 'x', pointer: true, pb: 3 });
    assert.equal(ptr(pb(3, int32())).pb, 3);
    assert.equal(keepZero(str()).keepZero, true);
    assert.equal(keepZero(str()).pointer, undefined);
  });
});

describe('canonicalize: Go omitempty, pointers and fields without omitempty', () => {
  const schema = obj(undefined, '', {
    count: pb(1, int32()),
    countPtr: pb(2, ptr(int32())),
    countKept: pb(3, keepZero(int32())),
    countRequired: pb(4, int32()),
    flag: pb(5, bool()),
    flagPtr: pb(6, ptr(bool())),
    flagKept: pb(7, keepZero(bool())),
    text: pb(8, str()),
    textPtr: pb(9, ptr(str())),
    textKept: pb(10, keepZero(str())),
    list: pb(11, arr(str())),
    listRequired: pb(12, arr(str())),
    map: pb(13, mapOf(str())),
    nested: pb(14, obj(undefined, '', { n: pb(1, int32()) })),
  }, { required: ['countRequired', 'listRequired'] });

  it('drops the zero values of plain fields and keeps those of pointer, keepZero and required ones', () => {
    const value = {
      count: 0, countPtr: 0, countKept: 0, countRequired: 0,
      flag: false, flagPtr: false, flagKept: false,
      text: '', textPtr: '', textKept: '',
      list: [], listRequired: [], map: {},
      nested: { n: 0 },
    };
    assert.deepEqual(canonical(value, schema), {
      countPtr: 0, countKept: 0, countRequired: 0,
      flagPtr: false, flagKept: false,
      textPtr: '', textKept: '',
      listRequired: [],
      nested: {},
    });
  });

  it('drops nulls everywhere, pointers included, and keeps non-zero values and list elements and map values', () => {
    const value = { countPtr: null, textKept: null, count: 7, flag: true, text: 'x', list: ['', ''], map: { a: '' }, unknown: 0 };
    assert.deepEqual(canonical(value, schema), { count: 7, flag: true, text: 'x', list: ['', ''], map: { a: '' }, unknown: 0 });
  });
});

describe('canonicalize with the registry schemas', () => {
  it('a Deployment: replicas 0 (a pointer) stays; hostPort 0, stdin false, paused false, minReadySeconds 0 go', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', generation: 0, labels: { app: 'web' } },
      spec: {
        replicas: 0, paused: false, minReadySeconds: 0, revisionHistoryLimit: 0, progressDeadlineSeconds: 600,
        selector: { matchLabels: { app: 'web' } },
        strategy: {},
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'web', image: 'nginx', workingDir: '',
              ports: [{ name: '', hostPort: 0, containerPort: 8080, protocol: 'TCP', hostIP: '' }],
              resources: {},
              stdin: false, stdinOnce: false, tty: false,
              securityContext: { readOnlyRootFilesystem: false, privileged: false, runAsUser: 0 },
            }],
            hostNetwork: false, hostPID: false, hostIPC: false,
            terminationGracePeriodSeconds: 0, automountServiceAccountToken: false, enableServiceLinks: false,
            dnsPolicy: '', restartPolicy: 'Always',
          },
        },
      },
      status: { observedGeneration: 0, replicas: 0, readyReplicas: 0, collisionCount: 0 },
    };
    assert.deepEqual(canonical(deployment, apps.deployment), {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 0, revisionHistoryLimit: 0, progressDeadlineSeconds: 600,
        selector: { matchLabels: { app: 'web' } },
        strategy: {},
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'web', image: 'nginx',
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: {},
              securityContext: { readOnlyRootFilesystem: false, privileged: false, runAsUser: 0 },
            }],
            terminationGracePeriodSeconds: 0, automountServiceAccountToken: false, enableServiceLinks: false,
            restartPolicy: 'Always',
          },
        },
      },
      status: { collisionCount: 0 },
    });
  });

  it('a ServiceAccount keeps automountServiceAccountToken: false', () => {
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' }, automountServiceAccountToken: false, secrets: [], imagePullSecrets: [] };
    assert.deepEqual(canonical(sa, core.serviceAccount), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' }, automountServiceAccountToken: false });
  });

  it('a SelfSubjectAccessReview keeps status.allowed: false (no omitempty) and drops denied: false', () => {
    const ssar = {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {},
      spec: { resourceAttributes: { namespace: '', verb: 'get', group: '', resource: 'pods' } },
      status: { allowed: false, denied: false, reason: '', evaluationError: '' },
    };
    assert.deepEqual(canonical(ssar, authorization.selfSubjectAccessReview), {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {},
      spec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
      status: { allowed: false },
    });
    const rules = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: '' }, status: { resourceRules: [], nonResourceRules: [], incomplete: false, evaluationError: '' } };
    assert.deepEqual(canonical(rules, authorization.selfSubjectRulesReview), {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: {}, status: { resourceRules: [], nonResourceRules: [], incomplete: false },
    });
  });

  it('a RoleBinding keeps roleRef.apiGroup: "" (no omitempty) and drops subjects[].apiGroup: "" (omitempty)', () => {
    const rb = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'default' },
      roleRef: { apiGroup: '', kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', apiGroup: '', name: 'sa', namespace: 'default' }],
    };
    assert.deepEqual(canonical(rb, rbac.roleBinding), {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'default' },
      roleRef: { apiGroup: '', kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'default' }],
    });
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] }] };
    assert.deepEqual(canonical(role, rbac.role), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] });
  });

  it('a core Event keeps reportingComponent and reportingInstance: "" (no omitempty) and drops count: 0', () => {
    const ev = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      reason: 'Started', message: '', count: 0, type: 'Normal', reportingComponent: '', reportingInstance: '', action: '',
      source: { component: 'kubelet', host: '' },
    };
    assert.deepEqual(canonical(ev, core.event), {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      reason: 'Started', type: 'Normal', reportingComponent: '', reportingInstance: '',
      source: { component: 'kubelet' },
    });
  });

  it('pointer strings keep "" (a PVC storageClassName: "" turns dynamic provisioning off), plain ones drop it', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName: '', volumeName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    assert.deepEqual(canonical(pvc, core.persistentVolumeClaim), {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
  });

  it('a Job keeps suspend: false and backoffLimit: 0 (pointers) and status.ready: 0, and drops status.active: 0', () => {
    const job = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' },
      spec: { suspend: false, backoffLimit: 0, completions: 1, template: { metadata: {}, spec: { containers: [{ name: 'j', image: 'busybox' }], restartPolicy: 'Never' } } },
      status: { active: 0, succeeded: 0, failed: 0, ready: 0, terminating: 0, completedIndexes: '' },
    };
    assert.deepEqual(canonical(job, batch.job), {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' },
      spec: { suspend: false, backoffLimit: 0, completions: 1, template: { metadata: {}, spec: { containers: [{ name: 'j', image: 'busybox' }], restartPolicy: 'Never' } } },
      status: { ready: 0, terminating: 0 },
    });
  });

  it('a ReplicaSet keeps status.replicas: 0 (no omitempty); a Scale drops spec.replicas: 0 (omitempty) but keeps status.replicas: 0', () => {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 0, minReadySeconds: 0, selector: {} }, status: { replicas: 0, readyReplicas: 0 } };
    assert.deepEqual(canonical(rs, apps.replicaSet), { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 0, selector: {} }, status: { replicas: 0 } });
    const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 0 }, status: { replicas: 0, selector: '' } };
    assert.deepEqual(canonical(scale, autoscaling.scale), { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: {}, status: { replicas: 0 } });
  });

  it('a Node keeps the default runtime handler name: "" (no omitempty) and its features set to false (pointers)', () => {
    const node = {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { unschedulable: false },
      status: { runtimeHandlers: [{ name: '', features: { recursiveReadOnlyMounts: false, userNamespaces: false } }], features: { supplementalGroupsPolicy: false } },
    };
    assert.deepEqual(canonical(node, core.node), {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {},
      status: { runtimeHandlers: [{ name: '', features: { recursiveReadOnlyMounts: false, userNamespaces: false } }], features: { supplementalGroupsPolicy: false } },
    });
  });
});
