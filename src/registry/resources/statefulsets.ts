// apps/v1 StatefulSet: pods with stable names `<set>-<ordinal>` and a claim per pod for each
// volumeClaimTemplate. Facts from pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet),
// pkg/apis/apps/validation (ValidateStatefulSet, ValidateStatefulSetUpdate,
// ValidateStatefulSetStatus(Update)), pkg/registry/apps/statefulset/strategy.go and printStatefulSet.
import { forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { validateLabelSelectorObject } from '../../api/labels.js';
import { deepEqual, isObject, type KubeObject, type ObjectMeta } from '../../api/meta.js';
import { validateAnnotations, validateLabels } from '../../api/validation.js';
import { age } from '../../api/duration.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { statefulSet } from '../schemas/apps.js';
import { goIntOrString, goLabelSelector, goValue } from './go-values.js';
import { persistentvolumeclaims } from './persistentvolumeclaims.js';
import { defaultPodTemplateSpec } from './pod/spec-defaults.js';
import { validatePodSpecificAnnotations } from './pod/spec-validation.js';
import { scaleSubresource } from './scale.js';
import {
  child,
  containerCells,
  containersColumn,
  imagesColumn,
  int,
  intOrPercentValue,
  nonNegative,
  notMoreThan100Percent,
  type Obj,
  parseSelector,
  selectorMatchesTemplate,
  selectorOf,
  templateLabels,
  templateOf,
  validatePositiveIntOrPercent,
} from './workloads.js';
import { field, specOf, statusOf } from '../narrow.js';

const ORDERED_READY = 'OrderedReady';
const PARALLEL = 'Parallel';
const ROLLING_UPDATE = 'RollingUpdate';
const ON_DELETE = 'OnDelete';
const RETAIN = 'Retain';

/** SetDefaults_StatefulSet (StatefulSetAutoDeletePVC on, MaxUnavailableStatefulSet off, as in 1.32), the claim templates' and the pod template's defaults. */
function defaults(o: KubeObject): void {
  const spec = child(o, 'spec');
  spec.podManagementPolicy ||= ORDERED_READY;
  const strategy = child(spec, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = ROLLING_UPDATE;
    child(strategy, 'rollingUpdate');
  }
  if (strategy.type === ROLLING_UPDATE && isObject(strategy.rollingUpdate)) strategy.rollingUpdate.partition ??= 0;
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  retention.whenDeleted ||= RETAIN;
  retention.whenScaled ||= RETAIN;
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  for (const claim of Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates.filter(isObject) : []) {
    // A claim template's status is a struct in Go, so its phase is defaulted too.
    claim.status = { ...field(claim, 'status') };
    persistentvolumeclaims.defaults!(claim as KubeObject);
  }
  defaultPodTemplateSpec(child(spec, 'template'));
}

// ---- validation ----

/** ValidatePersistentVolumeClaimRetentionPolicy. */
function validateRetention(policy: unknown): FieldError[] {
  const path = 'spec.persistentVolumeClaimRetentionPolicy';
  if (!isObject(policy)) return [];
  return (['whenDeleted', 'whenScaled'] as const).flatMap((k) =>
    policy[k] === RETAIN || policy[k] === 'Delete' ? [] : [notSupported(`${path}.${k}`, String(policy[k] ?? ''), ['Delete', RETAIN])],
  );
}

/** %#v of the internal apps.RollingUpdateStatefulSetStrategy. */
function goRollingUpdate(rolling: Obj): unknown {
  const maxUnavailable = rolling.maxUnavailable === undefined ? '(*intstr.IntOrString)(nil)' : '(*intstr.IntOrString)(0xc000000000)';
  return goValue(rolling, `apps.RollingUpdateStatefulSetStrategy{Partition:${int(rolling, 'partition') ?? 0}, MaxUnavailable:${maxUnavailable}}`);
}

/** validateRollingUpdateStatefulSet. */
function validateRollingUpdate(rolling: Obj, path: string): FieldError[] {
  const errs = nonNegative(int(rolling, 'partition') ?? 0, `${path}.partition`);
  if (rolling.maxUnavailable !== undefined && rolling.maxUnavailable !== null) {
    const v = rolling.maxUnavailable;
    errs.push(...validatePositiveIntOrPercent(v, `${path}.maxUnavailable`));
    if (intOrPercentValue(v) === 0) errs.push(invalid(`${path}.maxUnavailable`, goIntOrString(v), 'cannot be 0'));
    errs.push(...notMoreThan100Percent(v, `${path}.maxUnavailable`));
  }
  return errs;
}

/** The updateStrategy part of ValidateStatefulSetSpec. */
function validateStrategy(strategy: Obj): FieldError[] {
  const path = 'spec.updateStrategy';
  const rolling = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
  switch (strategy.type ?? '') {
    case '':
      return [required(path, '')];
    case ON_DELETE:
      return rolling ? [invalid(`${path}.rollingUpdate`, goRollingUpdate(rolling), `only allowed for updateStrategy '${ROLLING_UPDATE}'`)] : [];
    case ROLLING_UPDATE:
      return rolling ? validateRollingUpdate(rolling, `${path}.rollingUpdate`) : [];
    default: {
      const shown = rolling ? '(*apps.RollingUpdateStatefulSetStrategy)(0xc000000000)' : '(*apps.RollingUpdateStatefulSetStrategy)(nil)';
      return [invalid(path, goValue(strategy, `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(strategy.type)}, RollingUpdate:${shown}}`), `must be '${ROLLING_UPDATE}' or '${ON_DELETE}'`)];
    }
  }
}

/** ValidateStatefulSetSpec. */
function validateSpec(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const errs = validateRetention(spec.persistentVolumeClaimRetentionPolicy);
  const policy = spec.podManagementPolicy ?? '';
  if (policy === '') errs.push(required('spec.podManagementPolicy', ''));
  else if (policy !== ORDERED_READY && policy !== PARALLEL) errs.push(invalid('spec.podManagementPolicy', policy, `must be '${ORDERED_READY}' or '${PARALLEL}'`));
  errs.push(...validateStrategy(field(spec, 'updateStrategy')));
  errs.push(...nonNegative(int(spec, 'replicas') ?? 0, 'spec.replicas'));
  if (isObject(spec.ordinals)) errs.push(...nonNegative(int(spec.ordinals, 'start') ?? 0, 'spec.ordinals.start'));
  errs.push(...nonNegative(int(spec, 'minReadySeconds') ?? 0, 'spec.minReadySeconds'));
  const sel = selectorOf(o);
  if (!sel) errs.push(required('spec.selector', ''));
  else {
    errs.push(...validateLabelSelectorObject(sel, 'spec.selector'));
    if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
      errs.push(invalid('spec.selector', goLabelSelector(sel), 'empty selector is invalid for statefulset'));
    }
  }
  if (!parseSelector(sel).ok) errs.push(invalid('spec.selector', goLabelSelector(sel), ''));
  else {
    // ValidatePodTemplateSpecForStatefulSet: the pod spec itself is not validated (its volume
    // mounts may name claim templates), only the template's labels and annotations.
    const meta = field(templateOf(o), 'metadata') as ObjectMeta;
    errs.push(...selectorMatchesTemplate(sel, templateLabels(o), 'spec.template.metadata.labels'));
    errs.push(...validateLabels(meta.labels, 'spec.template.labels'), ...validateAnnotations(meta.annotations, 'spec.template.annotations'));
    errs.push(...validatePodSpecificAnnotations(meta.annotations, field(templateOf(o), 'spec'), 'spec.template.annotations'));
  }
  const podSpec = field(templateOf(o), 'spec');
  if (podSpec.restartPolicy !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', String(podSpec.restartPolicy ?? ''), ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

/** The spec fields ValidateStatefulSetUpdate lets change. */
const MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
const FORBIDDEN_UPDATE = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** ValidateStatefulSetUpdate: the spec is valid, and only the mutable fields changed. */
function validateUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const without = (x: KubeObject) => Object.fromEntries(Object.entries(specOf(x)).filter(([k]) => !MUTABLE.includes(k)));
  return [...validateSpec(o), ...(deepEqual(without(o), without(old)) ? [] : [forbidden('spec', FORBIDDEN_UPDATE)])];
}

const STATUS_COUNTS = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration'];

/** ValidateStatefulSetStatus and ValidateStatefulSetStatusUpdate. */
function validateStatus(o: KubeObject, old: KubeObject): FieldError[] {
  const status = statusOf(o);
  const n = (k: string) => int(status, k) ?? 0;
  const errs = STATUS_COUNTS.flatMap((k) => nonNegative(n(k), `status.${k}`));
  errs.push(...nonNegative(int(status, 'collisionCount'), 'status.collisionCount'));
  const notAbove = (k: string, limit: string) => (n(k) > n(limit) ? [invalid(`status.${k}`, n(k), `cannot be greater than status.${limit}`)] : []);
  errs.push(...notAbove('readyReplicas', 'replicas'), ...notAbove('currentReplicas', 'replicas'), ...notAbove('updatedReplicas', 'replicas'));
  errs.push(...notAbove('availableReplicas', 'replicas'), ...notAbove('availableReplicas', 'readyReplicas'));
  const [count, oldCount] = [int(status, 'collisionCount'), int(statusOf(old), 'collisionCount')];
  if (oldCount !== undefined && (count ?? 0) < oldCount) errs.push(invalid('status.collisionCount', count ?? 0, 'cannot be decremented'));
  return errs;
}

// ---- table (printStatefulSet) ----

function cells(o: KubeObject, now: Date): unknown[] {
  const ready = `${int(statusOf(o), 'readyReplicas') ?? 0}/${int(specOf(o), 'replicas') ?? 0}`;
  return [o.metadata.name, ready, age(o.metadata.creationTimestamp, now), ...containerCells(o)];
}

export const statefulsets: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
  singular: 'statefulset',
  shortNames: ['sts'],
  categories: ['all'],
  namespaced: true,
  // ValidateStatefulSetName: the name is part of the pods' hostnames.
  nameRule: 'label',
  schema: statefulSet,
  hasStatus: true,
  hasGeneration: true,
  defaults,
  prepareForCreate(o) {
    o.status = { replicas: 0, availableReplicas: 0 };
  },
  validate: validateSpec,
  validateUpdate: (o, old, _ctx, sub) => (sub === 'status' ? validateStatus(o, old) : validateUpdate(o, old)),
  table: {
    columns: [nameColumn, column('Ready', 'Number of the pod with ready state'), ageColumn, containersColumn, imagesColumn],
    cells,
  },
  subresources: { scale: scaleSubresource() },
};
