// core/v1 ResourceQuota: hard limits on what a namespace may hold. The quota controller keeps its
// status (hard and used); ResourceQuota admission refuses what would exceed it. Also home of the
// resource-name checks quotas and limit ranges share (ValidateResourceQuotaResourceName, …).
import { age } from '../../api/duration.js';
import { invalid, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { formatQuantity, parseQuantity, type Quantity } from '../../api/quantity.js';
import { isQualifiedName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { specToFill, statusOf } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { resourceQuota } from '../schemas/core.js';
import { goQuote } from '../../api/go-quote.js';
import { canonicalizeResourceList } from './persistentvolumeclaims.js';
import { goStringSliceText, goValue } from './go-values.js';

const STANDARD_RESOURCES = [
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory',
  'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
];
const STANDARD_QUOTA_RESOURCES = STANDARD_RESOURCES.filter((r) => r !== 'storage');
const INTEGER_RESOURCES = ['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'];
const POD_COMPUTE = ['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'];
const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const EXISTS_ONLY_SCOPES = ['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'];
const CONFLICTING_SCOPES = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];

const isQuotaHugePages = (name: string) => name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
const isStandardQuotaResource = (name: string) => STANDARD_QUOTA_RESOURCES.includes(name) || isQuotaHugePages(name);
const isNativeResource = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isExtendedResource = (name: string) => !isNativeResource(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;

/** A ResourceName in a field error: Go prints it through its String(), unquoted. */
export const resourceNameValue = (name: string) => goValue(name, name);

/** validateResourceName: a qualified name, standard unless it has a domain. */
export function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(path, resourceNameValue(name), m));
  if (!errs.length && !name.includes('/') && !STANDARD_RESOURCES.includes(name) && !isQuotaHugePages(name)) {
    errs.push(invalid(path, resourceNameValue(name), 'must be a standard resource type or fully qualified'));
  }
  return errs;
}

/** validateContainerResourceName: cpu, memory, ephemeral-storage, huge pages or an extended resource. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!['cpu', 'memory', 'ephemeral-storage'].includes(name) && !name.startsWith('hugepages-')) errs.push(invalid(path, resourceNameValue(name), 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    errs.push(invalid(path, resourceNameValue(name), "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** ValidateResourceQuantityValue */
function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.num < 0n) errs.push(invalid(path, formatQuantity(q), 'must be greater than or equal to 0'));
  if ((INTEGER_RESOURCES.includes(name) || isExtendedResource(name)) && ((q.num * 1000n) / q.den) % 1000n !== 0n) {
    errs.push(invalid(path, formatQuantity(q), 'must be an integer'));
  }
  return errs;
}

/** The names and quantities of a quota's ResourceList (hard or used). */
function validateQuotaList(list: Record<string, unknown> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(list ?? {})) {
    const p = `${path}[${name}]`;
    errs.push(...validateResourceName(name, p));
    if (!name.includes('/') && !isStandardQuotaResource(name)) errs.push(invalid(p, resourceNameValue(name), 'must be a standard resource for quota'));
    const q = parseQuantity(value);
    if (q) errs.push(...validateQuantityValue(name, q, p));
  }
  return errs;
}

interface ScopeRequirement {
  scopeName?: string;
  operator?: string;
  values?: string[];
}

interface QuotaSpec {
  hard?: Record<string, unknown>;
  scopes?: string[];
  scopeSelector?: { matchExpressions?: ScopeRequirement[] };
}

interface QuotaStatus {
  hard?: Record<string, unknown>;
  used?: Record<string, unknown>;
}

/** IsResourceQuotaScopeValidForResource */
function scopeValidFor(scope: string, name: string): boolean {
  if (scope === 'BestEffort') return name === 'pods';
  if (SCOPES.includes(scope)) return name === 'pods' || POD_COMPUTE.includes(name);
  return true;
}

/** %#v of the internal []core.ResourceQuotaScope. */
const scopesValue = (scopes: string[] | undefined) =>
  goValue(scopes ?? null, scopes ? `[]core.ResourceQuotaScope{${scopes.map(goQuote).join(', ')}}` : '[]core.ResourceQuotaScope(nil)');

