// networking.k8s.io/v1 IngressClass: the controller that implements a class of Ingresses, and its
// parameters. The annotation ingressclass.kubernetes.io/is-default-class makes a class the default
// (admission/default-ingress-class.ts). Facts from pkg/apis/networking/validation,
// pkg/apis/networking/v1/defaults.go and printIngressClass.
import { forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { isDNS1123Label, isDNS1123Subdomain, regexError, validateImmutableField, validateName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { specOf } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { ingressClass } from '../schemas/networking.js';

interface Parameters {
  apiGroup?: string;
  kind?: string;
  name?: string;
  scope?: string;
  namespace?: string;
}
interface Spec {
  controller?: string;
  parameters?: Parameters;
}

const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ['Cluster', 'Namespace'];
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

/** validation.IsDomainPrefixedPath. */
function validateDomainPrefixedPath(path: string, value: string): FieldError[] {
  if (value === '') return [required(path)];
  const slash = value.indexOf('/');
  const [host, rest] = [value.slice(0, slash), value.slice(slash + 1)];
  if (slash <= 0 || rest === '') return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((msg) => invalid(path, host, msg));
  if (!new RegExp(`^${HTTP_PATH_FMT}$`).test(rest)) errs.push(invalid(path, rest, regexError('must be a valid path', HTTP_PATH_FMT)));
  return errs;
}

/** validateIngressClassParametersReference. */
function validateParameters(p: Parameters, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.apiGroup !== undefined) errs.push(...isDNS1123Subdomain(p.apiGroup).map((msg) => invalid(`${path}.apiGroup`, p.apiGroup, msg)));
  for (const key of ['kind', 'name'] as const) {
    const value = p[key] ?? '';
    if (value === '') errs.push(required(`${path}.${key}`));
    else errs.push(...validateName(value, 'path-segment', false).map((msg) => invalid(`${path}.${key}`, value, msg)));
  }
  if (p.scope === undefined) return [...errs, required(`${path}.scope`)];
  if (!SCOPES.includes(p.scope)) errs.push(notSupported(`${path}.scope`, p.scope, SCOPES));
  else if (p.scope === 'Namespace') {
    if (p.namespace === undefined) errs.push(required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...isDNS1123Label(p.namespace).map((msg) => invalid(`${path}.namespace`, p.namespace, msg)));
  } else if (p.namespace !== undefined) {
    errs.push(forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

/** validateIngressClassSpec. */
function validateSpec(o: KubeObject): FieldError[] {
  const spec = specOf<Spec>(o);
  const controller = spec.controller ?? '';
  const errs: FieldError[] = [];
  if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(tooLong('spec.controller', MAX_CONTROLLER_LENGTH));
  errs.push(...validateDomainPrefixedPath('spec.controller', controller));
  if (spec.parameters) errs.push(...validateParameters(spec.parameters, 'spec.parameters'));
  return errs;
}

/** IngressClassParametersReference as kubectl prints it: Kind[.apiGroup]/name. */
function parametersCell(p: Parameters | undefined): string {
  if (!p) return '<none>';
  return `${p.kind ?? ''}${p.apiGroup === undefined ? '' : `.${p.apiGroup}`}/${p.name ?? ''}`;
}

export const ingressClasses: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  resource: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  schema: ingressClass,
  hasGeneration: true,
  defaults(o) {
    // SetDefaults_IngressClass.
    const parameters = specOf<Spec>(o).parameters;
    if (parameters) parameters.scope ??= 'Cluster';
  },
  validate: validateSpec,
  validateUpdate: (o, old) => [...validateImmutableField(specOf<Spec>(o).controller, specOf<Spec>(old).controller, 'spec.controller'), ...validateSpec(o)],
  table: {
    columns: [
      nameColumn,
      column('Controller', 'Controller that is responsible for handling this class'),
      column('Parameters', 'A reference to a resource with additional parameters'),
      ageColumn,
    ],
    cells: (o, now) => [o.metadata.name, specOf<Spec>(o).controller ?? '', parametersCell(specOf<Spec>(o).parameters), age(o.metadata.creationTimestamp, now)],
  },
};
