import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schemaAt, type ObjectSchema, type Schema } from '../../api/schema.js';
import * as apiregistration from './apiregistration.js';
import * as apps from './apps.js';
import * as authentication from './authentication.js';
import * as authorization from './authorization.js';
import * as autoscaling from './autoscaling.js';
import * as batch from './batch.js';
import * as certificates from './certificates.js';
import * as coordination from './coordination.js';
import * as discovery from './discovery.js';
import * as events from './events.js';
import * as networking from './networking.js';
import * as storage from './storage.js';
import * as policy from './policy.js';
import * as rbac from './rbac.js';
import * as scheduling from './scheduling.js';

const kinds: [ObjectSchema, string, string, string][] = [
  [apiregistration.apiService, 'apiregistration.k8s.io', 'v1', 'APIService'],
  [apps.deployment, 'apps', 'v1', 'Deployment'],
  [apps.replicaSet, 'apps', 'v1', 'ReplicaSet'],
  [batch.job, 'batch', 'v1', 'Job'],
  [rbac.role, 'rbac.authorization.k8s.io', 'v1', 'Role'],
  [rbac.clusterRole, 'rbac.authorization.k8s.io', 'v1', 'ClusterRole'],
  [rbac.roleBinding, 'rbac.authorization.k8s.io', 'v1', 'RoleBinding'],
  [rbac.clusterRoleBinding, 'rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'],
  [coordination.lease, 'coordination.k8s.io', 'v1', 'Lease'],
  [discovery.endpointSlice, 'discovery.k8s.io', 'v1', 'EndpointSlice'],
  [scheduling.priorityClass, 'scheduling.k8s.io', 'v1', 'PriorityClass'],
  [events.eventsV1Event, 'events.k8s.io', 'v1', 'Event'],
  [authentication.tokenRequest, 'authentication.k8s.io', 'v1', 'TokenRequest'],
  [authentication.tokenReview, 'authentication.k8s.io', 'v1', 'TokenReview'],
  [authentication.selfSubjectReview, 'authentication.k8s.io', 'v1', 'SelfSubjectReview'],
  [authorization.subjectAccessReview, 'authorization.k8s.io', 'v1', 'SubjectAccessReview'],
  [authorization.selfSubjectAccessReview, 'authorization.k8s.io', 'v1', 'SelfSubjectAccessReview'],
  [authorization.localSubjectAccessReview, 'authorization.k8s.io', 'v1', 'LocalSubjectAccessReview'],
  [authorization.selfSubjectRulesReview, 'authorization.k8s.io', 'v1', 'SelfSubjectRulesReview'],
  [autoscaling.scale, 'autoscaling', 'v1', 'Scale'],
  [autoscaling.horizontalPodAutoscalerV1, 'autoscaling', 'v1', 'HorizontalPodAutoscaler'],
  [autoscaling.horizontalPodAutoscalerV2, 'autoscaling', 'v2', 'HorizontalPodAutoscaler'],
  [networking.ingressClass, 'networking.k8s.io', 'v1', 'IngressClass'],
  [networking.ingress, 'networking.k8s.io', 'v1', 'Ingress'],
  [networking.networkPolicy, 'networking.k8s.io', 'v1', 'NetworkPolicy'],
  [policy.eviction, 'policy', 'v1', 'Eviction'],
  [policy.podDisruptionBudget, 'policy', 'v1', 'PodDisruptionBudget'],
  [certificates.certificateSigningRequest, 'certificates.k8s.io', 'v1', 'CertificateSigningRequest'],
  [storage.storageClass, 'storage.k8s.io', 'v1', 'StorageClass'],
];

/** Objects carrying TypeMeta, whose apiVersion and kind have no protobuf number. */
const withTypeMeta = new Set<string>(['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']);

/** core/v1 types come from core.ts and are checked by its own tests. */
const isCore = (s: Schema) => s.type === 'object' && (s.name ?? '').startsWith('io.k8s.api.core.v1.');

/** Every object node reachable from root, each once, with the path that reached it. */
function objects(root: Schema): [ObjectSchema, string][] {
  const out: [ObjectSchema, string][] = [];
  const seen = new Set<Schema>();
  const visit = (s: Schema, path: string) => {
    if (s.type === 'array') return visit(s.items, `${path}[]`);
    if (s.type === 'map') return visit(s.values, `${path}{}`);
    if (s.type !== 'object' || seen.has(s) || isCore(s)) return;
    seen.add(s);
    out.push([s, path]);
    for (const [k, v] of Object.entries(s.properties)) visit(v, `${path}.${k}`);
  };
  visit(root, '');
  return out;
}

