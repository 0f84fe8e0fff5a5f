// Where a pod may run: tolerations, node and pod affinity, topology spread constraints.
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../api/field-errors.js';
import { validateLabelSelectorObject, type LabelSelectorObject } from '../../../api/labels.js';
import { isDNS1123Label, isValidLabelValue } from '../../../api/validation.js';
import { dns1123Subdomain, NOT_POSITIVE_MSG, qualifiedName } from './field-checks.js';
import { list, num, obj, type Obj, str } from '../../narrow.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];
const NODE_INCLUSION_POLICIES = ['Honor', 'Ignore'];

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(tolerations).forEach((raw, i) => {
    const t = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const key = str(t.key);
    const operator = str(t.operator);
    const effect = str(t.effect);
    const value = str(t.value);
    if (key) errs.push(...qualifiedName(key, `${idx}.key`));
    if (!key && operator !== 'Exists') {
      errs.push(invalid(`${idx}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && effect !== 'NoExecute') {
      errs.push(invalid(`${idx}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(invalid(`${idx}.operator`, value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value) errs.push(invalid(`${idx}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else errs.push(notSupported(`${idx}.operator`, operator, TOLERATION_OPERATORS));
    if (effect && !TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${idx}.effect`, effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateNodeSelectorTerm(term: Obj, path: string, allowInvalidValues: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list(term.matchExpressions).forEach((raw, j) => {
    const rq = obj(raw) ?? {};
    const p = `${path}.matchExpressions[${j}]`;
    const values = list(rq.values).map(str);
    switch (rq.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (values.length !== 1) errs.push(required(`${p}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, str(rq.operator), 'not a valid selector operator'));
    }
    errs.push(...qualifiedName(str(rq.key), `${p}.key`));
    if (!allowInvalidValues) values.forEach((v, k) => errs.push(...isValidLabelValue(v).map((m) => invalid(`${p}.values[${k}]`, v, m))));
  });
  list(term.matchFields).forEach((raw, j) => {
    const rq = obj(raw) ?? {};
    const p = `${path}.matchFields[${j}]`;
    if (rq.operator === 'In' || rq.operator === 'NotIn') {
      if (list(rq.values).length !== 1) errs.push(required(`${p}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    } else errs.push(invalid(`${p}.operator`, str(rq.operator), 'not a valid selector operator'));
    if (rq.key !== 'metadata.name') errs.push(invalid(`${p}.key`, str(rq.key), 'not a valid field selector key'));
    else list(rq.values).forEach((v, k) => errs.push(...dns1123Subdomain(str(v), `${p}.values[${k}]`)));
  });
  return errs;
}

function validatePodAffinityTerm(term: Obj, path: string): FieldError[] {
  const errs = [
    ...validateLabelSelectorObject(obj(term.labelSelector) as LabelSelectorObject | undefined, `${path}.labelSelector`),
    ...validateLabelSelectorObject(obj(term.namespaceSelector) as LabelSelectorObject | undefined, `${path}.namespaceSelector`),
  ];
  for (const ns of list(term.namespaces)) errs.push(...isDNS1123Label(str(ns)).map((m) => invalid(`${path}.namespace`, str(ns), m)));
  if (!str(term.topologyKey)) errs.push(required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...qualifiedName(str(term.topologyKey), `${path}.topologyKey`));
  return errs;
}

function validatePodAffinity(a: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
    errs.push(...validatePodAffinityTerm(obj(t) ?? {}, `${path}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`)),
  );
  list(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw, i) => {
    const w = obj(raw) ?? {};
    const p = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    const weight = num(w.weight) ?? 0;
    if (weight <= 0 || weight > 100) errs.push(invalid(`${p}.weight`, weight, 'must be in the range 1-100'));
    errs.push(...validatePodAffinityTerm(obj(w.podAffinityTerm) ?? {}, `${p}.podAffinityTerm`));
  });
  return errs;
}

/** ValidateNodeSelector (a pod's required node affinity, a PersistentVolume's nodeAffinity.required). */
export function validateNodeSelector(selector: Obj, path: string): FieldError[] {
  const termsPath = `${path}.nodeSelectorTerms`;
  const terms = list(selector.nodeSelectorTerms);
  if (!terms.length) return [required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(obj(t) ?? {}, `${termsPath}[${i}]`, false));
}

export function validateAffinity(affinity: unknown, path: string): FieldError[] {
  const a = obj(affinity);
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = obj(a.nodeAffinity);
  if (na) {
    const p = `${path}.nodeAffinity`;
    const req = obj(na.requiredDuringSchedulingIgnoredDuringExecution);
    if (req) errs.push(...validateNodeSelector(req, `${p}.requiredDuringSchedulingIgnoredDuringExecution`));
    list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw, i) => {
      const t = obj(raw) ?? {};
      const tp = `${p}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      const weight = num(t.weight) ?? 0;
      if (weight <= 0 || weight > 100) errs.push(invalid(`${tp}.weight`, weight, 'must be in the range 1-100'));
      errs.push(...validateNodeSelectorTerm(obj(t.preference) ?? {}, `${tp}.preference`, true));
    });
  }
  if (obj(a.podAffinity)) errs.push(...validatePodAffinity(obj(a.podAffinity)!, `${path}.podAffinity`));
  if (obj(a.podAntiAffinity)) errs.push(...validatePodAffinity(obj(a.podAntiAffinity)!, `${path}.podAntiAffinity`));
  return errs;
}

export function validateTopologySpread(constraints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const cs = list(constraints).map((c) => obj(c) ?? {});
  cs.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const maxSkew = num(c.maxSkew) ?? 0;
    if (maxSkew <= 0) errs.push(invalid(`${p}.maxSkew`, maxSkew, NOT_POSITIVE_MSG));
    if (!str(c.topologyKey)) errs.push(required(`${p}.topologyKey`, 'can not be empty'));
    const when = str(c.whenUnsatisfiable);
    if (!WHEN_UNSATISFIABLE.includes(when)) errs.push(notSupported(`${p}.whenUnsatisfiable`, when, WHEN_UNSATISFIABLE));
    if (cs.slice(i + 1).some((o) => str(o.topologyKey) === str(c.topologyKey) && str(o.whenUnsatisfiable) === when)) {
      errs.push(duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${str(c.topologyKey)}, ${when}}`));
    }
    if (c.minDomains !== undefined) {
      const min = num(c.minDomains) ?? 0;
      if (min <= 0) errs.push(invalid(`${p}.minDomains`, min, NOT_POSITIVE_MSG));
      if (when !== 'DoNotSchedule') errs.push(invalid(`${p}.minDomains`, min, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (c[f] !== undefined && !NODE_INCLUSION_POLICIES.includes(str(c[f]))) errs.push(notSupported(`${p}.${f}`, c[f], NODE_INCLUSION_POLICIES));
    }
    errs.push(...validateLabelSelectorObject(obj(c.labelSelector) as LabelSelectorObject | undefined, `${p}.labelSelector`));
  });
  return errs;
}
