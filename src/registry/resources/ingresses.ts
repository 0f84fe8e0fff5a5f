// networking.k8s.io/v1 Ingress: rules that route outside HTTP(S) traffic to Services. Stored and
// validated; nothing carries them out (no ingress controller runs). A new Ingress without a class
// gets the default IngressClass (admission/default-ingress-class.ts). Facts from
// pkg/apis/networking/validation, pkg/registry/networking/ingress/strategy.go and printIngress.
import { invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum, regexError, validateName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { objects, specOf, statusOf } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { ingress } from '../schemas/networking.js';
import { parseIP, validateIP } from './endpoints.js';
import { goValue } from './go-values.js';

interface Backend {
  service?: { name?: string; port?: { name?: string; number?: number } };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}
interface Rule {
  host?: string;
  http?: { paths?: { path?: string; pathType?: string; backend?: Backend }[] };
}
interface Spec {
  ingressClassName?: string;
  defaultBackend?: Backend;
  tls?: { hosts?: string[]; secretName?: string }[];
  rules?: Rule[];
}

const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const WILDCARD_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

/** validation.IsWildcardDNS1123Subdomain. */
function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs = value.length > 253 ? ['must be no more than 253 characters'] : [];
  if (!new RegExp(`^${WILDCARD_FMT}$`).test(value)) errs.push(regexError(WILDCARD_MSG, WILDCARD_FMT, '*.example.com'));
  return errs;
}

/** A TLS or rule host: a wildcard or a plain DNS subdomain. */
const hostErrors = (host: string, path: string): FieldError[] =>
  (host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host)).map((msg) => invalid(path, host, msg));

/** validateIngressBackend. */
function validateBackend(b: Backend, path: string): FieldError[] {
  if (b.resource && b.service) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (b.resource) {
    const r = b.resource;
    const errs = r.apiGroup === undefined ? [] : isDNS1123Subdomain(r.apiGroup).map((msg) => invalid(`${path}.resource.apiGroup`, r.apiGroup, msg));
    for (const key of ['kind', 'name'] as const) {
      const value = r[key] ?? '';
      if (value === '') errs.push(required(`${path}.resource.${key}`));
      else errs.push(...validateName(value, 'path-segment', false).map((msg) => invalid(`${path}.resource.${key}`, value, msg)));
    }
    return errs;
  }
  if (!b.service) return [invalid(path, '', 'resource or service backend is required')];
  const { name = '', port = {} } = b.service;
  const errs = name === '' ? [required(`${path}.service.name`)] : validateName(name, 'dns1035-label', false).map((msg) => invalid(`${path}.service.name`, name, msg));
  const [portName, portNumber] = [port.name ?? '', port.number ?? 0];
  if (portName && portNumber) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) errs.push(...isValidPortName(portName).map((msg) => invalid(`${path}.service.port.name`, portName, msg)));
  else if (portNumber) errs.push(...isValidPortNum(portNumber).map((msg) => invalid(`${path}.service.port.number`, portNumber, msg)));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

