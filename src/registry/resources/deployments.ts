// apps/v1 Deployment: declarative updates of pods through ReplicaSets. Facts from
// pkg/apis/apps/v1/defaults.go, pkg/apis/apps/validation, pkg/registry/apps/deployment and
// printDeployment.
import { forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { deepEqual, isObject, type KubeObject } from '../../api/meta.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { deployment } from '../schemas/apps.js';
import { goIntOrString, goLabelSelector, goValue } from './go-values.js';
import { defaultPodTemplateSpec } from './pod/spec-defaults.js';
import { scaleSubresource } from './scale.js';
import { child, containerCells, containersColumn, imagesColumn, immutable, int, intOrPercentValue, nonNegative, notMoreThan100Percent, type Obj, selectorColumn, selectorOf, selectorString, validatePositiveIntOrPercent, validateReplicatedTemplate } from './workloads.js';
import { age } from '../../api/duration.js';
import { field, specOf, statusOf } from '../narrow.js';

const RECREATE = 'Recreate';
const ROLLING_UPDATE = 'RollingUpdate';

/** SetDefaults_Deployment, then the pod template's defaults. */
function defaults(o: KubeObject): void {
  const spec = child(o, 'spec');
  spec.replicas ??= 1;
  const strategy = child(spec, 'strategy');
  strategy.type ||= ROLLING_UPDATE;
  if (strategy.type === ROLLING_UPDATE) {
    const rolling = child(strategy, 'rollingUpdate');
    rolling.maxUnavailable ??= '25%';
    rolling.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(child(spec, 'template'));
}

// ---- validation (pkg/apis/apps/validation) ----

function validateRollingUpdate(rolling: Obj, path: string): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(rolling.maxUnavailable, `${path}.maxUnavailable`),
    ...validatePositiveIntOrPercent(rolling.maxSurge, `${path}.maxSurge`),
  ];
  if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
    errs.push(invalid(`${path}.maxUnavailable`, goIntOrString(rolling.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...notMoreThan100Percent(rolling.maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}

/** %#v of apps.DeploymentStrategy (the value NotSupported prints; Go shows a set pointer's address, which varies). */
function goStrategy(strategy: Obj): unknown {
  const rolling = strategy.rollingUpdate ? '(*apps.RollingUpdateDeployment)(0xc000000000)' : '(*apps.RollingUpdateDeployment)(nil)';
  return goValue(strategy, `apps.DeploymentStrategy{Type:${JSON.stringify(strategy.type ?? '')}, RollingUpdate:${rolling}}`);
}

/** ValidateDeploymentStrategy. */
function validateStrategy(strategy: Obj): FieldError[] {
  const path = 'spec.strategy';
  switch (strategy.type) {
    case RECREATE:
      return strategy.rollingUpdate ? [forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case ROLLING_UPDATE:
      return isObject(strategy.rollingUpdate)
        ? validateRollingUpdate(strategy.rollingUpdate, `${path}.rollingUpdate`)
        : [required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
    default:
      return [notSupported(path, goStrategy(strategy), [RECREATE, ROLLING_UPDATE])];
  }
}

/** ValidateDeploymentSpec. */
function validateSpec(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const minReadySeconds = int(spec, 'minReadySeconds') ?? 0;
  const errs = [
    ...nonNegative(int(spec, 'replicas') ?? 0, 'spec.replicas'),
    ...validateReplicatedTemplate(o),
    ...validateStrategy(field(spec, 'strategy')),
    ...nonNegative(minReadySeconds, 'spec.minReadySeconds'),
    ...nonNegative(int(spec, 'revisionHistoryLimit'), 'spec.revisionHistoryLimit'),
  ];
  const deadline = int(spec, 'progressDeadlineSeconds');
  if (deadline !== undefined) {
    errs.push(...nonNegative(deadline, 'spec.progressDeadlineSeconds'));
    if (deadline <= minReadySeconds) errs.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

// ---- table (printDeployment) ----

function cells(o: KubeObject, now: Date): unknown[] {
  const status = statusOf(o);
  const ready = `${int(status, 'readyReplicas') ?? 0}/${int(specOf(o), 'replicas') ?? 0}`;
  const [names, images] = containerCells(o);
  const row = [o.metadata.name, ready, int(status, 'updatedReplicas') ?? 0, int(status, 'availableReplicas') ?? 0, age(o.metadata.creationTimestamp, now)];
  return [...row, names, images, selectorString(selectorOf(o))];
}

export const deployments: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  namespaced: true,
  schema: deployment,
  hasStatus: true,
  statusUpdatesAnnotations: true,
  hasGeneration: true,
  defaults,
  prepareForCreate(o) {
    o.status = {};
  },
  prepareForUpdate(o, old) {
    // Annotations are copied to the ReplicaSets, so changing them is a new generation too.
    if (!deepEqual(o.metadata.annotations ?? {}, old.metadata.annotations ?? {})) o.metadata.generation = (old.metadata.generation ?? 0) + 1;
  },
  validate: validateSpec,
  validateUpdate: (o, old) => [...validateSpec(o), ...immutable(selectorOf(o), selectorOf(old), 'spec.selector', goLabelSelector(selectorOf(o)))],
  table: {
    columns: [
      nameColumn,
      column('Ready', 'Number of the pod with ready state'),
      column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
    ],
    cells,
  },
  subresources: { scale: scaleSubresource() },
};
