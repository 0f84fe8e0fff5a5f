// apps/v1 DaemonSet: one pod on every eligible node. Facts from pkg/apis/apps/v1/defaults.go and
// conversion.go (the template generation kept in an annotation), pkg/apis/apps/validation
// (ValidateDaemonSet, ValidateDaemonSetUpdate, ValidateDaemonSetStatusUpdate),
// pkg/registry/apps/daemonset/strategy.go and printDaemonSet.
import { forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { formatLabelSelector, validateLabelSelectorObject } from '../../api/labels.js';
import { deepEqual, isObject, type KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { DAEMONSET_TEMPLATE_GENERATION_ANNOTATION } from '../../api/well-known.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { daemonSet } from '../schemas/apps.js';
import { goIntOrString, goLabelSelector, goValue } from './go-values.js';
import { defaultPodTemplateSpec } from './pod/spec-defaults.js';
import { validatePodTemplateSpec } from './pod/spec-validation.js';
import {
  child,
  containerCells,
  containersColumn,
  imagesColumn,
  immutable,
  int,
  intOrPercentValue,
  nonNegative,
  notMoreThan100Percent,
  type Obj,
  selectorColumn,
  selectorMatchesTemplate,
  selectorOf,
  templateLabels,
  templateOf,
  validatePositiveIntOrPercent,
} from './workloads.js';
import { field, specOf, statusOf } from '../narrow.js';

const ROLLING_UPDATE = 'RollingUpdate';
const ON_DELETE = 'OnDelete';

/** SetDefaults_DaemonSet, then the pod template's defaults. */
function defaults(o: KubeObject): void {
  const spec = child(o, 'spec');
  const strategy = child(spec, 'updateStrategy');
  strategy.type ||= ROLLING_UPDATE;
  if (strategy.type === ROLLING_UPDATE) {
    const rolling = child(strategy, 'rollingUpdate');
    rolling.maxUnavailable ??= 1;
    rolling.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(child(spec, 'template'));
}

/** The template generation an object carries (the internal spec.templateGeneration; 0 without the annotation). */
function templateGeneration(o: KubeObject): number {
  const n = Number(o.metadata.annotations?.[DAEMONSET_TEMPLATE_GENERATION_ANNOTATION] ?? 0);
  return Number.isSafeInteger(n) ? n : 0;
}

function setTemplateGeneration(o: KubeObject, n: number): void {
  o.metadata.annotations = { ...o.metadata.annotations, [DAEMONSET_TEMPLATE_GENERATION_ANNOTATION]: String(n) };
}

// ---- validation ----

/** ValidateRollingUpdateDaemonSet: exactly one of maxUnavailable and maxSurge is not zero. */
function validateRollingUpdate(rolling: Obj, path: string): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(rolling.maxUnavailable, `${path}.maxUnavailable`),
    ...validatePositiveIntOrPercent(rolling.maxSurge, `${path}.maxSurge`),
    ...notMoreThan100Percent(rolling.maxUnavailable, `${path}.maxUnavailable`),
    ...notMoreThan100Percent(rolling.maxSurge, `${path}.maxSurge`),
  ];
  const hasUnavailable = intOrPercentValue(rolling.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(rolling.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalid(`${path}.maxSurge`, goIntOrString(rolling.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(required(`${path}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** ValidateDaemonSetUpdateStrategy. */
function validateStrategy(strategy: Obj): FieldError[] {
  const path = 'spec.updateStrategy';
  switch (strategy.type) {
    case ON_DELETE:
      return [];
    case ROLLING_UPDATE:
      return isObject(strategy.rollingUpdate) ? validateRollingUpdate(strategy.rollingUpdate, `${path}.rollingUpdate`) : [required(`${path}.rollingUpdate`)];
    default: {
      // %#v of apps.DaemonSetUpdateStrategy (a set pointer's address varies in Go).
      const rolling = strategy.rollingUpdate ? '(*apps.RollingUpdateDaemonSet)(0xc000000000)' : '(*apps.RollingUpdateDaemonSet)(nil)';
      return [notSupported(path, goValue(strategy, `apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(strategy.type ?? '')}, RollingUpdate:${rolling}}`), [ROLLING_UPDATE, ON_DELETE])];
    }
  }
}

/** ValidateDaemonSetSpec. */
function validateSpec(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const sel = selectorOf(o);
  const errs = sel ? validateLabelSelectorObject(sel, 'spec.selector') : [];
  errs.push(...selectorMatchesTemplate(sel, templateLabels(o), 'spec.template.metadata.labels'));
  if (sel && Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    errs.push(invalid('spec.selector', goLabelSelector(sel), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, 'spec.template', { restartPolicies: ['Always'] }));
  const activeDeadline = field(templateOf(o), 'spec').activeDeadlineSeconds;
  if (activeDeadline !== undefined && activeDeadline !== null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  return [
    ...errs,
    ...nonNegative(int(spec, 'minReadySeconds') ?? 0, 'spec.minReadySeconds'),
    ...validateStrategy(field(spec, 'updateStrategy')),
    ...nonNegative(int(spec, 'revisionHistoryLimit'), 'spec.revisionHistoryLimit'),
  ];
}

const STATUS_COUNTS = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'];

/** ValidateDaemonSetStatusUpdate: counts not negative, collisionCount never decremented. */
function validateStatus(o: KubeObject, old: KubeObject): FieldError[] {
  const status = statusOf(o);
  const errs = STATUS_COUNTS.flatMap((k) => nonNegative(int(status, k) ?? 0, `status.${k}`));
  errs.push(...nonNegative(int(status, 'collisionCount'), 'status.collisionCount'));
  const [count, oldCount] = [int(status, 'collisionCount'), int(statusOf(old), 'collisionCount')];
  if (oldCount !== undefined && (count ?? 0) < oldCount) errs.push(invalid('status.collisionCount', count ?? 0, 'cannot be decremented'));
  return errs;
}

// ---- table (printDaemonSet) ----

/** labels.FormatLabels: `k=v` sorted by key, joined with ",", or <none>. */
function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

function cells(o: KubeObject, now: Date): unknown[] {
  const status = statusOf(o);
  const counts = ['desiredNumberScheduled', 'currentNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable'].map((k) => int(status, k) ?? 0);
  const nodeSelector = field(templateOf(o), 'spec').nodeSelector as Record<string, string> | undefined;
  const [names, images] = containerCells(o);
  return [o.metadata.name, ...counts, formatLabels(nodeSelector), age(o.metadata.creationTimestamp, now), names, images, formatLabelSelector(selectorOf(o))];
}

const DS_DOCS = 'More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/';

export const daemonsets: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  resource: 'daemonsets',
  singular: 'daemonset',
  shortNames: ['ds'],
  categories: ['all'],
  namespaced: true,
  schema: daemonSet,
  hasStatus: true,
  hasGeneration: true,
  defaults,
  prepareForCreate(o) {
    o.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    setTemplateGeneration(o, 1);
  },
  prepareForUpdate(o, old) {
    // Not the client's to set: it moves on with the template.
    setTemplateGeneration(o, templateGeneration(old) + (deepEqual(templateOf(o), templateOf(old)) ? 0 : 1));
  },
  validate: validateSpec,
  validateUpdate: (o, old, _ctx, sub) =>
    sub === 'status'
      ? validateStatus(o, old)
      : [...validateSpec(o), ...immutable(selectorOf(o), selectorOf(old), 'spec.selector', goLabelSelector(selectorOf(o)))],
  table: {
    columns: [
      nameColumn,
      column('Desired', `The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). ${DS_DOCS}`, { type: 'integer' }),
      column('Current', `The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. ${DS_DOCS}`, { type: 'integer' }),
      column('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', { type: 'integer' }),
      column('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
      column('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', { type: 'integer' }),
      column('Node Selector', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn('A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
    ],
    cells,
  },
};
