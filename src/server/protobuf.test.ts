import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalize } from '../api/canonical.js';
import { ApiError } from '../api/errors.js';
import {
  any,
  arr,
  bool,
  bytes,
  double,
  int32,
  int64,
  intOrString,
  mapOf,
  obj,
  pb,
  ptr,
  quantity,
  str,
  stringMap,
  time,
  type ObjectSchema,
} from '../api/schema.js';
import * as apps from '../registry/schemas/apps.js';
import * as authentication from '../registry/schemas/authentication.js';
import * as authorization from '../registry/schemas/authorization.js';
import * as batch from '../registry/schemas/batch.js';
import * as core from '../registry/schemas/core.js';
import { kind, labelSelector } from '../registry/schemas/meta.js';
import { decodeProtobuf } from './protobuf.js';

// ---- a test-only encoder ----

const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
function varint(n: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}
const key = (field: number, wire: number) => varint(field * 8 + wire);
/** A varint field (int32, int64, bool, enum-like type numbers). */
const vi = (field: number, n: number | bigint | boolean) => cat(key(field, 0), varint(typeof n === 'boolean' ? (n ? 1 : 0) : n));
const ld = (field: number, b: Uint8Array) => cat(key(field, 2), varint(b.length), b);
const s = (field: number, text: string) => ld(field, Buffer.from(text));
const m = (field: number, ...parts: Uint8Array[]) => ld(field, cat(...parts));
const f64 = (field: number, x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return cat(key(field, 1), b);
};
const entry = (field: number, k: string, value: Uint8Array) => m(field, s(1, k), value);
const MAGIC = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);
const envelope = (apiVersion: string, kindName: string, raw: Uint8Array) =>
  cat(MAGIC, m(1, s(1, apiVersion), s(2, kindName)), ld(2, raw), s(3, ''), s(4, ''));
/** ObjectMeta as Go writes it: every non-pointer field, empty or not. */
const meta = (name: string, namespace = '', ...more: Uint8Array[]) =>
  m(1, s(1, name), s(2, ''), s(3, namespace), s(4, ''), s(5, ''), s(6, ''), vi(7, 0), ld(8, new Uint8Array(0)), ...more);
const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

// ---- small schemas, numbered as k8s.io/api generated.proto v0.32 ----