/** validateHTTPIngressRuleValue (validateIngressRuleValue). */
function validateRuleValue(rule: Rule, path: string): FieldError[] {
  if (!rule.http) return [];
  const paths = rule.http.paths ?? [];
  const errs = paths.length === 0 ? [required(`${path}.http.paths`)] : [];
  paths.forEach((p, i) => {
    const at = `${path}.http.paths[${i}]`;
    const value = p.path ?? '';
    if (p.pathType === undefined) {
      errs.push(required(`${at}.pathType`, 'pathType must be specified'));
      return;
    }
    if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
      if (!value.startsWith('/')) errs.push(invalid(`${at}.path`, value, 'must be an absolute path'));
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(invalid(`${at}.path`, value, `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(invalid(`${at}.path`, value, `cannot end with '${suffix}'`));
    } else if (p.pathType === 'ImplementationSpecific') {
      if (value !== '' && !value.startsWith('/')) errs.push(invalid(`${at}.path`, value, 'must be an absolute path'));
    } else {
      errs.push(notSupported(`${at}.pathType`, p.pathType, PATH_TYPES));
    }
    errs.push(...validateBackend(p.backend ?? {}, `${at}.backend`));
  });
  return errs;
}

interface Options {
  allowInvalidSecretName: boolean;
  allowInvalidWildcardHostRule: boolean;
}

/** ValidateIngressSpec. */
function validateSpec(o: KubeObject, opts: Options): FieldError[] {
  const spec = specOf<Spec>(o);
  const errs: FieldError[] = [];
  if (!spec.rules?.length && !spec.defaultBackend) {
    errs.push(invalid('spec', goValue(undefined, '[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  (spec.rules ?? []).forEach((rule, i) => {
    const host = rule.host ?? '';
    if (host !== '') {
      if (parseIP(host)) errs.push(invalid(`spec.rules[${i}].host`, host, 'must be a DNS name, not an IP address'));
      errs.push(...hostErrors(host, `spec.rules[${i}].host`));
    }
    if (!host.includes('*') || !opts.allowInvalidWildcardHostRule) errs.push(...validateRuleValue(rule, `spec.rules[${i}]`));
  });
  (spec.tls ?? []).forEach((tls, i) => {
    (tls.hosts ?? []).forEach((host, j) => errs.push(...hostErrors(host, `spec.tls[${i}].hosts[${j}]`)));
    if (!opts.allowInvalidSecretName) errs.push(...secretNameErrors(tls.secretName).map((msg) => invalid(`spec.tls[${i}].secretName`, tls.secretName, msg)));
  });
  if (spec.ingressClassName !== undefined) errs.push(...validateName(spec.ingressClassName, 'subdomain', false).map((msg) => invalid('spec.ingressClassName', spec.ingressClassName, msg)));
  return errs;
}

const secretNameErrors = (name = ''): string[] => (name === '' ? [] : validateName(name, 'subdomain', false));

/** ValidateIngressLoadBalancerStatus. */
function validateStatus(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objects(statusOf<{ loadBalancer?: { ingress?: unknown } }>(o).loadBalancer?.ingress).forEach((lb, i) => {
    const at = `status.loadBalancer.ingress[${i}]`;
    const [ip, hostname] = [String(lb.ip ?? ''), String(lb.hostname ?? '')];
    if (ip) errs.push(...validateIP(ip, `${at}.ip`));
    if (hostname) {
      errs.push(...isDNS1123Subdomain(hostname).map((msg) => invalid(`${at}.hostname`, hostname, msg)));
      if (parseIP(hostname)) errs.push(invalid(`${at}.hostname`, hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** formatHosts: the first three hosts set, "*" when none, "+ N more..." when rules follow them. */
function hostsCell(rules: Rule[]): string {
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === 3) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

/** ingressLoadBalancerStatusStringer (not wide): sorted unique IPs or hostnames, cut at 16 characters. */
function addressCell(o: KubeObject): string {
  const points = objects(statusOf<{ loadBalancer?: { ingress?: unknown } }>(o).loadBalancer?.ingress);
  const text = [...new Set(points.map((p) => String(p.ip || p.hostname || '')).filter((a) => a))].sort().join(',');
  return text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

/** Old objects may keep what newer validation refuses (allowInvalidSecretName, allowInvalidWildcardHostRule). */
function optionsFor(old: KubeObject): Options {
  const spec = specOf<Spec>(old);
  return {
    allowInvalidSecretName: (spec.tls ?? []).some((t) => secretNameErrors(t.secretName).length > 0),
    allowInvalidWildcardHostRule: (spec.rules ?? []).some((r) => r.host?.includes('*') && validateRuleValue(r, '').length > 0),
  };
}

export const ingresses: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  resource: 'ingresses',
  singular: 'ingress',
  shortNames: ['ing'],
  namespaced: true,
  schema: ingress,
  storagePrefix: 'ingress',
  hasStatus: true,
  hasGeneration: true,
  prepareForCreate(o) {
    // IngressStatus is not a pointer: a new Ingress shows an empty load balancer.
    o.status = { loadBalancer: {} };
  },
  validate(o) {
    const errs = validateSpec(o, { allowInvalidSecretName: false, allowInvalidWildcardHostRule: false });
    const annotation = o.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
    const className = specOf<Spec>(o).ingressClassName;
    if (annotation !== undefined && className !== undefined && annotation !== className) {
      errs.push(invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified'));
    }
    return errs;
  },
  validateUpdate: (o, old, _ctx, subresource) => (subresource === 'status' ? validateStatus(o) : validateSpec(o, optionsFor(old))),
  warningsOnCreate: (o) =>
    o.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] === undefined || specOf<Spec>(o).ingressClassName !== undefined
      ? []
      : [`annotation "${INGRESS_CLASS_ANNOTATION}" is deprecated, please use 'spec.ingressClassName' instead`],
  table: {
    columns: [
      nameColumn,
      column('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
      column('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
      column('Address', 'Address is a list containing ingress points for the load-balancer'),
      column('Ports', 'Ports of TLS configurations that open'),
      ageColumn,
    ],
    cells(o, now) {
      const spec = specOf<Spec>(o);
      return [o.metadata.name, spec.ingressClassName ?? '<none>', hostsCell(spec.rules ?? []), addressCell(o), spec.tls?.length ? '80, 443' : '80', age(o.metadata.creationTimestamp, now)];
    },
  },
};
