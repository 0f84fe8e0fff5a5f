// Validation of ValidatingWebhookConfiguration and MutatingWebhookConfiguration, in the words and order of
// kubernetes pkg/apis/admissionregistration/validation/validation.go (1.33) and k8s.io/apiserver
// pkg/util/webhook/validation.go (ValidateWebhookURL, ValidateWebhookService). An update keeps what the old
// object already had: unchanged match conditions are not compiled again, and side effects, review versions,
// duplicate names and invalid selector values are only refused when the old object had none.
import { duplicate, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { validateLabelSelectorObject } from '../../api/labels.js';
import { isDNS1123Subdomain, isValidPortNum, validateReviewVersions } from '../../api/validation.js';
import { compileMatchConditions } from '../../admission/validating-policy-compile.js';
import type { Webhook, WebhookConfiguration } from '../../admission/webhook-types.js';
import { validateMatchConditions, validateRule } from './admission-policy-validation.js';

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const SIDE_EFFECTS = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];
const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
/** AcceptedAdmissionReviewVersions. */
const REVIEW_VERSIONS = ['v1', 'v1beta1'];
const URL_FORM = '; desired format: https://host[/path]';

interface Options {
  ignoreMatchConditions: boolean;
  requireNoSideEffects: boolean;
  requireRecognizedReviewVersion: boolean;
  requireUniqueNames: boolean;
  allowInvalidLabelValueInSelector: boolean;
}

/** ValidateValidatingWebhookConfiguration / ValidateMutatingWebhookConfiguration, and their Update forms. */
export function validateWebhookConfiguration(o: WebhookConfiguration, mutating: boolean, old?: WebhookConfiguration): FieldError[] {
  const hooks = o.webhooks ?? [];
  const oldHooks = old?.webhooks ?? [];
  const opts: Options = old
    ? {
        ignoreMatchConditions: hooks.length === oldHooks.length && hooks.every((h, i) => JSON.stringify(h.matchConditions) === JSON.stringify(oldHooks[i]!.matchConditions)),
        requireNoSideEffects: oldHooks.every((h) => NO_SIDE_EFFECTS.includes(h.sideEffects ?? '')),
        requireRecognizedReviewVersion: oldHooks.every((h) => !h.admissionReviewVersions?.length || h.admissionReviewVersions.some((v) => REVIEW_VERSIONS.includes(v))),
        requireUniqueNames: new Set(oldHooks.map((h) => h.name)).size === oldHooks.length,
        allowInvalidLabelValueInSelector: oldHooks.some((h) => [h.namespaceSelector, h.objectSelector].some((s) => s && validateLabelSelectorObject(s, '').length > 0)),
      }
    : { ignoreMatchConditions: false, requireNoSideEffects: true, requireRecognizedReviewVersion: true, requireUniqueNames: true, allowInvalidLabelValueInSelector: false };
  const errs: FieldError[] = [];
  const names = new Set<string>();
  hooks.forEach((h, i) => {
    const path = `webhooks[${i}]`;
    errs.push(...validateWebhook(h, mutating, opts, path));
    errs.push(
      ...validateReviewVersions(h.admissionReviewVersions ?? [], `${path}.admissionReviewVersions`, REVIEW_VERSIONS, { requiredDetail: `must specify one of ${REVIEW_VERSIONS.join(', ')}`, requireSent: opts.requireRecognizedReviewVersion }),
    );
    if (opts.requireUniqueNames && h.name) {
      if (names.has(h.name)) errs.push(duplicate(`${path}.name`, h.name));
      else names.add(h.name);
    }
  });
  return errs;
}

function validateWebhook(h: Webhook, mutating: boolean, opts: Options, path: string): FieldError[] {
  const errs = fullyQualifiedName(h.name ?? '', `${path}.name`);
  (h.rules ?? []).forEach((r, i) => errs.push(...validateRule(r, `${path}.rules[${i}]`)));
  if (h.failurePolicy !== undefined && !FAILURE_POLICIES.includes(h.failurePolicy)) errs.push(notSupported(`${path}.failurePolicy`, h.failurePolicy, FAILURE_POLICIES));
  if (h.matchPolicy !== undefined && !MATCH_POLICIES.includes(h.matchPolicy)) errs.push(notSupported(`${path}.matchPolicy`, h.matchPolicy, MATCH_POLICIES));
  const allowed = opts.requireNoSideEffects ? NO_SIDE_EFFECTS : SIDE_EFFECTS;
  if (h.sideEffects === undefined) errs.push(required(`${path}.sideEffects`, `must specify one of ${allowed.join(', ')}`));
  else if (!allowed.includes(h.sideEffects)) errs.push(notSupported(`${path}.sideEffects`, h.sideEffects, allowed));
  if (h.timeoutSeconds !== undefined && (h.timeoutSeconds > 30 || h.timeoutSeconds < 1)) {
    errs.push(invalid(`${path}.timeoutSeconds`, h.timeoutSeconds, 'the timeout value must be between 1 and 30 seconds'));
  }
  const selectorOpts = { allowInvalidLabelValueInSelector: opts.allowInvalidLabelValueInSelector };
  errs.push(...validateLabelSelectorObject(h.namespaceSelector, `${path}.namespaceSelector`, selectorOpts));
  errs.push(...validateLabelSelectorObject(h.objectSelector, `${path}.objectSelector`, selectorOpts));
  if (mutating && h.reinvocationPolicy !== undefined && !REINVOCATION_POLICIES.includes(h.reinvocationPolicy)) {
    errs.push(notSupported(`${path}.reinvocationPolicy`, h.reinvocationPolicy, REINVOCATION_POLICIES));
  }
  const cc = h.clientConfig ?? {};
  if ((cc.url === undefined) === (cc.service === undefined)) errs.push(required(`${path}.clientConfig`, 'exactly one of url or service is required'));
  else if (cc.url !== undefined) errs.push(...validateWebhookUrl(cc.url, `${path}.clientConfig.url`));
  else errs.push(...validateWebhookService(cc.service!, `${path}.clientConfig.service`));
  if (!opts.ignoreMatchConditions) {
    const conditions = h.matchConditions ?? [];
    errs.push(...validateMatchConditions(conditions, compileMatchConditions(conditions, false, `${path}.matchConditions`), `${path}.matchConditions`));
  }
  return errs;
}