const K = 'io.k8s.test';
const objectReference = obj(`${K}.ObjectReference`, '', { kind: pb(1, str()), namespace: pb(2, str()), name: pb(3, str()), uid: pb(4, str()), apiVersion: pb(5, str()) });
const serviceAccount = kind('', 'v1', 'ServiceAccount', K, '', {
  secrets: pb(2, arr(objectReference)),
  imagePullSecrets: pb(3, arr(obj(`${K}.LocalObjectReference`, '', { name: pb(1, str()) }))),
  automountServiceAccountToken: pb(4, ptr(bool())),
});
const tokenRequest = kind('authentication.k8s.io', 'v1', 'TokenRequest', K, '', {
  spec: pb(2, obj(`${K}.TokenRequestSpec`, '', {
    audiences: pb(1, arr(str())),
    boundObjectRef: pb(3, obj(`${K}.BoundObjectReference`, '', { kind: pb(1, str()), apiVersion: pb(2, str()), name: pb(3, str()), uid: pb(4, str()) })),
    expirationSeconds: pb(4, ptr(int64())),
  })),
  status: pb(3, obj(`${K}.TokenRequestStatus`, '', { token: pb(1, str()), expirationTimestamp: pb(2, time()) }, { required: ['token', 'expirationTimestamp'] })),
});
const policyRule = obj(`${K}.PolicyRule`, '', {
  verbs: pb(1, arr(str())),
  apiGroups: pb(2, arr(str())),
  resources: pb(3, arr(str())),
  resourceNames: pb(4, arr(str())),
  nonResourceURLs: pb(5, arr(str())),
}, { required: ['verbs'] });
const role = kind('rbac.authorization.k8s.io', 'v1', 'Role', K, '', { rules: pb(2, arr(policyRule)) });
const clusterRole = kind('rbac.authorization.k8s.io', 'v1', 'ClusterRole', K, '', {
  rules: pb(2, arr(policyRule)),
  aggregationRule: pb(3, obj(`${K}.AggregationRule`, '', { clusterRoleSelectors: pb(1, arr(labelSelector)) })),
});
const roleBinding = kind('rbac.authorization.k8s.io', 'v1', 'RoleBinding', K, '', {
  subjects: pb(2, arr(obj(`${K}.Subject`, '', { kind: pb(1, str()), apiGroup: pb(2, str()), name: pb(3, str()), namespace: pb(4, str()) }, { required: ['kind', 'name'] }))),
  roleRef: pb(3, obj(`${K}.RoleRef`, '', { apiGroup: pb(1, str()), kind: pb(2, str()), name: pb(3, str()) }, { required: ['apiGroup', 'kind', 'name'] })),
}, { required: ['roleRef'] });
const selfSubjectAccessReview = kind('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', K, '', {
  spec: pb(2, obj(`${K}.SelfSubjectAccessReviewSpec`, '', {
    resourceAttributes: pb(1, obj(`${K}.ResourceAttributes`, '', {
      namespace: pb(1, str()), verb: pb(2, str()), group: pb(3, str()), version: pb(4, str()), resource: pb(5, str()), subresource: pb(6, str()), name: pb(7, str()),
    })),
    nonResourceAttributes: pb(2, obj(`${K}.NonResourceAttributes`, '', { path: pb(1, str()), verb: pb(2, str()) })),
  })),
  status: pb(3, obj(`${K}.SubjectAccessReviewStatus`, '', { allowed: pb(1, bool()), reason: pb(2, str()), evaluationError: pb(3, str()), denied: pb(4, bool()) }, { required: ['allowed'] })),
});
const resourceRule = obj(`${K}.ResourceRule`, '', { verbs: pb(1, arr(str())), apiGroups: pb(2, arr(str())), resources: pb(3, arr(str())), resourceNames: pb(4, arr(str())) });
const selfSubjectRulesReview = kind('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', K, '', {
  spec: pb(2, obj(`${K}.SelfSubjectRulesReviewSpec`, '', { namespace: pb(1, str()) })),
  status: pb(3, obj(`${K}.SubjectRulesReviewStatus`, '', {
    resourceRules: pb(1, arr(resourceRule)),
    nonResourceRules: pb(2, arr(obj(`${K}.NonResourceRule`, '', { verbs: pb(1, arr(str())), nonResourceURLs: pb(2, arr(str())) }))),
    incomplete: pb(3, bool()),
    evaluationError: pb(4, str()),
  }, { required: ['resourceRules', 'nonResourceRules', 'incomplete'] })),
});
const selfSubjectReview = kind('authentication.k8s.io', 'v1', 'SelfSubjectReview', K, '', {
  status: pb(2, obj(`${K}.SelfSubjectReviewStatus`, '', {
    userInfo: pb(1, obj(`${K}.UserInfo`, '', { username: pb(1, str()), uid: pb(2, str()), groups: pb(3, arr(str())), extra: pb(4, mapOf(arr(str()))) })),
  })),
});
const secret = kind('', 'v1', 'Secret', K, '', { data: pb(2, mapOf(bytes())), type: pb(3, str()), stringData: pb(4, stringMap()), immutable: pb(5, ptr(bool())) });
const configMap = kind('', 'v1', 'ConfigMap', K, '', { data: pb(2, stringMap()), binaryData: pb(3, mapOf(bytes())), immutable: pb(4, ptr(bool())) });
const namespace = kind('', 'v1', 'Namespace', K, '', {
  spec: pb(2, obj(`${K}.NamespaceSpec`, '', { finalizers: pb(1, arr(str())) })),
  status: pb(3, obj(`${K}.NamespaceStatus`, '', { phase: pb(1, str()) })),
});
const resourceQuota = kind('', 'v1', 'ResourceQuota', K, '', {
  spec: pb(2, obj(`${K}.ResourceQuotaSpec`, '', { hard: pb(1, mapOf(quantity())), scopes: pb(2, arr(str())) })),
  status: pb(3, obj(`${K}.ResourceQuotaStatus`, '', { hard: pb(1, mapOf(quantity())), used: pb(2, mapOf(quantity())) })),
});
const service = kind('', 'v1', 'Service', K, '', {
  spec: pb(2, obj(`${K}.ServiceSpec`, '', {
    ports: pb(1, arr(obj(`${K}.ServicePort`, '', { name: pb(1, str()), protocol: pb(2, str()), port: pb(3, int32()), targetPort: pb(4, intOrString()), nodePort: pb(5, int32()) }, { required: ['port'] }))),
    selector: pb(2, stringMap()),
    clusterIP: pb(3, str()),
    type: pb(4, str()),
    healthCheckNodePort: pb(12, int32()),
    publishNotReadyAddresses: pb(13, bool()),
  })),
  status: pb(3, obj(`${K}.ServiceStatus`, '', { loadBalancer: pb(1, obj(`${K}.LoadBalancerStatus`, '', { ingress: pb(1, arr(obj(`${K}.LoadBalancerIngress`, '', { ip: pb(1, str()) }))) })) })),
});
// Probe and Volume embed a Go struct inline: protobuf keeps it as one sub-message (core-pod.ts embed()).
const httpGet = obj(`${K}.HTTPGetAction`, '', { path: pb(1, str()), port: pb(2, intOrString()), host: pb(3, str()) });
const probe = { ...obj(`${K}.Probe`, '', { httpGet: pb(2, httpGet), initialDelaySeconds: pb(2, int32()), periodSeconds: pb(4, int32()) }), protoEmbedded: { pb: 1, properties: ['httpGet'] } } as ObjectSchema;
const volume = {
  ...obj(`${K}.Volume`, '', {
    name: pb(1, str()),
    emptyDir: pb(2, obj(`${K}.EmptyDirVolumeSource`, '', { medium: pb(1, str()), sizeLimit: pb(2, quantity()) })),
    configMap: pb(19, obj(`${K}.ConfigMapVolumeSource`, '', { name: pb(1, str()), defaultMode: pb(3, ptr(int32())) })),
  }),
  protoEmbedded: { pb: 2, properties: ['emptyDir', 'configMap'] },
} as ObjectSchema;
const container = obj(`${K}.Container`, '', {
  name: pb(1, str()),
  image: pb(2, str()),
  command: pb(3, arr(str())),
  args: pb(4, arr(str())),
  workingDir: pb(5, str()),
  ports: pb(6, arr(obj(`${K}.ContainerPort`, '', { name: pb(1, str()), hostPort: pb(2, int32()), containerPort: pb(3, int32()), protocol: pb(4, str()) }, { required: ['containerPort'] }))),
  resources: pb(8, obj(`${K}.ResourceRequirements`, '', { limits: pb(1, mapOf(quantity())), requests: pb(2, mapOf(quantity())) })),
  livenessProbe: pb(10, probe),
  stdin: pb(16, bool()),
  stdinOnce: pb(17, bool()),
  tty: pb(18, bool()),
});
const podSpec = obj(`${K}.PodSpec`, '', {
  volumes: pb(1, arr(volume)),
  containers: pb(2, arr(container)),
  restartPolicy: pb(3, str()),
  terminationGracePeriodSeconds: pb(4, ptr(int64())),
  dnsPolicy: pb(6, str()),
  serviceAccountName: pb(8, str()),
  hostNetwork: pb(11, bool()),
  hostPID: pb(12, bool()),
  hostIPC: pb(13, bool()),
  automountServiceAccountToken: pb(21, ptr(bool())),
});
const podTemplateSpec = obj(`${K}.PodTemplateSpec`, '', { metadata: pb(1, kind('', 'v1', 'X', K, '', {}).properties.metadata!), spec: pb(2, podSpec) });
const deployment = kind('apps', 'v1', 'Deployment', K, '', {
  spec: pb(2, obj(`${K}.DeploymentSpec`, '', {
    replicas: pb(1, ptr(int32())),
    selector: pb(2, labelSelector),
    template: pb(3, podTemplateSpec),
    strategy: pb(4, obj(`${K}.DeploymentStrategy`, '', {
      type: pb(1, str()),
      rollingUpdate: pb(2, obj(`${K}.RollingUpdateDeployment`, '', { maxUnavailable: pb(1, intOrString()), maxSurge: pb(2, intOrString()) })),
    })),
    minReadySeconds: pb(5, int32()),
    revisionHistoryLimit: pb(6, ptr(int32())),
    paused: pb(7, bool()),
    progressDeadlineSeconds: pb(9, ptr(int32())),
  })),
  status: pb(3, obj(`${K}.DeploymentStatus`, '', {
    observedGeneration: pb(1, int64()),
    replicas: pb(2, int32()),
    updatedReplicas: pb(3, int32()),
    availableReplicas: pb(4, int32()),
    unavailableReplicas: pb(5, int32()),
    readyReplicas: pb(7, int32()),
  })),
});
const job = kind('batch', 'v1', 'Job', K, '', {
  spec: pb(2, obj(`${K}.JobSpec`, '', { parallelism: pb(1, ptr(int32())), completions: pb(2, ptr(int32())), template: pb(6, podTemplateSpec), backoffLimit: pb(7, ptr(int32())), suspend: pb(10, ptr(bool())) })),
  status: pb(3, obj(`${K}.JobStatus`, '', { active: pb(4, int32()), succeeded: pb(5, int32()), failed: pb(6, int32()), completedIndexes: pb(7, str()) })),
});
const lease = kind('coordination.k8s.io', 'v1', 'Lease', K, '', {
  spec: pb(2, obj(`${K}.LeaseSpec`, '', { holderIdentity: pb(1, ptr(str())), leaseDurationSeconds: pb(2, ptr(int32())), acquireTime: pb(3, time()), renewTime: pb(4, time()), leaseTransitions: pb(5, ptr(int32())) })),
});
/** Odd shapes: RawExtension, doubles, packed ints, negative numbers, int64 beyond 32 bits. */
const widget = kind('example.com', 'v1', 'Widget', K, '', {
  data: pb(2, any()),
  ratio: pb(3, double()),
  sizes: pb(4, arr(int32())),
  offset: pb(5, int32()),
  big: pb(6, int64()),
  limits: pb(7, arr(double())),
  flags: pb(8, arr(bool())),
  nested: pb(9, any()),
});
// A recursive message, for hostile nesting.
const tree: ObjectSchema = obj(`${K}.Tree`, '', { label: pb(2, str()) });
tree.properties.child = pb(1, tree);
const forest = kind('example.com', 'v1', 'Forest', K, '', { tree: pb(2, tree) });

