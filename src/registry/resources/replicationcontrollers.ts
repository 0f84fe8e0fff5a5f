// core/v1 ReplicationController: the older ReplicaSet, whose selector is a map of labels. Facts
// from pkg/apis/core/v1/defaults.go (SetDefaults_ReplicationController), pkg/apis/core/validation
// (ValidateReplicationControllerSpec, ValidatePodTemplateSpecForRC, ValidateReplicationControllerStatus),
// pkg/registry/core/replicationcontroller and printReplicationController.
import { forbidden, invalid, required, type FieldError } from '../../api/field-errors.js';
import { formatLabels, type LabelSelectorObject } from '../../api/labels.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { field, objects, specOf, statusOf, type Obj } from '../narrow.js';
import { replicationController } from '../schemas/core.js';
import { goStringMap } from './go-values.js';
import { defaultPodTemplateSpec } from './pod/spec-defaults.js';
import { validatePodTemplateSpec } from './pod/spec-validation.js';
import { scaleSubresource } from './scale.js';
import { child, containerCells, containersColumn, imagesColumn, int, nonNegative, selectorColumn } from './workloads.js';

type Labels = Record<string, string>;

const selectorMap = (o: KubeObject): Labels => (isObject(specOf(o).selector) ? (specOf(o).selector as Labels) : {});

/** The selector as a LabelSelector (labels.SelectorFromSet): for the scale subresource. */
export const rcSelector = (o: KubeObject): LabelSelectorObject => ({ matchLabels: selectorMap(o) });

/** ValidateReadOnlyPersistentDisks: pods on several machines can share a GCE disk only read-only. */
function readOnlyDisks(template: Obj): FieldError[] {
  return objects(field(template, 'spec').volumes).flatMap((v, i) =>
    isObject(v.gcePersistentDisk) && v.gcePersistentDisk.readOnly !== true
      ? [invalid(`spec.template.spec.volumes[${i}].gcePersistentDisk.readOnly`, false, 'must be true for replicated pods > 1; GCE PD can only be mounted on multiple machines if it is read-only')]
      : [],
  );
}

/** ValidatePodTemplateSpecForRC. */
function validateTemplate(template: unknown, selector: Labels, replicas: number): FieldError[] {
  if (!isObject(template)) return [required('spec.template')];
  const labels = field(template, 'metadata').labels as Labels | undefined;
  const errs: FieldError[] = [];
  if (Object.keys(selector).length && !Object.entries(selector).every(([k, v]) => labels?.[k] === v)) {
    errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), 'selector does not match labels in spec.template'));
  }
  errs.push(...validatePodTemplateSpec(template, 'spec.template', { restartPolicies: ['Always'] }));
  if (replicas > 1) errs.push(...readOnlyDisks(template));
  const activeDeadlineSeconds = field(template, 'spec').activeDeadlineSeconds;
  if (activeDeadlineSeconds !== undefined && activeDeadlineSeconds !== null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

/** ValidateReplicationControllerSpec (the selector is mutable: an update checks the same). */
function validateSpec(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const selector = selectorMap(o);
  return [
    ...nonNegative(int(spec, 'minReadySeconds'), 'spec.minReadySeconds'),
    ...(Object.keys(selector).length ? [] : [required('spec.selector')]),
    ...nonNegative(int(spec, 'replicas'), 'spec.replicas'),
    ...validateTemplate(spec.template, selector, int(spec, 'replicas') ?? 0),
  ];
}

/** ValidateReplicationControllerStatus: counts not negative, none above status.replicas, available not above ready. */
function validateStatus(o: KubeObject): FieldError[] {
  const status = statusOf(o);
  const count = (key: string) => int(status, key) ?? 0;
  const errs = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'].flatMap((k) => nonNegative(count(k), `status.${k}`));
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
    if (count(k) > count('replicas')) errs.push(invalid(`status.${k}`, count(k), 'cannot be greater than status.replicas'));
  }
  if (count('availableReplicas') > count('readyReplicas')) errs.push(invalid('status.availableReplicas', count('availableReplicas'), 'cannot be greater than readyReplicas'));
  return errs;
}

function cells(o: KubeObject, now: Date): unknown[] {
  const status = statusOf(o);
  const [names, images] = containerCells(o);
  const counts = [int(specOf(o), 'replicas') ?? 0, int(status, 'replicas') ?? 0, int(status, 'readyReplicas') ?? 0];
  return [o.metadata.name, ...counts, age(o.metadata.creationTimestamp, now), names, images, formatLabels(selectorMap(o))];
}

const RC_DOC = 'More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller';

export const replicationcontrollers: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  resource: 'replicationcontrollers',
  singular: 'replicationcontroller',
  shortNames: ['rc'],
  categories: ['all'],
  namespaced: true,
  schema: replicationController,
  storagePrefix: 'controllers',
  hasStatus: true,
  hasGeneration: true,
  defaults(o) {
    const spec = child(o, 'spec');
    const labels = isObject(spec.template) ? (field(spec.template, 'metadata').labels as Labels | undefined) : undefined;
    if (labels) {
      if (!Object.keys(selectorMap(o)).length) spec.selector = { ...labels };
      if (!Object.keys(o.metadata.labels ?? {}).length) o.metadata.labels = { ...labels };
    }
    spec.replicas ??= 1;
    if (isObject(spec.template)) defaultPodTemplateSpec(spec.template);
  },
  prepareForCreate(o) {
    // ReplicationControllerStatus.replicas is not omitempty: a new one shows `replicas: 0`.
    o.status = { replicas: 0 };
  },
  validate: validateSpec,
  validateUpdate: (o, _old, _ctx, subresource) => (subresource === 'status' ? validateStatus(o) : validateSpec(o)),
  fields: { 'status.replicas': (o) => String(int(statusOf(o), 'replicas') ?? 0) },
  table: {
    columns: [
      nameColumn,
      column('Desired', `Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. ${RC_DOC}`, { type: 'integer' }),
      column('Current', `Replicas is the most recently observed number of replicas. ${RC_DOC}`, { type: 'integer' }),
      column('Ready', 'The number of ready replicas for this replication controller.', { type: 'integer' }),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn(
        'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels#label-selectors',
      ),
    ],
    cells,
  },
  subresources: { scale: scaleSubresource(rcSelector) },
};
