// apps/v1 ReplicaSet: keeps a number of pod replicas running. Facts from
// pkg/apis/apps/v1/defaults.go, pkg/apis/apps/validation, pkg/registry/apps/replicaset and
// printReplicaSet.
import type { FieldError } from '../../api/field-errors.js';
import { formatLabelSelector } from '../../api/labels.js';
import type { KubeObject } from '../../api/meta.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { replicaSet } from '../schemas/apps.js';
import { goLabelSelector } from './go-values.js';
import { defaultPodTemplateSpec } from './pod/spec-defaults.js';
import { scaleSubresource } from './scale.js';
import { child, containerCells, containersColumn, imagesColumn, immutable, int, nonNegative, selectorColumn, selectorOf, validateReplicatedTemplate } from './workloads.js';
import { age } from '../../api/duration.js';
import { specOf, statusOf } from '../narrow.js';

/** ValidateReplicaSetSpec. */
function validateSpec(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  return [
    ...nonNegative(int(spec, 'replicas') ?? 0, 'spec.replicas'),
    ...nonNegative(int(spec, 'minReadySeconds') ?? 0, 'spec.minReadySeconds'),
    ...validateReplicatedTemplate(o),
  ];
}

const replicas = (o: KubeObject): number => int(statusOf(o), 'replicas') ?? 0;

function cells(o: KubeObject, now: Date): unknown[] {
  const status = statusOf(o);
  const [names, images] = containerCells(o);
  const counts = [int(specOf(o), 'replicas') ?? 0, replicas(o), int(status, 'readyReplicas') ?? 0];
  return [o.metadata.name, ...counts, age(o.metadata.creationTimestamp, now), names, images, formatLabelSelector(selectorOf(o))];
}

export const replicasets: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  categories: ['all'],
  namespaced: true,
  schema: replicaSet,
  hasStatus: true,
  hasGeneration: true,
  defaults(o) {
    const spec = child(o, 'spec');
    spec.replicas ??= 1;
    defaultPodTemplateSpec(child(spec, 'template'));
  },
  prepareForCreate(o) {
    // ReplicaSetStatus.replicas is not omitempty: a new ReplicaSet shows `replicas: 0`.
    o.status = { replicas: 0 };
  },
  validate: validateSpec,
  // ValidateUpdate runs ValidateReplicaSet and ValidateReplicaSetUpdate, so spec errors come twice
  // (the message lists them once), then the apps/v1 selector immutability.
  validateUpdate: (o, old) => [...validateSpec(o), ...validateSpec(o), ...immutable(selectorOf(o), selectorOf(old), 'spec.selector', goLabelSelector(selectorOf(o)))],
  fields: { 'status.replicas': (o) => String(replicas(o)) },
  table: {
    columns: [
      nameColumn,
      column('Desired', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller', { type: 'integer' }),
      column('Current', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller', { type: 'integer' }),
      column('Ready', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.', { type: 'integer' }),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn('Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
    ],
    cells,
  },
  subresources: { scale: scaleSubresource() },
};