function pbAt(root: Schema, path: string): number | undefined {
  return schemaAt(root, path.split('.'))?.pb;
}

describe('schemas of the apps, batch, rbac, coordination, scheduling, events, authn, authz, autoscaling and policy groups', () => {
  for (const [k, group, version, kindName] of kinds) {
    it(`${group}/${version} ${kindName}: gvk, protobuf numbers, names`, () => {
      assert.deepEqual(k.gvk, [{ group, version, kind: kindName }]);
      assert.ok(k.name?.endsWith(`.${kindName}`));
      assert.equal(k.properties.metadata?.pb, 1);
      for (const [o, path] of objects(k)) {
        assert.ok(o.description, `${path || kindName} has a description`);
        // The fields of an inline-embedded struct number from 1 in their own sub-message.
        const [seenHere, seenEmbedded] = [new Map<number, string>(), new Map<number, string>()];
        for (const [prop, s] of Object.entries(o.properties)) {
          const seen = o.protoEmbedded?.properties.includes(prop) ? seenEmbedded : seenHere;
          const at = `${path}.${prop}`;
          const typeMetaField = (prop === 'apiVersion' || prop === 'kind') && (o === k || withTypeMeta.has(o.name ?? ''));
          if (typeMetaField) {
            assert.equal(s.pb, undefined, `${at} is TypeMeta and has no protobuf number`);
            continue;
          }
          assert.ok(Number.isInteger(s.pb) && s.pb! > 0, `${kindName}${at} has a protobuf number`);
          assert.ok(!seen.has(s.pb!), `${kindName}${at} reuses number ${s.pb} of ${seen.get(s.pb!)}`);
          seen.set(s.pb!, prop);
          assert.ok(s.description || s.fieldDescription, `${kindName}${at} is described`);
        }
        const names = Object.keys(o.properties).filter((p) => !(o === k && (p === 'apiVersion' || p === 'kind' || p === 'metadata')));
        assert.deepEqual(names, [...names].sort(), `${kindName}${path} lists its properties alphabetically`);
        for (const r of o.required ?? []) assert.ok(r in o.properties, `${kindName}${path} requires a property it has: ${r}`);
      }
    });
  }

  it('keeps the upstream protobuf numbers', () => {
    assert.equal(pbAt(apps.deployment, 'spec.replicas'), 1);
    assert.equal(pbAt(apps.deployment, 'spec.template'), 3);
    assert.equal(pbAt(apps.deployment, 'spec.strategy'), 4);
    assert.equal(pbAt(apps.deployment, 'status.collisionCount'), 8);
    assert.equal(pbAt(apps.replicaSet, 'status.fullyLabeledReplicas'), 2);
    assert.equal(pbAt(batch.job, 'spec.backoffLimit'), 7);
    assert.equal(pbAt(batch.job, 'spec.successPolicy'), 16);
    assert.equal(pbAt(batch.job, 'status.terminating'), 11);
    assert.equal(pbAt(rbac.clusterRole, 'rules.verbs'), 1);
    assert.equal(pbAt(rbac.clusterRole, 'rules.nonResourceURLs'), 5);
    assert.equal(pbAt(rbac.roleBinding, 'subjects.namespace'), 4);
    assert.equal(pbAt(rbac.roleBinding, 'roleRef.name'), 3);
    assert.equal(rbac.policyRule.properties.verbs?.pb, 1);
    assert.equal(rbac.policyRule.properties.nonResourceURLs?.pb, 5);
    assert.equal(rbac.subject.properties.namespace?.pb, 4);
    assert.equal(rbac.roleRef.properties.name?.pb, 3);
    assert.equal(pbAt(coordination.lease, 'spec.preferredHolder'), 7);
    assert.equal(pbAt(discovery.endpointSlice, 'addressType'), 4);
    assert.equal(pbAt(discovery.endpointSlice, 'endpoints.hints.forZones.name'), 1);
    assert.equal(pbAt(discovery.endpointSlice, 'ports.port'), 3);
    assert.equal(pbAt(scheduling.priorityClass, 'preemptionPolicy'), 5);
    assert.equal(pbAt(events.eventsV1Event, 'deprecatedCount'), 15);
    assert.equal(pbAt(authentication.tokenRequest, 'spec.audiences'), 1);
    assert.equal(pbAt(authentication.tokenRequest, 'spec.boundObjectRef'), 3);
    assert.equal(pbAt(authentication.tokenRequest, 'spec.expirationSeconds'), 4);
    assert.equal(pbAt(authentication.tokenRequest, 'spec.boundObjectRef.kind'), 1);
    assert.equal(pbAt(authentication.tokenRequest, 'spec.boundObjectRef.apiVersion'), 2);
    assert.equal(pbAt(authentication.tokenRequest, 'spec.boundObjectRef.uid'), 4);
    assert.equal(pbAt(authentication.tokenReview, 'status.audiences'), 4);
    assert.equal(pbAt(authorization.subjectAccessReview, 'spec.resourceAttributes.fieldSelector'), 8);
    assert.equal(pbAt(authorization.subjectAccessReview, 'spec.resourceAttributes.labelSelector'), 9);
    assert.equal(pbAt(autoscaling.scale, 'status.selector'), 2);
    assert.equal(pbAt(autoscaling.horizontalPodAutoscalerV1, 'spec.targetCPUUtilizationPercentage'), 4);
    assert.equal(pbAt(autoscaling.horizontalPodAutoscalerV1, 'status.currentCPUUtilizationPercentage'), 5);
    assert.equal(pbAt(autoscaling.horizontalPodAutoscalerV2, 'spec.behavior.scaleUp.stabilizationWindowSeconds'), 3);
    assert.equal(pbAt(autoscaling.horizontalPodAutoscalerV2, 'spec.metrics.containerResource'), 7);
    assert.equal(pbAt(autoscaling.horizontalPodAutoscalerV2, 'status.conditions'), 6);
    assert.equal(pbAt(policy.eviction, 'deleteOptions'), 2);
    assert.equal(pbAt(policy.eviction, 'deleteOptions.ignoreStoreReadErrorWithClusterBreakingPotential'), 6);
    assert.equal(pbAt(policy.eviction, 'deleteOptions.preconditions.uid'), 1);
    assert.equal(pbAt(policy.podDisruptionBudget, 'spec.maxUnavailable'), 3);
    assert.equal(pbAt(policy.podDisruptionBudget, 'spec.unhealthyPodEvictionPolicy'), 4);
    assert.equal(pbAt(policy.podDisruptionBudget, 'status.disruptedPods'), 2);
    assert.equal(pbAt(policy.podDisruptionBudget, 'status.conditions'), 7);
  });

  it('marks merge strategies and list types as upstream', () => {
    const strategy = schemaAt(apps.deployment, ['spec', 'strategy']);
    assert.equal(strategy?.type === 'object' && strategy.patchStrategy, 'retainKeys');
    assert.equal(schemaAt(apps.deployment, ['spec', 'strategy', 'rollingUpdate', 'maxSurge'])?.type, 'int-or-string');
    assert.equal(schemaAt(apps.deployment, ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'])?.type, 'int-or-string');
    const dConds = schemaAt(apps.deployment, ['status', 'conditions']);
    assert.ok(dConds?.type === 'array');
    assert.deepEqual([dConds.mergeKey, dConds.patchStrategy, dConds.listType, dConds.listMapKeys], ['type', 'merge', 'map', ['type']]);
    const jConds = schemaAt(batch.job, ['status', 'conditions']);
    assert.ok(jConds?.type === 'array');
    assert.deepEqual([jConds.mergeKey, jConds.patchStrategy, jConds.listType], ['type', 'merge', 'atomic']);
    for (const f of ['apiGroups', 'nonResourceURLs', 'resourceNames', 'resources', 'verbs']) {
      const list = rbac.policyRule.properties[f];
      assert.ok(list?.type === 'array' && list.listType === 'atomic' && list.items.type === 'string', `PolicyRule.${f} is an atomic list of strings, so [""] is representable`);
    }
    assert.equal(rbac.subject.mapType, 'atomic');
    assert.equal(rbac.roleRef.mapType, 'atomic');
    assert.deepEqual(rbac.roleBinding.required, ['roleRef']);
    const extra = schemaAt(authentication.tokenReview, ['status', 'user', 'extra']);
    assert.ok(extra?.type === 'map' && extra.values.type === 'array' && extra.values.items.type === 'string');
  });
});
