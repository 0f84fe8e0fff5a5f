// batch/v1 Job: pods that run until a number of them succeed. Facts from
// pkg/apis/batch/v1/defaults.go, pkg/apis/batch/validation, pkg/registry/batch/job/strategy.go and
// printJob.
import { goQuoteList } from '../../api/go-quote.js';
import { duplicate, invalid, notSupported, required, tooLong, tooMany, type FieldError } from '../../api/field-errors.js';
import { formatLabelSelector, validateLabelSelectorObject } from '../../api/labels.js';
import { deepEqual, isObject, type KubeObject } from '../../api/meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, regexError } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { job } from '../schemas/batch.js';
import { goLabelSelector, goPtr, goStringMap, goValue, invalidOmitValue } from './go-values.js';
import { defaultPodTemplateSpec } from './pod/spec-defaults.js';
import { validatePodTemplateSpec } from './pod/spec-validation.js';
import { child, containerCells, containersColumn, imagesColumn, immutable, int, nonNegative, type Obj, parseSelector, selectorColumn, selectorMatchesTemplate, selectorOf, selectorSelects, templateLabels, templateOf } from './workloads.js';
import { age, humanDuration } from '../../api/duration.js';
import { field, specOf, statusOf } from '../narrow.js';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

const INDEXED = 'Indexed';
const NON_INDEXED = 'NonIndexed';
const MAX_INT32 = 2147483647;
const MAX_PARALLELISM_INDEXED = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000;
const MAX_POLICY_RULES = 20;
const MAX_EXIT_CODES = 255;
const MAX_CONDITION_PATTERNS = 20;
const MAX_MANAGED_BY = 63;
const MAX_SUCCEEDED_INDEXES = 64 * 1024;
const POLICY_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const EXIT_CODE_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];