/** %#v of the internal *core.ScopeSelector (a pointer: Go prints the struct it points to). */
function scopeSelectorValue(sel: QuotaSpec['scopeSelector']) {
  const exprs = sel?.matchExpressions;
  const text = exprs
    ? `[]core.ScopedResourceSelectorRequirement{${exprs
        .map((e) => `core.ScopedResourceSelectorRequirement{ScopeName:${goQuote(e.scopeName ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${goStringSliceText(e.values)}}`)
        .join(', ')}}`
    : '[]core.ScopedResourceSelectorRequirement(nil)';
  return goValue(sel, `core.ScopeSelector{MatchExpressions:${text}}`);
}

/** validateResourceQuotaScopes */
function validateScopes(s: QuotaSpec): FieldError[] {
  const errs: FieldError[] = [];
  const scopes = s.scopes ?? [];
  if (!scopes.length) return errs;
  const hard = Object.keys(s.hard ?? {}).sort();
  for (const scope of scopes) {
    if (!SCOPES.includes(scope)) errs.push(invalid('spec.scopes', scopesValue(s.scopes), 'unsupported scope'));
    for (const name of hard) {
      if (isStandardQuotaResource(name) && !scopeValidFor(scope, name)) errs.push(invalid('spec.scopes', scopesValue(s.scopes), 'unsupported scope applied to resource'));
    }
  }
  for (const pair of CONFLICTING_SCOPES) {
    if (pair.every((p) => scopes.includes(p))) errs.push(invalid('spec.scopes', scopesValue(s.scopes), 'conflicting scopes'));
  }
  return errs;
}

/** validateScopeSelector */
function validateScopeSelector(s: QuotaSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.scopeSelector) return errs;
  const path = 'spec.scopeSelector';
  const hard = Object.keys(s.hard ?? {}).sort();
  const seen = new Set<string>();
  for (const req of s.scopeSelector.matchExpressions ?? []) {
    const scope = req.scopeName ?? '';
    if (!SCOPES.includes(scope)) errs.push(invalid(`${path}.matchExpressions.scopeName`, scope, 'unsupported scope'));
    for (const name of hard) {
      if (isStandardQuotaResource(name) && !scopeValidFor(scope, name)) errs.push(invalid(path, scopeSelectorValue(s.scopeSelector), 'unsupported scope applied to resource'));
    }
    if (EXISTS_ONLY_SCOPES.includes(scope) && req.operator !== 'Exists') {
      errs.push(
        invalid(
          `${path}.matchExpressions.operator`,
          req.operator ?? '',
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (!req.values?.length) errs.push(required(`${path}.matchExpressions.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (req.values?.length) errs.push(invalid(`${path}.matchExpressions.values`, goValue(req.values, goStringSliceText(req.values)), "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
        break;
      default:
        errs.push(invalid(`${path}.matchExpressions.operator`, req.operator ?? '', 'not a valid selector operator'));
    }
    seen.add(scope);
  }
  for (const pair of CONFLICTING_SCOPES) {
    // Upstream reports spec.scopes' value here.
    if (pair.every((p) => seen.has(p))) errs.push(invalid(path, scopesValue(s.scopes), 'conflicting scopes'));
  }
  return errs;
}

/** ValidateResourceQuotaSpec */
function validateSpec(o: KubeObject): FieldError[] {
  const s = specToFill<QuotaSpec>(o);
  return [...validateQuotaList(s.hard, 'spec.hard'), ...validateScopes(s), ...validateScopeSelector(s)];
}

function validateStatus(o: KubeObject): FieldError[] {
  const status = statusOf<QuotaStatus>(o);
  return [...validateQuotaList(status.hard, 'status.hard'), ...validateQuotaList(status.used, 'status.used')];
}

/** SortableResourceNames order, then `name: used/hard`, limits.* in the LIMIT column. */
function quotaCells(o: KubeObject, now: Date): unknown[] {
  const hard = Object.keys(specToFill<QuotaSpec>(o).hard ?? {}).sort();
  const status = statusOf<QuotaStatus>(o);
  const text = (v: unknown) => {
    const q = parseQuantity(v);
    return q ? formatQuantity(q) : '0';
  };
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of hard) {
    const parts = name.split('.');
    (parts.length > 1 && parts[0] === 'limits' ? limit : request).push(`${name}: ${text(status.used?.[name])}/${text(status.hard?.[name])}`);
  }
  return [o.metadata.name, age(o.metadata.creationTimestamp, now), request.join(', '), limit.join(', ')];
}

export const resourcequotas: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  resource: 'resourcequotas',
  singular: 'resourcequota',
  shortNames: ['quota'],
  namespaced: true,
  schema: resourceQuota,
  hasStatus: true,
  defaults(o) {
    canonicalizeResourceList(specToFill<QuotaSpec>(o).hard);
    const status = o.status as QuotaStatus | undefined;
    canonicalizeResourceList(status?.hard);
    canonicalizeResourceList(status?.used);
  },
  validate: (o) => [...validateSpec(o), ...validateStatus(o)],
  validateUpdate(o, old, _ctx, subresource) {
    if (subresource === 'status') return validateStatus(o);
    const errs = [...validateSpec(o), ...validateStatus(o)];
    const scopes = new Set(specToFill<QuotaSpec>(o).scopes ?? []);
    const before = new Set(specToFill<QuotaSpec>(old).scopes ?? []);
    if (scopes.size !== before.size || [...scopes].some((s) => !before.has(s))) errs.push(invalid('spec.scopes', scopesValue(specToFill<QuotaSpec>(o).scopes), 'field is immutable'));
    return errs;
  },
  table: {
    columns: [
      nameColumn,
      ageColumn,
      column('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
      column('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ],
    cells: quotaCells,
  },
};
