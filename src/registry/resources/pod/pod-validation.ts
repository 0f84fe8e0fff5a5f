// ValidatePodCreate and ValidatePodUpdate: the PodSpec checks plus what only a Pod must satisfy,
// and the fields an update may change (the rest is a Forbidden error with go-cmp's diff).
import { forbidden, invalid, required, type FieldError } from '../../../api/field-errors.js';
import { deepEqual, type KubeObject } from '../../../api/meta.js';
import { MIRROR_POD_ANNOTATION } from '../../../api/well-known.js';
import { cmpDiff } from './cmp-diff.js';
import { goEqual, goPodSpec } from './go-pod-spec.js';
import { validateTolerations } from './scheduling-validation.js';
import { validatePodSpec, validatePodSpecificAnnotations } from './spec-validation.js';
import { list, obj, str } from '../../narrow.js';

function validatePodOnly(o: KubeObject): FieldError[] {
  const spec = obj(o.spec) ?? {};
  const errs: FieldError[] = [];
  errs.push(...validatePodSpecificAnnotations(o.metadata.annotations, spec, 'metadata.annotations'));
  errs.push(...validatePodSpec(spec, 'spec', { resourceIsPod: true, podMeta: o.metadata }));
  if (!str(spec.serviceAccountName)) {
    list(spec.volumes).forEach((v, vi) => {
      list(obj(obj(v)?.projected)?.sources).forEach((s, si) => {
        if (obj(s)?.serviceAccountToken !== undefined) {
          errs.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const key of ['containers', 'initContainers']) {
    list(spec[key]).forEach((c, i) => {
      const image = str(obj(c)?.image);
      if (image.trim() !== image) errs.push(invalid(`spec.${key}[${i}].image`, image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

/** ValidatePodCreate. */
export function validatePodCreate(o: KubeObject): FieldError[] {
  const spec = obj(o.spec) ?? {};
  const errs = validatePodOnly(o);
  if (list(spec.ephemeralContainers).length) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && list(spec.schedulingGates).length) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

const UPDATABLE_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validateContainerUpdates(next: unknown, prev: unknown, path: string): { errs: FieldError[]; stop: boolean } {
  const a = list(next);
  if (a.length !== list(prev).length) return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  a.forEach((c, i) => {
    const image = str(obj(c)?.image);
    if (!image) errs.push(required(`${path}[${i}].image`));
    if (image.trim() !== image) errs.push(invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function validateOnlyAddedTolerations(next: unknown, prev: unknown, path: string): FieldError[] {
  const news = list(next);
  for (const old of list(prev)) {
    const found = news.some((n) => deepEqual({ ...(obj(old) ?? {}), tolerationSeconds: obj(n)?.tolerationSeconds }, n));
    if (!found) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, path);
}

function validateOnlyDeletedSchedulingGates(next: unknown, prev: unknown, path: string): FieldError[] {
  const olds = new Set(list(prev).map((g) => str(obj(g)?.name)));
  const errs: FieldError[] = [];
  const added = new Map<string, number>();
  list(next).forEach((g, i) => added.set(str(obj(g)?.name), i));
  for (const [gate, i] of added) {
    if (!olds.has(gate)) errs.push(forbidden(`${path}[${i}].name`, `only deletion is allowed, but found new scheduling gate '${gate}'`));
  }
  return errs;
}

/** ValidatePodUpdate (the metadata part runs in the store). */
export function validatePodUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePodOnly(o);
  const annotations = o.metadata.annotations ?? {};
  const oldAnnotations = old.metadata.annotations ?? {};
  if (Object.hasOwn(oldAnnotations, MIRROR_POD_ANNOTATION) && annotations[MIRROR_POD_ANNOTATION] !== oldAnnotations[MIRROR_POD_ANNOTATION]) {
    errs.push(forbidden(`metadata.annotations[${MIRROR_POD_ANNOTATION}]`, 'may not remove or update mirror pod annotation'));
  }
  if (!Object.hasOwn(oldAnnotations, MIRROR_POD_ANNOTATION) && Object.hasOwn(annotations, MIRROR_POD_ANNOTATION)) {
    errs.push(forbidden(`metadata.annotations[${MIRROR_POD_ANNOTATION}]`, 'may not add mirror pod annotation'));
  }

  const spec = obj(o.spec) ?? {};
  const oldSpec = obj(old.spec) ?? {};
  for (const key of ['containers', 'initContainers']) {
    const r = validateContainerUpdates(spec[key], oldSpec[key], `spec.${key}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number') {
    if (deadline < 0 || deadline > 2147483647) return [...errs, invalid('spec.activeDeadlineSeconds', deadline, 'must be between 0 and 2147483647, inclusive')];
    const before = oldSpec.activeDeadlineSeconds;
    if (typeof before === 'number' && before < deadline) return [...errs, invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value')];
  } else if (oldSpec.activeDeadlineSeconds !== undefined) {
    // A nil pointer prints as the string "null" (field.Error.ErrorBody).
    errs.push(invalid('spec.activeDeadlineSeconds', 'null', 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, 'spec.tolerations'));
  errs.push(...validateOnlyDeletedSchedulingGates(spec.schedulingGates, oldSpec.schedulingGates, 'spec.schedulingGates'));

  const oldGo = goPodSpec(oldSpec);
  if (goEqual(goPodSpec(spec), oldGo)) return errs;
  const munged = structuredClone(spec);
  for (const key of ['containers', 'initContainers']) {
    list(munged[key]).forEach((c, i) => {
      const mc = obj(c);
      if (!mc) return;
      const before = obj(list(oldSpec[key])[i])?.image;
      if (before === undefined) delete mc.image;
      else mc.image = before;
    });
  }
  for (const key of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations']) {
    if (oldSpec[key] === undefined) delete munged[key];
    else munged[key] = structuredClone(oldSpec[key]);
  }
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (list(oldSpec.schedulingGates).length && !deepEqual(munged.nodeSelector ?? {}, oldSpec.nodeSelector ?? {})) {
    const before = obj(oldSpec.nodeSelector) ?? {};
    const after = obj(munged.nodeSelector) ?? {};
    if (Object.entries(before).some(([k, v]) => after[k] !== v)) {
      errs.push(invalid('spec.nodeSelector', after, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
    }
    if (oldSpec.nodeSelector === undefined) delete munged.nodeSelector;
    else munged.nodeSelector = structuredClone(oldSpec.nodeSelector);
  }
  const mungedGo = goPodSpec(munged);
  if (!goEqual(mungedGo, oldGo)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_FIELDS.join(',')}\n${cmpDiff(oldGo, mungedGo)}`));
  }
  return errs;
}