const str = (o: Obj, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
const isSet = (v: unknown): boolean => v !== undefined && v !== null;
const goInt32Slice = (list: number[]): unknown => goValue({ values: list }, `[]int32{${list.join(', ')}}`);

// ---- defaults (SetDefaults_Job) ----

function defaults(o: KubeObject): void {
  const spec = child(o, 'spec');
  if (!isSet(spec.completions) && !isSet(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= isSet(spec.backoffLimitPerIndex) ? MAX_INT32 : 6;
  const labels = templateLabels(o);
  if (labels && Object.keys(o.metadata.labels ?? {}).length === 0) o.metadata.labels = { ...labels };
  spec.completionMode ??= NON_INDEXED;
  spec.suspend ??= false;
  for (const rule of policyRules(spec)) {
    for (const pattern of Array.isArray(rule.onPodConditions) ? rule.onPodConditions.filter(isObject) : []) pattern.status ||= 'True';
  }
  spec.podReplacementPolicy ??= isSet(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodTemplateSpec(child(spec, 'template'));
}

const policyRules = (spec: Obj): Obj[] => {
  const rules = field(spec, 'podFailurePolicy').rules;
  return Array.isArray(rules) ? rules.filter(isObject) : [];
};

/**
 * generateSelector: unless manualSelector, the template gets the job-name and controller-uid labels
 * (legacy and prefixed) and the selector matches the prefixed controller-uid. A Job whose labels
 * were defaulted from the template shows the generated labels too (Go shares the map).
 */
export function generateSelector(o: KubeObject): void {
  const spec = child(o, 'spec');
  if (spec.manualSelector === true) return;
  const meta = child(child(spec, 'template'), 'metadata');
  const before = (meta.labels ?? {}) as Record<string, string>;
  const labels = { ...before };
  const name = o.metadata.name ?? '';
  const uid = o.metadata.uid ?? '';
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!Object.hasOwn(labels, key)) labels[key] = name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!Object.hasOwn(labels, key)) labels[key] = uid;
  meta.labels = labels;
  const matchLabels = child(child(spec, 'selector'), 'matchLabels') as Record<string, string>;
  if (!Object.hasOwn(matchLabels, CONTROLLER_UID_LABEL)) matchLabels[CONTROLLER_UID_LABEL] = uid;
  const own = o.metadata.labels ?? {};
  if (Object.keys(own).length === 0 || deepEqual(own, before)) o.metadata.labels = { ...labels };
}

// ---- validation (pkg/apis/batch/validation) ----

/** ValidateHasLabel. */
function hasLabel(labels: Record<string, string> | undefined, key: string, expected: string): FieldError[] {
  const path = `spec.template.metadata.labels[${key}]`;
  if (!labels || !Object.hasOwn(labels, key)) return [required(path, `must be '${expected}'`)];
  return labels[key] === expected ? [] : [invalid(path, goStringMap(labels), `must be '${expected}'`)];
}

/** validateGeneratedSelector. */
function validateGeneratedSelector(o: KubeObject, prefixedLabels: boolean): FieldError[] {
  const spec = specOf(o);
  if (spec.manualSelector === true || !selectorOf(o)) return [];
  const uid = o.metadata.uid ?? '';
  const name = o.metadata.name ?? '';
  const errs: FieldError[] = uid ? [] : [required('metadata.uid')];
  const labels = templateLabels(o);
  errs.push(...hasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid), ...hasLabel(labels, LEGACY_JOB_NAME_LABEL, name));
  const expected: Record<string, string> = {};
  if (prefixedLabels) {
    errs.push(...hasLabel(labels, CONTROLLER_UID_LABEL, uid), ...hasLabel(labels, JOB_NAME_LABEL, name));
    expected[CONTROLLER_UID_LABEL] = uid;
    expected[JOB_NAME_LABEL] = name;
  }
  expected[LEGACY_CONTROLLER_UID_LABEL] = uid;
  expected[LEGACY_JOB_NAME_LABEL] = name;
  if (selectorSelects(selectorOf(o), expected) === false) {
    errs.push(invalid('spec.selector', goLabelSelector(selectorOf(o)), '`selector` not auto-generated'));
  }
  return errs;
}

/** IsDomainPrefixedPath. */
function domainPrefixedPath(value: string, path: string): FieldError[] {
  if (!value) return [required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? '' : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (!host || !rest) return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((msg) => invalid(path, host, msg));
  const httpPath = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
  if (!new RegExp(`^(?:${httpPath})$`).test(rest)) errs.push(invalid(path, rest, regexError('Invalid path', httpPath)));
  return errs;
}

/** parseIndexInterval: [first, last] or an error message. */
function parseInterval(s: string, completions: number): [number, number] | string {
  const parts = s.split('-');
  if (parts.length > 2) return `the fragment ${JSON.stringify(s)} violates the requirement that an index interval can have at most two parts separated by '-'`;
  const nums: number[] = [];
  for (const p of parts) {
    if (!/^[+-]?\d+$/.test(p)) return `cannot convert string to integer for index: ${JSON.stringify(p)}`;
    const n = Number(p);
    if (n >= completions) return `too large index: ${JSON.stringify(p)}`;
    nums.push(n);
  }
  if (nums.length === 2 && nums[0]! >= nums[1]!) return `non-increasing order, previous: ${nums[0]}, current: ${nums[1]}`;
  return [nums[0]!, nums[nums.length - 1]!];
}

/** validateIndexesFormat: how many indexes, or an error message. */
function indexesCount(s: string, completions: number): number | string {
  if (!s) return 0;
  let last: number | undefined;
  let total = 0;
  for (const part of s.split(',')) {
    const r = parseInterval(part, completions);
    if (typeof r === 'string') return r;
    if (last !== undefined && last >= r[0]) return `non-increasing order, previous: ${last}, current: ${r[0]}`;
    total += r[1] - r[0] + 1;
    last = r[1];
  }
  return total;
}

function validatePodFailurePolicy(spec: Obj, path: string): FieldError[] {
  const rules = policyRules(spec);
  const errs: FieldError[] = rules.length > MAX_POLICY_RULES ? [tooMany(`${path}.rules`, rules.length, MAX_POLICY_RULES)] : [];
  const podSpec = field(spec.template, 'spec');
  const names = new Set(
    ['containers', 'initContainers'].flatMap((k) => (Array.isArray(podSpec[k]) ? (podSpec[k] as unknown[]).filter(isObject).map((c) => String(c.name ?? '')) : [])),
  );
  rules.forEach((rule, i) => {
    const p = `${path}.rules[${i}]`;
    const action = str(rule, 'action') ?? '';
    if (!action) errs.push(required(`${p}.action`, `valid values: ${goQuoteList(POLICY_ACTIONS)}`));
    else if (action === 'FailIndex') {
      if (!isSet(spec.backoffLimitPerIndex)) errs.push(invalid(`${p}.action`, action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!POLICY_ACTIONS.includes(action)) errs.push(notSupported(`${p}.action`, action, POLICY_ACTIONS));
    const onExit = isObject(rule.onExitCodes) ? rule.onExitCodes : undefined;
    const onConditions = Array.isArray(rule.onPodConditions) ? rule.onPodConditions.filter(isObject) : [];
    if (onExit) {
      const ep = `${p}.onExitCodes`;
      const op = str(onExit, 'operator') ?? '';
      if (!op) errs.push(required(`${ep}.operator`, `valid values: ${goQuoteList(EXIT_CODE_OPERATORS)}`));
      else if (!EXIT_CODE_OPERATORS.includes(op)) errs.push(notSupported(`${ep}.operator`, op, EXIT_CODE_OPERATORS));
      const container = str(onExit, 'containerName');
      if (container !== undefined && !names.has(container)) {
        errs.push(invalid(`${ep}.containerName`, container, 'must be one of the container or initContainer names in the pod template'));
      }
      const values = Array.isArray(onExit.values) ? (onExit.values as number[]) : [];
      if (values.length === 0) errs.push(invalid(`${ep}.values`, goInt32Slice(values), 'at least one value is required'));
      else if (values.length > MAX_EXIT_CODES) errs.push(tooMany(`${ep}.values`, values.length, MAX_EXIT_CODES));
      const seen = new Set<number>();
      let ordered = true;
      values.forEach((v, j) => {
        if (op === 'In' && v === 0) errs.push(invalid(`${ep}.values[${j}]`, v, 'must not be 0 for the In operator'));
        if (seen.has(v)) errs.push(duplicate(`${ep}.values[${j}]`, v));
        else seen.add(v);
        if (j > 0 && values[j - 1]! > v) ordered = false;
      });
      if (!ordered) errs.push(invalid(`${ep}.values`, goInt32Slice(values), 'must be ordered'));
    }
    if (onConditions.length > MAX_CONDITION_PATTERNS) errs.push(tooMany(`${p}.onPodConditions`, onConditions.length, MAX_CONDITION_PATTERNS));
    onConditions.forEach((pattern, j) => {
      const pp = `${p}.onPodConditions[${j}]`;
      const type = str(pattern, 'type') ?? '';
      for (const msg of isQualifiedName(type)) errs.push(invalid(`${pp}.type`, type, msg));
      const status = str(pattern, 'status') ?? '';
      if (!status) errs.push(required(`${pp}.status`, `valid values: ${goQuoteList(CONDITION_STATUSES)}`));
      else if (!CONDITION_STATUSES.includes(status)) errs.push(notSupported(`${pp}.status`, status, CONDITION_STATUSES));
    });
    if (onExit && onConditions.length) errs.push(invalidOmitValue(p, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!onExit && !onConditions.length) errs.push(invalidOmitValue(p, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
  return errs;
}

function validateSuccessPolicy(spec: Obj, path: string): FieldError[] {
  const policy = field(spec, 'successPolicy');
  const rules = Array.isArray(policy.rules) ? policy.rules.filter(isObject) : [];
  const errs: FieldError[] = [];
  if (rules.length === 0) errs.push(required(`${path}.rules`, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > 20) errs.push(tooMany(`${path}.rules`, rules.length, 20));
  const completions = int(spec, 'completions') ?? 0;
  rules.forEach((rule, i) => {
    const p = `${path}.rules[${i}]`;
    const indexes = str(rule, 'succeededIndexes');
    const count = int(rule, 'succeededCount');
    if (indexes === undefined && count === undefined) errs.push(required(p, 'at least one of succeededCount or succeededIndexes must be specified'));
    let total = 0;
    if (indexes !== undefined) {
      if (Buffer.byteLength(indexes) > MAX_SUCCEEDED_INDEXES) errs.push(tooLong(`${p}.succeededIndexes`, MAX_SUCCEEDED_INDEXES));
      const r = indexesCount(indexes, completions);
      if (typeof r === 'string') errs.push(invalid(`${p}.succeededIndexes`, indexes, `error parsing succeededIndexes: ${r}`));
      else total = r;
    }
    if (count !== undefined) {
      const cp = `${p}.succeededCount`;
      errs.push(...nonNegative(count, cp));
      if (count > completions) errs.push(invalid(cp, count, `must be less than or equal to ${completions} (the number of specified completions)`));
      if (indexes !== undefined && count > total) errs.push(invalid(cp, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
    }
  });
  return errs;
}

/** validateJobSpec: everything but the selector. */
export function validateJobSpecFields(spec: Obj, at = 'spec'): FieldError[] {
  const parallelism = int(spec, 'parallelism');
  const completions = int(spec, 'completions');
  const perIndex = int(spec, 'backoffLimitPerIndex');
  const maxFailed = int(spec, 'maxFailedIndexes');
  const errs = [
    ...nonNegative(parallelism, `${at}.parallelism`),
    ...nonNegative(completions, `${at}.completions`),
    ...nonNegative(int(spec, 'activeDeadlineSeconds'), `${at}.activeDeadlineSeconds`),
    ...nonNegative(int(spec, 'backoffLimit'), `${at}.backoffLimit`),
    ...nonNegative(int(spec, 'ttlSecondsAfterFinished'), `${at}.ttlSecondsAfterFinished`),
    ...nonNegative(perIndex, `${at}.backoffLimitPerIndex`),
  ];
  if (maxFailed !== undefined) {
    errs.push(...nonNegative(maxFailed, `${at}.maxFailedIndexes`));
    if (perIndex === undefined) errs.push(required(`${at}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  const managedBy = str(spec, 'managedBy');
  if (managedBy !== undefined) {
    errs.push(...domainPrefixedPath(managedBy, `${at}.managedBy`));
    if (Buffer.byteLength(managedBy) > MAX_MANAGED_BY) errs.push(tooLong(`${at}.managedBy`, MAX_MANAGED_BY));
  }
  const mode = str(spec, 'completionMode');
  if (mode !== undefined) {
    if (mode !== NON_INDEXED && mode !== INDEXED) errs.push(notSupported(`${at}.completionMode`, mode, [NON_INDEXED, INDEXED]));
    if (mode === INDEXED) {
      if (completions === undefined) errs.push(required(`${at}.completions`, `when completion mode is ${INDEXED}`));
      if (parallelism !== undefined && parallelism > MAX_PARALLELISM_INDEXED) {
        errs.push(invalid(`${at}.parallelism`, parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is ${INDEXED}`));
      }
      if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) {
        errs.push(invalid(`${at}.maxFailedIndexes`, maxFailed, 'must be less than or equal to completions'));
      }
      if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES) {
        errs.push(invalid(`${at}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
      }
      if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && perIndex !== undefined) {
        const why = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
        if (maxFailed === undefined) errs.push(required(`${at}.maxFailedIndexes`, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
        if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
          errs.push(invalid(`${at}.parallelism`, parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} ${why}`));
        }
        if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS) {
          errs.push(invalid(`${at}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES_HIGH_COMPLETIONS} ${why}`));
        }
      }
    }
  }
  if (mode === undefined || mode === NON_INDEXED) {
    if (perIndex !== undefined) errs.push(invalid(`${at}.backoffLimitPerIndex`, perIndex, 'requires indexed completion mode'));
    if (maxFailed !== undefined) errs.push(invalid(`${at}.maxFailedIndexes`, maxFailed, 'requires indexed completion mode'));
  }
  const hasFailurePolicy = isSet(spec.podFailurePolicy);
  if (hasFailurePolicy) errs.push(...validatePodFailurePolicy(spec, `${at}.podFailurePolicy`));
  if (isSet(spec.successPolicy)) {
    if (mode !== INDEXED) errs.push(invalid(`${at}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, `${at}.successPolicy`));
  }
  const replacement = str(spec, 'podReplacementPolicy');
  if (replacement !== undefined) {
    if (hasFailurePolicy && replacement !== 'Failed') errs.push(notSupported(`${at}.podReplacementPolicy`, replacement, ['Failed']));
    else if (!hasFailurePolicy && !REPLACEMENT_POLICIES.includes(replacement)) errs.push(notSupported(`${at}.podReplacementPolicy`, replacement, REPLACEMENT_POLICIES));
  }
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, `${at}.template`));
  // The pod defaults turn an unset restartPolicy into Always, so both mean "not set" here.
  const restartPolicy = str(field(spec.template, 'spec'), 'restartPolicy') ?? '';
  const path = `${at}.template.spec.restartPolicy`;
  if (restartPolicy === 'Always' || restartPolicy === '') errs.push(required(path, 'valid values: "OnFailure", "Never"'));
  else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') errs.push(notSupported(path, restartPolicy, ['OnFailure', 'Never']));
  else if (hasFailurePolicy && restartPolicy !== 'Never') errs.push(invalid(path, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

/** ValidateJobSpec: the fields, the selector, and the selector against the template labels. */
function validateJobSpec(o: KubeObject, allowInvalidLabelValue: boolean): FieldError[] {
  const errs = validateJobSpecFields(specOf(o));
  const sel = selectorOf(o);
  if (!sel) errs.push(required('spec.selector'));
  else errs.push(...validateLabelSelectorObject(sel, 'spec.selector', { allowInvalidLabelValueInSelector: allowInvalidLabelValue }));
  if (parseSelector(sel).ok) errs.push(...selectorMatchesTemplate(sel, templateLabels(o), 'spec.template.metadata.labels'));
  return errs;
}

interface Options {
  prefixedLabels: boolean;
  allowInvalidLabelValue: boolean;
}

/** ValidateJob. */
function validateJob(o: KubeObject, opts: Options): FieldError[] {
  const errs = [...validateGeneratedSelector(o, opts.prefixedLabels), ...validateJobSpec(o, opts.allowInvalidLabelValue)];
  const spec = specOf(o);
  const completions = int(spec, 'completions');
  if (str(spec, 'completionMode') === INDEXED && completions !== undefined && completions > 0) {
    const host = `${o.metadata.name ?? ''}-${completions - 1}`;
    if (isDNS1123Label(host).length) errs.push(invalid('metadata.name', o.metadata.name ?? '', `will not able to create pod with invalid DNS label: ${host}`));
  }
  return errs;
}

/** validatePodTemplateUpdate: the template is immutable, but a suspended Job that never started may change where its pods go. */
function validateTemplateUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const template = templateOf(o);
  let oldTemplate: Obj = templateOf(old);
  const suspended = specOf(old).suspend === true;
  if (suspended && !isSet(statusOf(old).startTime)) {
    oldTemplate = structuredClone(oldTemplate);
    const podSpec = field(template, 'spec');
    const oldSpec = child(oldTemplate, 'spec');
    const nodeAffinity = field(podSpec, 'affinity').nodeAffinity;
    if (!isSet(podSpec.affinity) && isObject(oldSpec.affinity)) {
      delete oldSpec.affinity.nodeAffinity;
      if (Object.keys(oldSpec.affinity).length === 0) delete oldSpec.affinity;
    } else if (isSet(podSpec.affinity)) {
      oldSpec.affinity = { ...field(oldSpec, 'affinity'), nodeAffinity };
    }
    for (const key of ['nodeSelector', 'tolerations', 'schedulingGates']) oldSpec[key] = podSpec[key];
    const oldMeta = child(oldTemplate, 'metadata');
    const meta = field(template, 'metadata');
    oldMeta.annotations = meta.annotations;
    oldMeta.labels = meta.labels;
  }
  return immutable(template, oldTemplate, 'spec.template');
}

/** validateCompletions: immutable, except that an Indexed Job may change it together with parallelism. */
function validateCompletions(spec: Obj, oldSpec: Obj): FieldError[] {
  const completions = int(spec, 'completions');
  const shown = goPtr(spec.completions);
  if (str(spec, 'completionMode') !== INDEXED) return immutable(spec.completions, oldSpec.completions, 'spec.completions', shown);
  if (deepEqual(spec.completions ?? null, oldSpec.completions ?? null) || completions === undefined) return [];
  return completions !== int(spec, 'parallelism') ? [invalid('spec.completions', completions, 'can only be modified in tandem with spec.parallelism')] : [];
}

/** ValidateJobSpecUpdate. */
function validateJobSpecUpdate(o: KubeObject, old: KubeObject, opts: Options): FieldError[] {
  const spec = specOf(o);
  const oldSpec = specOf(old);
  const same = (key: string, shown: unknown = spec[key]) => immutable(spec[key], oldSpec[key], `spec.${key}`, shown);
  return [
    ...validateJobSpec(o, opts.allowInvalidLabelValue),
    ...validateCompletions(spec, oldSpec),
    ...immutable(selectorOf(o), selectorOf(old), 'spec.selector', goLabelSelector(selectorOf(o))),
    ...validateTemplateUpdate(o, old),
    ...same('completionMode', goPtr(spec.completionMode)),
    ...same('podFailurePolicy', goPtr(spec.podFailurePolicy)),
    ...same('backoffLimitPerIndex', goPtr(spec.backoffLimitPerIndex)),
    ...same('managedBy', goPtr(spec.managedBy)),
    ...same('successPolicy'),
  ];
}

// ---- table (printJob) ----

function conditionTrue(o: KubeObject, type: string): boolean {
  const conditions = Array.isArray(statusOf(o).conditions) ? (statusOf(o).conditions as unknown[]).filter(isObject) : [];
  const c = conditions.find((x) => x.type === type);
  return c?.status === 'True';
}

export function jobStatusCell(o: KubeObject): string {
  if (conditionTrue(o, 'Complete')) return 'Complete';
  if (conditionTrue(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (conditionTrue(o, 'Suspended')) return 'Suspended';
  if (conditionTrue(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export function completionsCell(o: KubeObject): string {
  const spec = specOf(o);
  const succeeded = int(statusOf(o), 'succeeded') ?? 0;
  const completions = int(spec, 'completions');
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = int(spec, 'parallelism') ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function durationCell(o: KubeObject, now: Date): string {
  const status = statusOf(o);
  if (typeof status.startTime !== 'string') return '';
  const start = Date.parse(status.startTime);
  const end = typeof status.completionTime === 'string' ? Date.parse(status.completionTime) : now.getTime();
  return humanDuration(end - start);
}

function cells(o: KubeObject, now: Date): unknown[] {
  const [names, images] = containerCells(o);
  return [o.metadata.name, jobStatusCell(o), completionsCell(o), durationCell(o, now), age(o.metadata.creationTimestamp, now), names, images, formatLabelSelector(selectorOf(o))];
}

/** The update options validationOptionsForJob derives from the old Job. */
function updateOptions(old: KubeObject): Options {
  const labels = templateLabels(old) ?? {};
  const oldSel = selectorOf(old);
  const values = [...Object.values(oldSel?.matchLabels ?? {}), ...(oldSel?.matchExpressions ?? []).flatMap((e) => e.values ?? [])];
  const invalidValue = values.some((v) => isValidLabelValue(String(v)).length > 0);
  return { prefixedLabels: Object.hasOwn(labels, JOB_NAME_LABEL) && Object.hasOwn(labels, CONTROLLER_UID_LABEL), allowInvalidLabelValue: invalidValue };
}

export const jobs: ResourceDef = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  singular: 'job',
  categories: ['all'],
  namespaced: true,
  schema: job,
  hasStatus: true,
  hasGeneration: true,
  defaults,
  prepareForCreate(o) {
    o.status = {};
    generateSelector(o);
  },
  validate: (o) => validateJob(o, { prefixedLabels: true, allowInvalidLabelValue: false }),
  validateUpdate(o, old) {
    const opts = updateOptions(old);
    return [...validateJob(o, opts), ...validateJobSpecUpdate(o, old, opts)];
  },
  fields: { 'status.successful': (o) => String(int(statusOf(o), 'succeeded') ?? 0) },
  table: {
    columns: [
      nameColumn,
      column('Status', 'Status of the job.'),
      column('Completions', 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.'),
      column('Duration', 'Time required to complete the job.'),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn('A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
    ],
    cells,
  },
};
