// What Deployments, ReplicaSets, DaemonSets and Jobs share: reading their pod template, the
// checks of pkg/apis/apps/validation (ValidatePodTemplateSpecForReplicaSet, the selector rules,
// the int-or-percent fields PodDisruptionBudgets use too), and the Containers/Images/Selector cells
// of their tables.
import { forbidden, invalid, required, type FieldError } from '../../api/field-errors.js';
import { fromLabelSelectorObject, labelSelectorString, matchesLabels, validateLabelSelectorObject, type LabelSelectorObject } from '../../api/labels.js';
import { deepEqual, isObject, type KubeObject } from '../../api/meta.js';
import { isValidPercent } from '../../api/validation.js';
import { column } from '../columns.js';
import type { TableColumn } from '../resource.js';
import { goIntOrString, goLabelSelector, goStringMap } from './go-values.js';
import { validatePodTemplateSpec } from './pod/spec-validation.js';
import { field, specOf } from '../narrow.js';

export type Obj = Record<string, unknown>;

/** The object at `o[key]`, created when missing (for defaulting). */
export function child(o: Obj, key: string): Obj {
  if (!isObject(o[key])) o[key] = {};
  return o[key] as Obj;
}

/** `o[key]` when it is an object, else an empty one (for reading). */

export const templateOf = (o: KubeObject): Obj => field(specOf(o), 'template');
export const templateLabels = (o: KubeObject): Record<string, string> | undefined =>
  field(templateOf(o), 'metadata').labels as Record<string, string> | undefined;
export const selectorOf = (o: KubeObject): LabelSelectorObject | undefined => {
  const s = specOf(o).selector;
  return isObject(s) ? (s as LabelSelectorObject) : undefined;
};

/** An integer field, or undefined when absent or not a number. */
export const int = (o: Obj, key: string): number | undefined => (typeof o[key] === 'number' ? (o[key] as number) : undefined);

export const nonNegative = (value: number | undefined, path: string): FieldError[] =>
  value !== undefined && value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];

/** ValidateImmutableField, with the value printed the way Go prints it. */
export const immutable = (value: unknown, old: unknown, path: string, shown: unknown = value): FieldError[] =>
  deepEqual(value ?? null, old ?? null) ? [] : [invalid(path, shown, 'field is immutable')];

// ---- int-or-percent fields (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent) ----

/** An IntOrString's value: the percentage of a valid percent string, else the integer (0 for other strings). */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && isValidPercent(v).length === 0) return Number(v.slice(0, -1));
  return 0;
}

/** ValidatePositiveIntOrPercent. */
export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((msg) => invalid(path, goIntOrString(v), msg));
  if (typeof v === 'number') return nonNegative(v, path);
  return [invalid(path, goIntOrString(v), "must be an integer or percentage (e.g '5%%')")];
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'string' || isValidPercent(v).length || intOrPercentValue(v) <= 100) return [];
  return [invalid(path, goIntOrString(v), 'must not be greater than 100%')];
}

// ---- selectors ----

type Parsed = { ok: true; sel: ReturnType<typeof fromLabelSelectorObject> } | { ok: false };

/** LabelSelectorAsSelector: null selects nothing, [] everything; ok=false when it does not parse. */
export function parseSelector(sel: LabelSelectorObject | undefined): Parsed {
  try {
    return { ok: true, sel: fromLabelSelectorObject(sel) };
  } catch {
    return { ok: false };
  }
}

/** The selector's string form as `kubectl get -o wide` prints a Deployment's (selector.String()). */
export function selectorString(sel: LabelSelectorObject | undefined): string {
  const p = parseSelector(sel);
  if (!p.ok) return '<invalid>';
  return p.sel ? labelSelectorString(p.sel) : '';
}

/**
 * The selector of a Deployment or ReplicaSet: required, valid, not empty. (ReplicaSets say
 * "deployment" in the message too, as upstream does.)
 */
export function validateControllerSelector(sel: LabelSelectorObject | undefined, path: string): FieldError[] {
  if (!sel) return [required(path)];
  const errs = validateLabelSelectorObject(sel, path);
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    errs.push(invalid(path, goLabelSelector(sel), 'empty selector is invalid for deployment'));
  }
  return errs;
}

/** Whether the selector selects these labels (a null selector selects nothing); undefined when it does not parse. */
export function selectorSelects(sel: LabelSelectorObject | undefined, labels: Record<string, string> | undefined): boolean | undefined {
  const p = parseSelector(sel);
  return p.ok ? !!p.sel && matchesLabels(p.sel, labels) : undefined;
}

/** The template labels must be selected by the selector (nothing to say when it does not parse). */
export function selectorMatchesTemplate(sel: LabelSelectorObject | undefined, labels: Record<string, string> | undefined, path: string): FieldError[] {
  return selectorSelects(sel, labels) === false ? [invalid(path, goStringMap(labels), '`selector` does not match template `labels`')] : [];
}

/**
 * ValidateDeploymentSpec/ValidateReplicaSetSpec's selector and template part: the selector checks,
 * then ValidatePodTemplateSpecForReplicaSet (labels match, the pod template, restartPolicy Always,
 * no activeDeadlineSeconds).
 */
export function validateReplicatedTemplate(o: KubeObject): FieldError[] {
  const sel = selectorOf(o);
  const errs = validateControllerSelector(sel, 'spec.selector');
  const parsed = parseSelector(sel);
  if (!parsed.ok) return [...errs, invalid('spec.selector', goLabelSelector(sel), 'invalid label selector')];
  errs.push(...selectorMatchesTemplate(sel, templateLabels(o), 'spec.template.metadata.labels'));
  const template = specOf(o).template;
  errs.push(...validatePodTemplateSpec(template ?? {}, 'spec.template', { restartPolicies: ['Always'] }));
  const podSpec = field(template, 'spec');
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

// ---- table cells ----

/** layoutContainerCells: container names and images, each joined with ",". */
export const containerCells = (o: KubeObject): [string, string] => templateContainerCells(templateOf(o));

/** layoutContainerCells of a pod template. */
export function templateContainerCells(template: Obj): [string, string] {
  const containers = field(template, 'spec').containers;
  const list = Array.isArray(containers) ? containers.filter(isObject) : [];
  return [list.map((c) => String(c.name ?? '')).join(','), list.map((c) => String(c.image ?? '')).join(',')];
}

export const containersColumn = column('Containers', 'Names of each container in the template.', { priority: 1 });
export const imagesColumn = column('Images', 'Images referenced by each container in the template.', { priority: 1 });
export const selectorColumn = (description: string): TableColumn => column('Selector', description, { priority: 1 });
