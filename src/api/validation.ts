// Name, label and ObjectMeta validation with Kubernetes 1.32's exact messages.
// Facts from k8s.io/apimachinery pkg/util/validation/validation.go, pkg/api/validation/{generic,objectmeta}.go,
// pkg/api/validation/path/name.go, pkg/apis/meta/v1/validation, and the finalizer-name rule that
// k8s.io/kubernetes pkg/apis/core/validation adds for built-in types.

import { duplicate, forbidden, invalid, notSupported, required, tooLong, type FieldError } from './field-errors.js';
import { deepEqual, isObject, type ObjectMeta, type OwnerReference } from './meta.js';
import { utf8Length } from './utf8.js';

// ---- message builders (RegexError, MaxLenError, EmptyError, InclusiveRangeError) ----

export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  // Go appends "'ex', " per example joined by " or ", hence the double space ("'a',  or 'b'").
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

export const maxLenError = (length: number): string => `must be no more than ${length} characters`;
export const emptyError = (): string => 'must be non-empty';
export const inclusiveRangeError = (lo: number, hi: number): string => `must be between ${lo} and ${hi}, inclusive`;

const anchored = (fmt: string): RegExp => new RegExp(`^(?:${fmt})$`);

// ---- string format checks ----

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameRe = anchored(qualifiedNameFmt);