/** utilvalidation.IsFullyQualifiedName. */
function fullyQualifiedName(name: string, path: string): FieldError[] {
  if (!name) return [required(path)];
  const msgs = isDNS1123Subdomain(name);
  if (msgs.length) return [invalid(path, name, msgs.join(','))];
  if (name.split('.').length < 3) return [invalid(path, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

/** The parts of a URL ValidateWebhookURL looks at, split as Go's url.Parse splits them. */
function splitUrl(raw: string): { scheme: string; user?: string; host: string; path: string; rawQuery: string; fragment: string } | { error: string } {
  const hash = raw.indexOf('#');
  const fragment = hash < 0 ? '' : raw.slice(hash + 1);
  let rest = hash < 0 ? raw : raw.slice(0, hash);
  if (/[\x00-\x1f\x7f]/.test(rest)) return { error: `parse ${JSON.stringify(raw)}: net/url: invalid control character in URL` };
  if (rest.startsWith(':')) return { error: `parse ${JSON.stringify(raw)}: missing protocol scheme` };
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rest);
  const scheme = m ? m[0].slice(0, -1).toLowerCase() : '';
  if (m) rest = rest.slice(m[0].length);
  const q = rest.indexOf('?');
  const rawQuery = q < 0 ? '' : rest.slice(q + 1);
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('//')) return { scheme, host: '', path: rest, rawQuery, fragment };
  const authority = rest.slice(2).split('/')[0]!;
  const at = authority.lastIndexOf('@');
  return { scheme, user: at < 0 ? undefined : authority.slice(0, at), host: authority.slice(at + 1), path: rest.slice(2 + authority.length), rawQuery, fragment };
}

/** ValidateWebhookURL with forceHttps. */
function validateWebhookUrl(url: string, path: string): FieldError[] {
  const u = splitUrl(url);
  if ('error' in u) return [required(path, `url must be a valid URL: ${u.error}${URL_FORM}`)];
  const errs: FieldError[] = [];
  if (u.scheme !== 'https') errs.push(invalid(path, u.scheme, `'https' is the only allowed URL scheme${URL_FORM}`));
  if (!u.host) errs.push(invalid(path, u.host, `host must be specified${URL_FORM}`));
  if (u.user !== undefined) errs.push(invalid(path, u.user, 'user information is not permitted in the URL'));
  if (u.fragment) errs.push(invalid(path, u.fragment, 'fragments are not permitted in the URL'));
  if (u.rawQuery) errs.push(invalid(path, u.rawQuery, 'query parameters are not permitted in the URL'));
  return errs;
}

/** ValidateWebhookService. */
function validateWebhookService(s: NonNullable<Webhook['clientConfig']>['service'] & object, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(`${path}.name`));
  if (!s.namespace) errs.push(required(`${path}.namespace`));
  const port = s.port ?? 443;
  const portErrs = isValidPortNum(port);
  if (portErrs.length) errs.push(invalid(`${path}.port`, port, `port is not valid: ${portErrs.join(', ')}`));
  const p = s.path;
  if (p === undefined || p === '/' || p === '') return errs;
  if (p === '//') return [...errs, invalid(`${path}.path`, p, 'segment[0] may not be empty')];
  if (!p.startsWith('/')) errs.push(invalid(`${path}.path`, p, "must start with a '/'"));
  let check = p.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (!step) return void errs.push(invalid(`${path}.path`, p, `segment[${i}] may not be empty`));
    for (const msg of isDNS1123Subdomain(step)) errs.push(invalid(`${path}.path`, p, `segment[${i}]: ${msg}`));
  });
  return errs;
}