const all: ObjectSchema[] = [serviceAccount, tokenRequest, role, clusterRole, roleBinding, selfSubjectAccessReview, selfSubjectRulesReview, selfSubjectReview, secret, configMap, namespace, resourceQuota, service, deployment, job, lease, widget, forest];
const registry = new Map<string, ObjectSchema>();
for (const k of all) for (const g of k.gvk!) registry.set(`${g.group ? `${g.group}/` : ''}${g.version}|${g.kind}`, k);
const schemaFor = (apiVersion: string, kindName: string) => registry.get(`${apiVersion}|${kindName}`);
/** What the decoder alone gives: every field present on the wire. */
const decodeOnly = (body: Uint8Array) => decodeProtobuf(body, schemaFor);
/** What a handler gives: the decoded body in canonical form (api/canonical.ts), as readObject does. */
function decode(body: Uint8Array): Record<string, unknown> {
  const out = decodeOnly(body);
  canonicalize(out, schemaFor(out.apiVersion as string, out.kind as string)!);
  return out;
}

function badRequest(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

// ---- bodies recorded from kubectl v1.32 (`--server https://127.0.0.1:…`), and what they decode to ----
// The expectations (decoded, then in canonical form, as the handler does) equal the JSON kubectl v1.31
// sent for the same commands, less `creationTimestamp: null` and other nulls. Go writes every
// non-pointer field on the wire; the canonical form drops those that omitempty drops in JSON.
// TokenRequestStatus.token has no omitempty: Go's JSON writes `token: ""` (and `expirationTimestamp: null`).

describe('decodeProtobuf: bodies kubectl 1.32 sends', () => {
  it('create sa my-app-sa (the reference example)', () => {
    const out = decode(b64('azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSGwoZCglteS1hcHAtc2ESABoAIgAqADIAOABCABoAIgA='));
    assert.equal(JSON.stringify(out), '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"my-app-sa"}}');
  });

  it('create sa my-app-sa -n default', () => {
    assert.deepEqual(decode(b64('azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSIgogCglteS1hcHAtc2ESABoHZGVmYXVsdCIAKgAyADgAQgAaACIA')), {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'my-app-sa', namespace: 'default' },
    });
  });

  it('create token foo --duration=24h --audience a --audience b', () => {
    assert.deepEqual(decode(b64('azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIkChAKABIAGgAiACoAMgA4AEIAEgoKAWEKAWIggKMFGgQKABIAGgAiAA==')), {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { audiences: ['a', 'b'], expirationSeconds: 86400 }, status: { token: '' },
    });
  });

  it('create token foo (no flags) and with --bound-object-*', () => {
    assert.deepEqual(decode(b64('azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIaChAKABIAGgAiACoAMgA4AEIAEgAaBAoAEgAaACIA')), {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: {}, status: { token: '' },
    });
    assert.deepEqual(decode(b64('azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIyChAKABIAGgAiACoAMgA4AEIAEhgaFgoDUG9kEgJ2MRoCcDEiBzEyMy1hYmMaBAoAEgAaACIA')).spec, {
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1', uid: '123-abc' },
    });
  });

  it('create role r --verb=get,list --resource=pods keeps apiGroups [""]', () => {
    assert.deepEqual(decode(b64('azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEi8KGAoBchIAGgdkZWZhdWx0IgAqADIAOABCABITCgNnZXQKBGxpc3QSABoEcG9kcxoAIgA=')), {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'default' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    });
  });

  it('create clusterrole cr --verb=get --non-resource-url=/healthz', () => {
    assert.deepEqual(decode(b64('azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRIlChIKAmNyEgAaACIAKgAyADgAQgASDwoDZ2V0KggvaGVhbHRoehoAIgA=')), {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
    });
  });

  it('create rolebinding rb --role=r --serviceaccount=default:sa1 --user u1 --group g1', () => {
    assert.deepEqual(decode(b64('azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxK2AQoZCgJyYhIAGgdkZWZhdWx0IgAqADIAOABCABInCgRVc2VyEhlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvGgJ1MSIAEigKBUdyb3VwEhlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvGgJnMSIAEiAKDlNlcnZpY2VBY2NvdW50EgAaA3NhMSIHZGVmYXVsdBokChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgRSb2xlGgFyGgAiAA==')), {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'default' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u1' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'g1' },
        { kind: 'ServiceAccount', name: 'sa1', namespace: 'default' },
      ],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    });
  });

  it('auth can-i get pods, and --subresource=log -n kube-system', () => {
    assert.deepEqual(decode(b64('azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPAoQCgASABoAIgAqADIAOABCABIeChwKB2RlZmF1bHQSA2dldBoAIgAqBHBvZHMyADoAGggIABIAGgAgABoAIgA=')), {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } },
      status: { allowed: false },
    });
    assert.deepEqual(decode(b64('azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSQwoQCgASABoAIgAqADIAOABCABIlCiMKC2t1YmUtc3lzdGVtEgNnZXQaACIAKgRwb2RzMgNsb2c6ABoICAASABoAIAAaACIA')).spec, {
      resourceAttributes: { namespace: 'kube-system', verb: 'get', resource: 'pods', subresource: 'log' },
    });
  });

  it('auth can-i --list', () => {
    assert.deepEqual(decode(b64('azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxIjChAKABIAGgAiACoAMgA4AEIAEgkKB2RlZmF1bHQaBBgAIgAaACIA')), {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'default' }, status: { incomplete: false },
    });
  });

  it('auth whoami', () => {
    assert.deepEqual(decode(b64('azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA=')), {
      apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: { userInfo: {} },
    });
  });

  it('create secret generic s --from-literal=k=v --from-literal=e= (bytes, empty value kept)', () => {
    assert.deepEqual(decode(b64('azhzAAoMCgJ2MRIGU2VjcmV0EisKGAoBcxIAGgdkZWZhdWx0IgAqADIAOABCABIFCgFlEgASBgoBaxIBdhoAGgAiAA==')), {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { e: '', k: 'dg==' },
    });
  });

  it('create configmap, create namespace, create quota', () => {
    assert.deepEqual(decode(b64('azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiMKGQoCY20SABoHZGVmYXVsdCIAKgAyADgAQgASBgoBaxIBdhoAIgA=')), {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { k: 'v' },
    });
    assert.deepEqual(decode(b64('azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDbnMxEgAaACIAKgAyADgAQgASABoCCgAaACIA')), {
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' }, spec: {}, status: {},
    });
    assert.deepEqual(decode(b64('azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJHChgKAXESABoHZGVmYXVsdCIAKgAyADgAQgASKQoKCgNjcHUSAwoBMQoOCgZtZW1vcnkSBAoCMUcKCwoEcG9kcxIDCgEyGgAaACIA')), {
      apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { cpu: '1', memory: '1G', pods: '2' } }, status: {},
    });
  });

  it('create deployment d --image=nginx --replicas=0 --port=8080 keeps replicas: 0', () => {
    // v1.31 JSON: spec {replicas: 0, selector, template {metadata {labels}, spec {containers [{name, image,
    // ports [{containerPort: 8080}], resources: {}}]}}, strategy: {}}, status: {}. The wire also carries
    // hostPort, stdin, tty, hostNetwork, minReadySeconds, paused… at zero; they are non-pointer omitempty
    // fields, which the canonical form drops, while replicas (a pointer) stays.
    assert.deepEqual(decode(b64('azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErgBCiIKAWQSABoHZGVmYXVsdCIAKgAyADgAQgBaCAoDYXBwEgFkEoMBCAASCgoICgNhcHASAWQaawoaCgASABoAIgAqADIAOABCAFoICgNhcHASAWQSTRIvCgVuZ2lueBIFbmdpbngqADILCgAQABiQPyIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=')), {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default', labels: { app: 'd' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: {
            containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 8080 }], resources: {} }],
          },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it('create job j --image=busybox, create service clusterip svc --tcp=80:8080 (intOrString)', () => {
    assert.deepEqual(decode(b64('azhzAAoPCghiYXRjaC92MRIDSm9iEn8KGAoBahIAGgdkZWZhdWx0IgAqADIAOABCABJZMlcKEAoAEgAaACIAKgAyADgAQgASQxIgCgFqEgdidXN5Ym94KgBCAGoAcgCAAQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaCCAAKAAwADoAGgAiAA==')), {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' },
      spec: { template: { metadata: {}, spec: { containers: [{ name: 'j', image: 'busybox', resources: {} }], restartPolicy: 'Never' } } },
      status: {},
    });
    assert.deepEqual(decode(b64('azhzAAoNCgJ2MRIHU2VydmljZRJwCiYKA3N2YxIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA3N2YxJCChsKBzgwLTgwODASA1RDUBhQIgcIABCQPxoAKAASCgoDYXBwEgNzdmMaACIJQ2x1c3RlcklQOgBCAFIAWgBgAGgAGgIKABoAIgA=')), {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'default', labels: { app: 'svc' } },
      spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'svc' }, type: 'ClusterIP' },
      status: { loadBalancer: {} },
    });
  });
});

