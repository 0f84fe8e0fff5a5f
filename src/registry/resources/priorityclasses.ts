// scheduling.k8s.io/v1 PriorityClass: the priority pods get by naming the class. Facts from
// pkg/apis/scheduling/v1/defaults.go, pkg/apis/scheduling/validation, the priorityclass strategy
// and printPriorityClass. Only one class may be the global default: Priority admission checks that.
import { forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { HIGHEST_USER_PRIORITY, PREEMPT_LOWER_PRIORITY, SYSTEM_PRIORITY_CLASS_PREFIX, SYSTEM_PRIORITY_CLASSES } from '../../api/priority-classes.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { priorityClass } from '../schemas/scheduling.js';

const POLICIES = [PREEMPT_LOWER_PRIORITY, 'Never'];

/** IsKnownSystemPriorityClass: why a `system-` class is not one of the system classes, or undefined. */
function notSystemClass(name: string, value: unknown, globalDefault: boolean): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/** ValidatePriorityClass without ObjectMeta (the store checks that). */
function validatePriorityClass(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = o.metadata.name ?? '';
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const why = notSystemClass(name, o.value, o.globalDefault === true);
    if (why) errs.push(forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`));
  } else if (typeof o.value === 'number' && o.value > HIGHEST_USER_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  const policy = o.preemptionPolicy;
  if (policy === '') errs.push(required('preemptionPolicy'));
  else if (policy !== undefined && !POLICIES.includes(String(policy))) errs.push(notSupported('preemptionPolicy', policy, POLICIES));
  return errs;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy never change. */
function validatePriorityClassUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (o.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
  if (o.preemptionPolicy !== old.preemptionPolicy) errs.push(invalid('preemptionPolicy', o.preemptionPolicy ?? null, 'field is immutable'));
  return errs;
}

export const priorityclasses: ResourceDef = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  resource: 'priorityclasses',
  singular: 'priorityclass',
  shortNames: ['pc'],
  namespaced: false,
  schema: priorityClass,
  defaults(o) {
    o.preemptionPolicy ??= PREEMPT_LOWER_PRIORITY;
  },
  prepareForCreate(o) {
    o.metadata.generation = 1;
  },
  validate: validatePriorityClass,
  validateUpdate: validatePriorityClassUpdate,
  // The priorityclass REST storage's Delete (a collection delete removes them).
  deleteForbidden: (name) => (SYSTEM_PRIORITY_CLASSES.some((c) => c.name === name) ? 'this is a system priority class and cannot be deleted' : undefined),
  table: {
    columns: [
      nameColumn,
      column('Value', 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.', { type: 'integer' }),
      column(
        'Global-Default',
        'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.',
        { type: 'boolean' },
      ),
      ageColumn,
      column('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
    ],
    cells: (o, now) => [o.metadata.name, o.value ?? 0, o.globalDefault === true, age(o.metadata.creationTimestamp, now), o.preemptionPolicy ?? ''],
  },
};