export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (utf8Length(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qualifiedNameRe.test(name)) errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueRe = anchored(labelValueFmt);

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123LabelRe = anchored(dns1123LabelFmt);
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainRe = anchored(dns1123SubdomainFmt);

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a valid label (length already checked) must contain dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const dns1035LabelRe = anchored(dns1035LabelFmt);

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const cIdentifierRe = anchored(cIdentifierFmt);
const cIdentifierErrMsg =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";

export function isCIdentifier(value: string): string[] {
  return cIdentifierRe.test(value) ? [] : [regexError(cIdentifierErrMsg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (utf8Length(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

const percentFmt = '[0-9]+%';
const percentRe = anchored(percentFmt);

export function isValidPercent(percent: string): string[] {
  const msg = "a valid percent string must be a numeric string followed by an ending '%'";
  return percentRe.test(percent) ? [] : [regexError(msg, percentFmt, '1%', '93%')];
}

const httpHeaderNameFmt = '[-A-Za-z0-9]+';
const httpHeaderNameRe = anchored(httpHeaderNameFmt);

export function isHTTPHeaderName(value: string): string[] {
  const msg = "a valid HTTP header must consist of alphanumeric characters or '-'";
  return httpHeaderNameRe.test(value) ? [] : [regexError(msg, httpHeaderNameFmt, 'X-Header-Name')];
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameRe = anchored(envVarNameFmt);

export function isEnvVarName(value: string): string[] {
  const msg = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
  const errs = envVarNameRe.test(value) ? [] : [regexError(msg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1')];
  return [...errs, ...hasChDirPrefix(value)];
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyRe = anchored(configMapKeyFmt);

export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > 253) errs.push(maxLenError(253));
  const msg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
  if (!configMapKeyRe.test(value)) errs.push(regexError(msg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  return [...errs, ...hasChDirPrefix(value)];
}

// ---- object names ----

/** Which ValidateNameFunc a resource uses: NameIsDNSSubdomain, NameIsDNSLabel, NameIsDNS1035Label, ValidatePathSegmentName. */
export type NameRule = 'subdomain' | 'label' | 'dns1035-label' | 'path-segment';

/** A generateName prefix may end in '-': Go replaces the last two characters with "a" before checking. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export function validateName(name: string, rule: NameRule, prefix: boolean): string[] {
  switch (rule) {
    case 'subdomain':
      return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
    case 'label':
      return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
    case 'dns1035-label':
      return isDNS1035Label(prefix ? maskTrailingDash(name) : name);
    case 'path-segment': {
      if (!prefix && (name === '.' || name === '..')) return [`may not be '${name}'`];
      return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
    }
  }
}

// ---- generic field checks ----

export function validateImmutableField(newVal: unknown, oldVal: unknown, path: string): FieldError[] {
  return deepEqual(newVal, oldVal) ? [] : [invalid(path, newVal, 'field is immutable')];
}

export function validateNonnegative(value: number, path: string): FieldError[] {
  return value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
}

const conditionReasonFmt = '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?';
const conditionReasonRe = anchored(conditionReasonFmt);
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];

/** metav1validation.ValidateConditions: a list of metav1.Conditions, one per type. */
export function validateConditions(conditions: readonly Record<string, unknown>[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  conditions.forEach((c, i) => {
    const at = `${path}[${i}]`;
    const type = typeof c.type === 'string' ? c.type : '';
    const reason = typeof c.reason === 'string' ? c.reason : '';
    if (seen.has(type)) errs.push(duplicate(`${at}.type`, type));
    seen.add(type);
    for (const msg of isQualifiedName(type)) errs.push(invalid(`${at}.type`, type, msg));
    if (!CONDITION_STATUSES.includes(String(c.status ?? ''))) errs.push(notSupported(`${at}.status`, c.status ?? '', CONDITION_STATUSES));
    if (typeof c.observedGeneration === 'number' && c.observedGeneration < 0) errs.push(invalid(`${at}.observedGeneration`, c.observedGeneration, 'must be greater than or equal to zero'));
    if (!c.lastTransitionTime) errs.push(required(`${at}.lastTransitionTime`, 'must be set'));
    if (!reason) errs.push(required(`${at}.reason`, 'must be set'));
    else {
      if (!conditionReasonRe.test(reason)) {
        const msg = "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'";
        errs.push(invalid(`${at}.reason`, reason, regexError(msg, conditionReasonFmt, 'my_name', 'MY_NAME', 'MyName', 'ReasonA,ReasonB', 'ReasonA:ReasonB')));
      }
      if (reason.length > 1024) errs.push(tooLong(`${at}.reason`, 1024));
    }
    if (typeof c.message === 'string' && utf8Length(c.message) > 32 * 1024) errs.push(tooLong(`${at}.message`, 32 * 1024));
  });
  return errs;
}

/** metav1validation.ValidateLabels: keys are qualified names, values label values; errors name the map, not the key. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(path, k, msg));
    for (const msg of isValidLabelValue(String(v))) errs.push(invalid(path, v, msg));
  }
  return errs;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    // A qualified name, except that case does not matter.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    total += utf8Length(k) + utf8Length(String(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** schema.ParseGroupVersion's version part; '' when the string does not parse. */
function versionOf(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return { group: '', version: '' };
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const kind = ref.kind ?? '';
    const gv = versionOf(apiVersion);
    if (!gv.version) errs.push(invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!kind) errs.push(invalid(`${path}.kind`, kind, 'must not be empty'));
    if (!ref.name) errs.push(invalid(`${path}.name`, ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(invalid(`${path}.uid`, ref.uid ?? '', 'must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && kind === 'Event') {
      errs.push(invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const name = `${kind}/${ref.name ?? ''}`;
      if (firstController) {
        const detail = `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`;
        errs.push(invalid(path, refs, detail));
      } else {
        firstController = name;
      }
    }
  }
  return errs;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** apimachinery ValidateFinalizers: qualified names, and not both orphan and foregroundDeletion. */
export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const list = finalizers ?? [];
  const errs: FieldError[] = [];
  for (const f of list) for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** Built-in types (core validateKubeFinalizerName): a name without '/' must be a standard finalizer. */
function validateKubeFinalizerNames(finalizers: string[] | undefined, path: string): FieldError[] {
  return (finalizers ?? []).flatMap((f, i) =>
    !f.includes('/') && !STANDARD_FINALIZERS.has(f)
      ? [invalid(`${path}[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified')]
      : [],
  );
}

/**
 * Custom resources get warnings instead (apiextensions validateKubeFinalizerName, 1.32 wording); the
 * apiserver sends them for finalizers the write adds. Pass only those.
 */
export function finalizerWarnings(finalizers: string[], path = 'metadata.finalizers'): string[] {
  const warnings: string[] = [];
  for (const f of finalizers) {
    for (const msg of isQualifiedName(f)) warnings.push(`${path}: ${JSON.stringify(f)}: ${msg}`);
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      warnings.push(`${path}: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers`);
    }
  }
  return warnings;
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function validateFieldManager(manager: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (utf8Length(manager) > 128) errs.push(tooLong(path, 128));
  let pos = 0;
  for (const ch of manager) {
    if (!printable.test(ch)) {
      const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      errs.push(invalid(path, manager, `invalid character ${code} (at position ${pos})`));
    }
    pos += utf8Length(ch);
  }
  return errs;
}

function validateManagedFields(entries: unknown[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((raw, i) => {
    const e = isObject(raw) ? raw : {};
    const p = `${path}[${i}]`;
    const op = typeof e.operation === 'string' ? e.operation : '';
    if (op !== 'Apply' && op !== 'Update') errs.push(invalid(`${p}.operation`, op, 'must be `Apply` or `Update`'));
    const fieldsType = typeof e.fieldsType === 'string' ? e.fieldsType : '';
    if (fieldsType && fieldsType !== 'FieldsV1') errs.push(invalid(`${p}.fieldsType`, fieldsType, 'must be `FieldsV1`'));
    errs.push(...validateFieldManager(typeof e.manager === 'string' ? e.manager : '', `${p}.manager`));
    if (typeof e.subresource === 'string' && utf8Length(e.subresource) > 256) errs.push(tooLong(`${p}.subresource`, 256));
  });
  return errs;
}

// ---- ObjectMeta ----

export interface ObjectMetaRules {
  namespaced: boolean;
  nameRule: NameRule;
  /** Custom resources: unqualified finalizer names are warnings (finalizerWarnings), not errors. */
  customResource?: boolean;
}

/** ValidateObjectMeta on create, as a built-in type's validation runs it (core wrapper included). */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaRules, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = meta.generateName ?? '';
  if (generateName) {
    for (const msg of validateName(generateName, opts.nameRule, true)) errs.push(invalid(`${path}.generateName`, generateName, msg));
  }
  const name = meta.name ?? '';
  if (!name) errs.push(required(`${path}.name`, 'name or generateName is required'));
  else for (const msg of validateName(name, opts.nameRule, false)) errs.push(invalid(`${path}.name`, name, msg));

  const namespace = meta.namespace ?? '';
  if (opts.namespaced) {
    if (!namespace) errs.push(required(`${path}.namespace`));
    else for (const msg of validateName(namespace, 'label', false)) errs.push(invalid(`${path}.namespace`, namespace, msg));
  } else if (namespace) {
    errs.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
  }

  errs.push(...validateNonnegative(meta.generation ?? 0, `${path}.generation`));
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`));
  errs.push(...validateManagedFields(meta.managedFields, `${path}.managedFields`));
  if (!opts.customResource) errs.push(...validateKubeFinalizerNames(meta.finalizers, `${path}.finalizers`));
  return errs;
}

/** time.Time.String() for a metav1.Time ("2024-05-01 10:00:00 +0000 UTC"; zero is year 0001). */
function goTime(value: string | null | undefined): string {
  const ms = value ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) return '0001-01-01 00:00:00 +0000 UTC';
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}

const stamp = (t: string | null | undefined): string | null => (t ? goTime(t) : null);

/** ValidateObjectMetaUpdate as a built-in type runs it (core wrapper included). */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, path = 'metadata', opts: { customResource?: boolean } = {}): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp) {
    const before = new Set(old.finalizers ?? []);
    const extra = [...new Set(meta.finalizers ?? [])].filter((f) => !before.has(f)).sort();
    if (extra.length) {
      const list = `[]string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`;
      errs.push(forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers ${list}`));
    }
  }
  if (!meta.resourceVersion) errs.push(invalid(`${path}.resourceVersion`, meta.resourceVersion ?? '', 'must be specified for an update'));
  if ((meta.generation ?? 0) < (old.generation ?? 0)) errs.push(invalid(`${path}.generation`, meta.generation ?? 0, 'must not be decremented'));

  errs.push(...validateImmutableField(meta.name ?? '', old.name ?? '', `${path}.name`));
  errs.push(...validateImmutableField(meta.namespace ?? '', old.namespace ?? '', `${path}.namespace`));
  errs.push(...validateImmutableField(meta.uid ?? '', old.uid ?? '', `${path}.uid`));
  if (goTime(meta.creationTimestamp) !== goTime(old.creationTimestamp)) {
    errs.push(invalid(`${path}.creationTimestamp`, goTime(meta.creationTimestamp), 'field is immutable'));
  }
  if (stamp(meta.deletionTimestamp) !== stamp(old.deletionTimestamp)) {
    // A set *metav1.Time prints through its String(); a nil one as null.
    errs.push(invalid(`${path}.deletionTimestamp`, stamp(meta.deletionTimestamp), 'field is immutable'));
  }
  if ((meta.deletionGracePeriodSeconds ?? null) !== (old.deletionGracePeriodSeconds ?? null)) {
    errs.push(invalid(`${path}.deletionGracePeriodSeconds`, meta.deletionGracePeriodSeconds ?? null, 'field is immutable'));
  }

  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateManagedFields(meta.managedFields, `${path}.managedFields`));
  if (!opts.customResource) errs.push(...validateKubeFinalizerNames(meta.finalizers, `${path}.finalizers`));
  return errs;
}

/**
 * The review versions a webhook speaks (AdmissionReview, ConversionReview): at least one, unique
 * DNS-1035 labels, one of those the server sends among them unless told not to check (an update
 * that keeps an old object's unknown versions). `requiredDetail` is the Required error's detail.
 */
export function validateReviewVersions(versions: string[], path: string, sent: string[], opts: { requiredDetail?: string; requireSent: boolean }): FieldError[] {
  if (!versions.length) return [required(path, opts.requiredDetail)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) return void errs.push(invalid(`${path}[${i}]`, v, 'duplicate version'));
    seen.add(v);
    for (const msg of isDNS1035Label(v)) errs.push(invalid(`${path}[${i}]`, v, msg));
  });
  if (opts.requireSent && !versions.some((v) => sent.includes(v))) errs.push(invalid(path, versions, `must include at least one of ${sent.join(', ')}`));
  return errs;
}