describe('decodeProtobuf: hand-encoded bodies', () => {
  it('TokenRequest with expirationSeconds, audiences and boundObjectRef', () => {
    const raw = cat(meta(''), m(2, s(1, 'https://kubernetes.default.svc'), s(1, 'vault'), m(3, s(1, 'Secret'), s(2, 'v1'), s(3, 'tok'), s(4, 'u-1')), vi(4, 86400)), m(3, s(1, ''), ld(2, new Uint8Array(0))));
    assert.deepEqual(decode(envelope('authentication.k8s.io/v1', 'TokenRequest', raw)), {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {},
      spec: { audiences: ['https://kubernetes.default.svc', 'vault'], boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'tok', uid: 'u-1' }, expirationSeconds: 86400 },
      status: { token: '' },
    });
  });

  it('Role with several rules, empty strings kept in lists only', () => {
    const raw = cat(meta('pod-reader', 'default'), m(2, s(1, 'get'), s(1, 'list'), s(2, ''), s(3, 'pods'), s(3, 'pods/log')), m(2, s(1, '*'), s(2, 'apps'), s(2, ''), s(3, 'deployments'), s(4, 'a'), s(4, '')));
    assert.deepEqual(decode(envelope('rbac.authorization.k8s.io/v1', 'Role', raw)), {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-reader', namespace: 'default' },
      rules: [
        { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] },
        { verbs: ['*'], apiGroups: ['apps', ''], resources: ['deployments'], resourceNames: ['a', ''] },
      ],
    });
  });

  it('RoleBinding, with metadata labels, annotations (empty values kept) and finalizers', () => {
    const raw = cat(
      meta('read-pods', 'default', entry(11, 'app', s(2, 'x')), entry(12, 'note', s(2, '')), s(14, 'f/one')),
      m(2, s(1, 'ServiceAccount'), s(2, ''), s(3, 'my-app-sa'), s(4, 'default')),
      m(3, s(1, 'rbac.authorization.k8s.io'), s(2, 'Role'), s(3, 'pod-reader')),
    );
    assert.deepEqual(decode(envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', raw)), {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
      metadata: { name: 'read-pods', namespace: 'default', labels: { app: 'x' }, annotations: { note: '' }, finalizers: ['f/one'] },
      subjects: [{ kind: 'ServiceAccount', name: 'my-app-sa', namespace: 'default' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    });
  });

  it('SelfSubjectAccessReview, resource and non-resource', () => {
    const res = cat(meta(''), m(2, m(1, s(1, 'default'), s(2, 'get'), s(3, 'apps'), s(4, ''), s(5, 'deployments'), s(6, 'scale'), s(7, 'web'))), m(3, vi(1, false), s(2, ''), s(3, ''), vi(4, false)));
    assert.deepEqual(decode(envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', res)), {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'get', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web' } },
      status: { allowed: false },
    });
    const nonRes = cat(meta(''), m(2, m(2, s(1, '/healthz'), s(2, 'get'))));
    assert.deepEqual(decode(envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', nonRes)).spec, { nonResourceAttributes: { path: '/healthz', verb: 'get' } });
  });

  it('SelfSubjectRulesReview, with a status (server-side shape) and a SelfSubjectReview with extra', () => {
    const raw = cat(meta(''), m(2, s(1, 'dev')), m(3, m(1, s(1, 'get'), s(2, ''), s(3, 'pods')), m(2, s(1, 'get'), s(2, '/api/*')), vi(3, true), s(4, 'webhook down')));
    assert.deepEqual(decode(envelope('authorization.k8s.io/v1', 'SelfSubjectRulesReview', raw)), {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'dev' },
      status: { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api/*'] }], incomplete: true, evaluationError: 'webhook down' },
    });
    // map[string]ExtraValue: ExtraValue is a message {repeated string items = 1}.
    const ssr = cat(meta(''), m(2, m(1, s(1, 'alice'), s(2, ''), s(3, 'dev'), s(3, 'system:authenticated'), entry(4, 'scopes', m(2, s(1, 'a'), s(1, 'b'))), entry(4, 'none', m(2)))));
    assert.deepEqual(decode(envelope('authentication.k8s.io/v1', 'SelfSubjectReview', ssr)).status, {
      userInfo: { username: 'alice', groups: ['dev', 'system:authenticated'], extra: { scopes: ['a', 'b'], none: [] } },
    });
  });

  it('Secret with bytes data, stringData and immutable: false (a pointer, so kept)', () => {
    const raw = cat(meta('creds', 'default'), entry(2, 'password', ld(2, Uint8Array.from([0, 1, 2, 0xff]))), entry(2, 'empty', ld(2, new Uint8Array(0))), entry(2, 'absent', new Uint8Array(0)), s(3, 'Opaque'), entry(4, 'user', s(2, 'admin')), vi(5, false));
    assert.deepEqual(decode(envelope('v1', 'Secret', raw)), {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' },
      data: { password: 'AAEC/w==', empty: '', absent: '' }, type: 'Opaque', stringData: { user: 'admin' }, immutable: false,
    });
  });

  it('ServiceAccount with automountServiceAccountToken: false and secrets', () => {
    const raw = cat(meta('builder', 'ci'), m(2, s(1, ''), s(2, ''), s(3, 'builder-token'), s(4, ''), s(5, '')), m(3, s(1, 'regcred')), vi(4, false));
    assert.deepEqual(decode(envelope('v1', 'ServiceAccount', raw)), {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'ci' },
      secrets: [{ name: 'builder-token' }], imagePullSecrets: [{ name: 'regcred' }], automountServiceAccountToken: false,
    });
  });

  it('Deployment: replicas 0, ports, quantities, intOrString, an embedded probe handler, emptyDir: {}', () => {
    const ios = (type: number, intVal: number, strVal: string) => cat(vi(1, type), vi(2, intVal), s(3, strVal));
    const ctr = cat(
      s(1, 'web'), s(2, 'nginx:1.27'), s(3, 'nginx'), s(4, '-g'), s(4, 'daemon off;'), s(5, ''),
      m(6, s(1, 'http'), vi(2, 0), vi(3, 80), s(4, 'TCP')),
      m(6, s(1, ''), vi(2, 0), vi(3, 443), s(4, 'TCP')),
      m(8, entry(1, 'cpu', m(2, s(1, '500m'))), entry(1, 'memory', m(2, s(1, '128Mi'))), entry(2, 'cpu', m(2, s(1, '0.1'))), entry(2, 'nvidia.com/gpu', m(2))),
      m(10, m(1, m(2, s(1, '/healthz'), m(2, ios(1, 0, 'http')), s(3, ''))), vi(2, 5), vi(4, 10)),
      vi(16, false), vi(17, false), vi(18, false),
    );
    const vol = cat(s(1, 'scratch'), m(2, m(2)));
    const vol2 = cat(s(1, 'cfg'), m(2, m(19, s(1, 'app-config'), vi(3, 0o644))));
    const tmplMeta = m(1, s(1, ''), s(2, ''), s(3, ''), s(4, ''), s(5, ''), s(6, ''), vi(7, 0), ld(8, new Uint8Array(0)), entry(11, 'app', s(2, 'web')));
    const raw = cat(
      meta('web', 'default', entry(11, 'app', s(2, 'web'))),
      m(2,
        vi(1, 0),
        m(2, entry(1, 'app', s(2, 'web'))),
        m(3, tmplMeta, m(2, m(1, vol), m(1, vol2), m(2, ctr), s(3, 'Always'), vi(4, 0), s(6, 'ClusterFirst'), vi(11, false), vi(21, false))),
        m(4, s(1, 'RollingUpdate'), m(2, m(1, ios(0, 0, '')), m(2, ios(1, 0, '25%')))),
        vi(5, 0), vi(6, 10), vi(7, false), vi(9, 600),
      ),
      m(3, vi(1, 0), vi(2, 0), vi(3, 0), vi(4, 0), vi(5, 0), vi(7, 0)),
    );
    assert.deepEqual(decode(envelope('apps/v1', 'Deployment', raw)), {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'cfg', configMap: { name: 'app-config', defaultMode: 420 } }],
            containers: [{
              name: 'web', image: 'nginx:1.27', command: ['nginx'], args: ['-g', 'daemon off;'],
              ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '0.1', 'nvidia.com/gpu': '0' } },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
            }],
            restartPolicy: 'Always', terminationGracePeriodSeconds: 0, dnsPolicy: 'ClusterFirst', automountServiceAccountToken: false,
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      },
      status: {},
    });
  });

  it('metadata times (seconds precision), MicroTime fields (microseconds), zero times dropped', () => {
    const ts = (sec: number | bigint, nanos = 0) => cat(vi(1, sec), vi(2, nanos));
    const raw = cat(
      m(1, s(1, 'lock'), m(8, ts(1735689600, 999_999_999)), m(9, ts(-62135596800)), s(14, 'x')),
      m(2, s(1, 'node-a'), vi(2, 15), m(3, ts(1735689600, 123_456_789)), m(4)),
    );
    assert.deepEqual(decode(envelope('coordination.k8s.io/v1', 'Lease', raw)), {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: 'lock', creationTimestamp: '2025-01-01T00:00:00Z', finalizers: ['x'] },
      spec: { holderIdentity: 'node-a', leaseDurationSeconds: 15, acquireTime: '2025-01-01T00:00:00.123456Z' },
    });
    // The Unix epoch is a real time, not Go's zero.
    assert.equal((decode(envelope('coordination.k8s.io/v1', 'Lease', m(1, m(8, vi(1, 0))))).metadata as { creationTimestamp: string }).creationTimestamp, '1970-01-01T00:00:00Z');
  });

  it('RawExtension, doubles, packed and unpacked repeated scalars, negative int32, int64', () => {
    const packed = ld(4, cat(varint(1), varint(300), varint(-2)));
    const doubles = Buffer.alloc(16);
    doubles.writeDoubleLE(0.5, 0);
    doubles.writeDoubleLE(-1e300, 8);
    const inner = envelope('v1', 'ConfigMap', cat(meta('nested'), entry(2, 'a', s(2, 'b'))));
    const raw = cat(
      m(2, ld(1, Buffer.from('{"a":[1,{"b":null}],"c":"d"}'))),
      f64(3, 0.25),
      packed, vi(4, 7),
      vi(5, -5),
      vi(6, 2n ** 40n + 3n),
      ld(7, doubles),
      ld(8, Uint8Array.from([1, 0, 1])),
      m(9, ld(1, inner)),
    );
    assert.deepEqual(decode(envelope('example.com/v1', 'Widget', raw)), {
      apiVersion: 'example.com/v1', kind: 'Widget',
      data: { a: [1, { b: null }], c: 'd' },
      ratio: 0.25,
      sizes: [1, 300, -2, 7],
      offset: -5,
      big: 2 ** 40 + 3,
      limits: [0.5, -1e300],
      flags: [true, false, true],
      nested: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nested' }, data: { a: 'b' } },
    });
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const fixed32 = cat(key(40, 5), Uint8Array.from([1, 2, 3, 4]));
    const fixed64 = cat(key(41, 1), new Uint8Array(8));
    const group = cat(key(42, 3), vi(1, 5), key(43, 3), s(2, 'x'), key(43, 4), key(42, 4));
    const raw = cat(fixed32, meta('sa', '', vi(99, 12345), s(98, 'junk')), fixed64, group, vi(50, 1), s(51, 'later'));
    assert.deepEqual(decode(envelope('v1', 'ServiceAccount', raw)), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } });
  });

  it('merges a repeated message field and lets the last scalar win, as proto does', () => {
    const raw = cat(m(1, s(1, 'first'), s(3, 'ns')), m(1, s(1, 'second'), s(14, 'f')), m(1, s(14, 'g'), s(3, '')));
    assert.deepEqual(decode(envelope('v1', 'ServiceAccount', raw)).metadata, { name: 'second', finalizers: ['f', 'g'] });
  });

  it('takes an empty envelope type from options.into', () => {
    const raw = meta('x');
    const body = cat(MAGIC, m(1, s(1, ''), s(2, '')), ld(2, raw));
    const out = decodeProtobuf(body, schemaFor, { into: { apiVersion: 'v1', kind: 'ServiceAccount' } });
    assert.deepEqual(out, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', generateName: '', namespace: '', selfLink: '', uid: '', resourceVersion: '', generation: 0 } });
    canonicalize(out, serviceAccount);
    assert.deepEqual(out, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x' } });
  });

  it('keeps every field present on the wire, zero or not; the canonical form drops what omitempty drops', () => {
    const body = envelope('v1', 'Secret', cat(meta('s', 'ns'), s(3, ''), vi(5, false)));
    assert.deepEqual(decodeOnly(body), {
      apiVersion: 'v1', kind: 'Secret',
      metadata: { name: 's', generateName: '', namespace: 'ns', selfLink: '', uid: '', resourceVersion: '', generation: 0 },
      type: '', immutable: false,
    });
    assert.deepEqual(decode(body), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, immutable: false });
  });
});

describe('decodeProtobuf: malformed input is a BadRequest', () => {
  const sa = envelope('v1', 'ServiceAccount', meta('x'));

  it('a body without the magic, an empty body, the magic alone', () => {
    badRequest(() => decode(Buffer.from('{"kind":"ServiceAccount"}')), 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    badRequest(() => decode(new Uint8Array(0)), 'empty data');
    badRequest(() => decode(MAGIC), 'empty body');
    badRequest(() => decode(Uint8Array.from([0x6b, 0x38])), /does not appear to be a protobuf message/);
  });

  it('truncated varints, lengths past the end, overlong varints', () => {
    badRequest(() => decode(cat(MAGIC, Uint8Array.from([0x0a, 0x80]))), 'unexpected EOF');
    badRequest(() => decode(cat(MAGIC, Uint8Array.from([0x12, 0x05, 0x01]))), 'unexpected EOF');
    badRequest(() => decode(sa.subarray(0, sa.length - 9)), 'unexpected EOF');
    badRequest(() => decode(cat(MAGIC, Uint8Array.from([0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f]))), 'unexpected EOF');
    badRequest(() => decode(cat(MAGIC, Uint8Array.from([0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))), 'proto: negative length found during unmarshaling');
    badRequest(() => decode(cat(MAGIC, key(5, 0), Uint8Array.from(Array(11).fill(0xff)))), 'proto: integer overflow');
    badRequest(() => decode(envelope('v1', 'ServiceAccount', cat(key(1, 2), varint(50), s(1, 'x')))), 'unexpected EOF');
  });

  it('unknown kinds, missing kind or version', () => {
    badRequest(() => decode(envelope('v1', 'Foo', new Uint8Array(0))), 'no kind "Foo" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
    badRequest(() => decode(envelope('rbac.authorization.k8s.io/v2', 'Role', new Uint8Array(0))), /^no kind "Role" is registered for version "rbac.authorization.k8s.io\/v2"/);
    badRequest(() => decode(envelope('v1', '', new Uint8Array(0))), `Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:"v1", Kind:""}'`);
    badRequest(() => decode(envelope('', 'ServiceAccount', new Uint8Array(0))), `Object 'apiVersion' is missing in 'runtime.TypeMeta{APIVersion:"", Kind:"ServiceAccount"}'`);
  });

  it('words errors as the apiserver handlers do when given the endpoint kind', () => {
    const into = { into: { apiVersion: 'v1', kind: 'ServiceAccount' } };
    badRequest(() => decodeProtobuf(envelope('v1', 'Foo', new Uint8Array(0)), schemaFor, into),
      'Foo in version "v1" cannot be handled as a ServiceAccount: no kind "Foo" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
    badRequest(() => decodeProtobuf(Buffer.from('{"kind":"ServiceAccount"}'), schemaFor, into),
      'the object provided is unrecognized (must be of type ServiceAccount): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"ServiceAccount"})');
    badRequest(() => decodeProtobuf(cat(MAGIC, Uint8Array.from([0x0a, 0x80])), schemaFor, into),
      'the object provided is unrecognized (must be of type ServiceAccount): unexpected EOF (6b3873000a80)');
    badRequest(() => decodeProtobuf(envelope('v1', 'ServiceAccount', Uint8Array.from([0x0a, 0x05])), schemaFor, into),
      'ServiceAccount in version "v1" cannot be handled as a ServiceAccount: unexpected EOF');
  });

  it('wrong wire types, illegal tags, stray end-groups, bad quantities and intOrStrings, bad raw JSON', () => {
    badRequest(() => decode(envelope('v1', 'ServiceAccount', vi(1, 5))), 'proto: wrong wireType = 0 for field Metadata');
    badRequest(() => decode(envelope('v1', 'ServiceAccount', m(1, vi(0, 1)))), /^proto: ObjectMeta: illegal tag 0/);
    badRequest(() => decode(envelope('v1', 'ServiceAccount', key(9, 4))), 'proto: ServiceAccount: wiretype end group for non-group');
    badRequest(() => decode(envelope('v1', 'ServiceAccount', key(9, 6))), 'proto: illegal wireType 6');
    badRequest(() => decode(envelope('v1', 'ResourceQuota', m(2, entry(1, 'cpu', m(2, s(1, 'lots')))))), /^quantities must match the regular expression/);
    badRequest(() => decode(envelope('v1', 'Service', m(2, m(1, vi(3, 80), m(4, vi(1, 7)))))), 'impossible IntOrString.Type');
    badRequest(() => decode(envelope('example.com/v1', 'Widget', m(2, ld(1, Buffer.from('{nope'))))), /^json: error calling MarshalJSON for type runtime.RawExtension/);
  });

  it('survives hostile nesting: recursive messages, nested groups, nested k8s bodies', () => {
    let t: Uint8Array = s(2, 'leaf');
    for (let i = 0; i < 5000; i++) t = m(1, t);
    badRequest(() => decode(envelope('example.com/v1', 'Forest', m(2, t))), 'proto: maximum nesting depth exceeded');
    let shallow: Uint8Array = s(2, 'leaf');
    for (let i = 0; i < 50; i++) shallow = m(1, shallow);
    assert.ok(decode(envelope('example.com/v1', 'Forest', m(2, shallow))).tree);

    const groups = cat(...Array.from({ length: 5000 }, () => key(7, 3)), ...Array.from({ length: 5000 }, () => key(7, 4)));
    badRequest(() => decode(envelope('v1', 'ServiceAccount', groups)), 'proto: maximum nesting depth exceeded');

    const deepJson = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
    badRequest(() => decode(envelope('example.com/v1', 'Widget', m(2, ld(1, deepJson)))), 'json: exceeded max depth');

    let body = envelope('v1', 'ServiceAccount', meta('x'));
    for (let i = 0; i < 300; i++) body = envelope('example.com/v1', 'Widget', m(9, ld(1, body)));
    badRequest(() => decode(body), 'proto: maximum nesting depth exceeded');
  });

  it('never throws anything but a BadRequest on random or mutated input', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const samples = [
      'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErgBCiIKAWQSABoHZGVmYXVsdCIAKgAyADgAQgBaCAoDYXBwEgFkEoMBCAASCgoICgNhcHASAWQaawoaCgASABoAIgAqADIAOABCAFoICgNhcHASAWQSTRIvCgVuZ2lueBIFbmdpbngqADILCgAQABiQPyIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=',
      'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPAoQCgASABoAIgAqADIAOABCABIeChwKB2RlZmF1bHQSA2dldBoAIgAqBHBvZHMyADoAGggIABIAGgAgABoAIgA=',
      'azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJHChgKAXESABoHZGVmYXVsdCIAKgAyADgAQgASKQoKCgNjcHUSAwoBMQoOCgZtZW1vcnkSBAoCMUcKCwoEcG9kcxIDCgEyGgAaACIA',
    ].map(b64);
    for (let i = 0; i < 3000; i++) {
      let body: Uint8Array;
      if (i % 3 === 0) {
        body = cat(MAGIC, Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
      } else {
        body = Uint8Array.from(samples[i % samples.length]!);
        const flips = 1 + Math.floor(rand() * 4);
        for (let j = 0; j < flips; j++) body[4 + Math.floor(rand() * (body.length - 4))] = Math.floor(rand() * 256);
        if (rand() < 0.3) body = body.subarray(0, 4 + Math.floor(rand() * (body.length - 4)));
      }
      try {
        decode(body);
      } catch (err) {
        assert.ok(err instanceof ApiError && err.code === 400, `iteration ${i}: ${String(err)}`);
      }
    }
  });
});

describe('decodeProtobuf with the registry schemas, then canonical form', () => {
  const real = new Map<string, ObjectSchema>();
  for (const k of [core.serviceAccount, apps.deployment, batch.job, core.service, authorization.selfSubjectAccessReview, authorization.selfSubjectRulesReview, authentication.tokenRequest]) {
    for (const g of k.gvk!) real.set(`${g.group ? `${g.group}/` : ''}${g.version}|${g.kind}`, k);
  }
  const realSchemaFor = (apiVersion: string, kindName: string) => real.get(`${apiVersion}|${kindName}`);
  function decodeReal(body: Uint8Array): Record<string, unknown> {
    const out = decodeProtobuf(body, realSchemaFor);
    canonicalize(out, realSchemaFor(out.apiVersion as string, out.kind as string)!);
    return out;
  }

  it('create sa: the reference body, and a ServiceAccount with automountServiceAccountToken: false (a pointer)', () => {
    const body = b64('azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSGwoZCglteS1hcHAtc2ESABoAIgAqADIAOABCABoAIgA=');
    assert.equal(JSON.stringify(decodeReal(body)), '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"my-app-sa"}}');
    const full = cat(meta('builder', 'ci'), m(2, s(3, 'builder-token')), m(3, s(1, 'regcred')), vi(4, false));
    assert.deepEqual(decodeReal(envelope('v1', 'ServiceAccount', full)), {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'ci' },
      secrets: [{ name: 'builder-token' }], imagePullSecrets: [{ name: 'regcred' }], automountServiceAccountToken: false,
    });
  });

  it('create deployment --replicas=0 --port=8080: the JSON kubectl 1.31 sent', () => {
    assert.deepEqual(decodeReal(b64('azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErgBCiIKAWQSABoHZGVmYXVsdCIAKgAyADgAQgBaCAoDYXBwEgFkEoMBCAASCgoICgNhcHASAWQaawoaCgASABoAIgAqADIAOABCAFoICgNhcHASAWQSTRIvCgVuZ2lueBIFbmdpbngqADILCgAQABiQPyIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=')), {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default', labels: { app: 'd' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 8080 }], resources: {} }] } },
        strategy: {},
      },
      status: {},
    });
  });

  it('create job, create service clusterip', () => {
    assert.deepEqual(decodeReal(b64('azhzAAoPCghiYXRjaC92MRIDSm9iEn8KGAoBahIAGgdkZWZhdWx0IgAqADIAOABCABJZMlcKEAoAEgAaACIAKgAyADgAQgASQxIgCgFqEgdidXN5Ym94KgBCAGoAcgCAAQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaCCAAKAAwADoAGgAiAA==')), {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' },
      spec: { template: { metadata: {}, spec: { containers: [{ name: 'j', image: 'busybox', resources: {} }], restartPolicy: 'Never' } } },
      status: {},
    });
    assert.deepEqual(decodeReal(b64('azhzAAoNCgJ2MRIHU2VydmljZRJwCiYKA3N2YxIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA3N2YxJCChsKBzgwLTgwODASA1RDUBhQIgcIABCQPxoAKAASCgoDYXBwEgNzdmMaACIJQ2x1c3RlcklQOgBCAFIAWgBgAGgAGgIKABoAIgA=')), {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'default', labels: { app: 'svc' } },
      spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'svc' }, type: 'ClusterIP' },
      status: { loadBalancer: {} },
    });
  });

  it('auth can-i and can-i --list keep allowed: false and incomplete: false (no omitempty); create token keeps token: ""', () => {
    assert.deepEqual(decodeReal(b64('azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPAoQCgASABoAIgAqADIAOABCABIeChwKB2RlZmF1bHQSA2dldBoAIgAqBHBvZHMyADoAGggIABIAGgAgABoAIgA=')), {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } },
      status: { allowed: false },
    });
    assert.deepEqual(decodeReal(b64('azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxIjChAKABIAGgAiACoAMgA4AEIAEgkKB2RlZmF1bHQaBBgAIgAaACIA')), {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'default' }, status: { incomplete: false },
    });
    assert.deepEqual(decodeReal(b64('azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIkChAKABIAGgAiACoAMgA4AEIAEgoKAWEKAWIggKMFGgQKABIAGgAiAA==')), {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { audiences: ['a', 'b'], expirationSeconds: 86400 }, status: { token: '' },
    });
  });
});
