// policy/v1 PodDisruptionBudget: how many of a set of pods must stay available through voluntary
// disruptions (evictions). Facts from pkg/apis/policy/validation, pkg/registry/policy/
// poddisruptionbudget/strategy.go and printPodDisruptionBudget; the disruption controller fills
// in the status, the pods/eviction subresource reads and decrements it.
import { invalid, notSupported, type FieldError } from '../../api/field-errors.js';
import { validateLabelSelectorObject, type LabelSelectorObject } from '../../api/labels.js';
import type { KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { validateConditions, validateNonnegative } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { objects, specOf, statusOf } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { podDisruptionBudget } from '../schemas/policy.js';
import { goValue } from './go-values.js';
import { int, notMoreThan100Percent, validatePositiveIntOrPercent } from './workloads.js';

interface Spec {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  selector?: LabelSelectorObject;
  unhealthyPodEvictionPolicy?: string;
}

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** %#v of policy.PodDisruptionBudgetSpec: its fields are pointers (Go prints an address, which varies). */
function goSpec(spec: Spec) {
  const ptr = (v: unknown, type: string) => `(*${type})(${v === undefined ? 'nil' : '0xc000000000'})`;
  const fields = [
    `MinAvailable:${ptr(spec.minAvailable, 'intstr.IntOrString')}`,
    `Selector:${ptr(spec.selector, 'v1.LabelSelector')}`,
    `MaxUnavailable:${ptr(spec.maxUnavailable, 'intstr.IntOrString')}`,
    `UnhealthyPodEvictionPolicy:${ptr(spec.unhealthyPodEvictionPolicy, 'policy.UnhealthyPodEvictionPolicyType')}`,
  ];
  return goValue(spec, `policy.PodDisruptionBudgetSpec{${fields.join(', ')}}`);
}

/** ValidatePodDisruptionBudgetSpec. */
function validateSpec(o: KubeObject, allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const spec = specOf<Spec>(o);
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(invalid('spec', goSpec(spec), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable'] as const) {
    if (spec[key] === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(spec[key], `spec.${key}`), ...notMoreThan100Percent(spec[key], `spec.${key}`));
  }
  errs.push(...validateLabelSelectorObject(spec.selector, 'spec.selector', { allowInvalidLabelValueInSelector }));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !EVICTION_POLICIES.includes(policy)) errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, EVICTION_POLICIES));
  return errs;
}

/** ValidatePodDisruptionBudgetStatusUpdate (policy/v1). */
function validateStatus(o: KubeObject): FieldError[] {
  const status = statusOf(o);
  const errs = validateConditions(objects(status.conditions), 'status.conditions');
  for (const key of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) {
    errs.push(...validateNonnegative(int(status, key) ?? 0, `status.${key}`));
  }
  return errs;
}

/** IntOrString.String(), or N/A when unset. */
const intOrStringCell = (v: number | string | undefined): string => (v === undefined ? 'N/A' : String(v));

export const podDisruptionBudgets: ResourceDef = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  resource: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  shortNames: ['pdb'],
  namespaced: true,
  schema: podDisruptionBudget,
  hasStatus: true,
  hasGeneration: true,
  prepareForCreate(o) {
    // The four counts are not omitempty: a new budget shows them as 0.
    o.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate: (o) => validateSpec(o, false),
  validateUpdate(o, old, _ctx, subresource) {
    if (subresource === 'status') return validateStatus(o);
    // A selector stored before label values were checked may keep its invalid values.
    return validateSpec(o, validateLabelSelectorObject(specOf<Spec>(old).selector, 'spec.selector').length > 0);
  },
  table: {
    columns: [
      nameColumn,
      column('Min Available', 'The minimum number of pods that must be available.'),
      column('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
      column('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
      ageColumn,
    ],
    cells(o, now) {
      const spec = specOf<Spec>(o);
      return [o.metadata.name, intOrStringCell(spec.minAvailable), intOrStringCell(spec.maxUnavailable), int(statusOf(o), 'disruptionsAllowed') ?? 0, age(o.metadata.creationTimestamp, now)];
    },
  },
};
