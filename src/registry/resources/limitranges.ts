// core/v1 LimitRange: per-container, per-pod and per-claim minimums, maximums and defaults of a
// namespace, which LimitRanger admission applies to new pods and claims.
import { duplicate, forbidden, invalid, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../../api/quantity.js';
import { isQualifiedName } from '../../api/validation.js';
import { column, nameColumn } from '../columns.js';
import { specToFill } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { limitRange } from '../schemas/core.js';
import { canonicalizeResourceList } from './persistentvolumeclaims.js';
import { validateContainerResourceName, validateResourceName } from './resourcequotas.js';

const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];
const LISTS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

interface LimitRangeItem {
  type?: string;
  max?: Record<string, unknown>;
  min?: Record<string, unknown>;
  default?: Record<string, unknown>;
  defaultRequest?: Record<string, unknown>;
  maxLimitRequestRatio?: Record<string, unknown>;
}

/** validateLimitRangeTypeName */
function validateType(type: string, path: string): FieldError[] {
  const errs = isQualifiedName(type).map((m) => invalid(path, type, m));
  if (!errs.length && !type.includes('/') && !LIMIT_TYPES.includes(type)) errs.push(invalid(path, type, 'must be a standard limit type or fully qualified'));
  return errs;
}

const ONE: Quantity = { num: 1n, den: 1n, format: 'DecimalSI' };
const isOvercommitAllowed = (name: string) => (!name.includes('/') || name.includes('kubernetes.io/')) && !name.startsWith('hugepages-');
/** Go's %f */
const goFloat = (n: number) => (Number.isFinite(n) ? n.toFixed(6) : n > 0 ? '+Inf' : 'NaN');

/** The comparisons between one resource's min, max, defaults and ratio (ValidateLimitRange's second loop). */
function validateBounds(lists: Partial<Record<(typeof LISTS)[number], Record<string, Quantity>>>, k: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const [min, max, def, defReq, ratio] = [lists.min?.[k], lists.max?.[k], lists.default?.[k], lists.defaultRequest?.[k], lists.maxLimitRequestRatio?.[k]];
  const s = (q: Quantity) => formatQuantity(q);
  const gt = (a: Quantity | undefined, b: Quantity | undefined): boolean => !!a && !!b && compareQuantities(a, b) > 0;
  if (gt(min, max)) errs.push(invalid(`${path}.min[${k}]`, s(min!), `min value ${s(min!)} is greater than max value ${s(max!)}`));
  if (gt(min, defReq)) errs.push(invalid(`${path}.defaultRequest[${k}]`, s(defReq!), `min value ${s(min!)} is greater than default request value ${s(defReq!)}`));
  if (gt(defReq, max)) errs.push(invalid(`${path}.defaultRequest[${k}]`, s(defReq!), `default request value ${s(defReq!)} is greater than max value ${s(max!)}`));
  if (gt(defReq, def)) errs.push(invalid(`${path}.defaultRequest[${k}]`, s(defReq!), `default request value ${s(defReq!)} is greater than default limit value ${s(def!)}`));
  if (gt(min, def)) errs.push(invalid(`${path}.default[${k}]`, s(min!), `min value ${s(min!)} is greater than default value ${s(def!)}`));
  if (gt(def, max)) errs.push(invalid(`${path}.default[${k}]`, s(max!), `default value ${s(def!)} is greater than max value ${s(max!)}`));
  if (ratio && compareQuantities(ratio, ONE) < 0) errs.push(invalid(`${path}.maxLimitRequestRatio[${k}]`, s(ratio), `ratio ${s(ratio)} is less than 1`));
  if (ratio && min && max) {
    const milli = (q: Quantity) => Number((q.num * 1000n + q.den - 1n) / q.den);
    const limit = milli(max) / milli(min);
    if (milli(ratio) / 1000 > limit) errs.push(invalid(`${path}.maxLimitRequestRatio[${k}]`, s(ratio), `ratio ${s(ratio)} is greater than max/min = ${goFloat(limit)}`));
  }
  if (!isOvercommitAllowed(k) && def && defReq && compareQuantities(def, defReq) !== 0) {
    errs.push(invalid(`${path}.defaultRequest[${k}]`, s(defReq), `default value ${s(def)} must equal to defaultRequest value ${s(defReq)} in ${k}`));
  }
  return errs;
}

/** ValidateLimitRange (without ObjectMeta); resources in sorted order, where Go's is random. */
function validateLimitRange(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const types = new Set<string>();
  (specToFill<{ limits?: LimitRangeItem[] }>(o).limits ?? []).forEach((item, i) => {
    const path = `spec.limits[${i}]`;
    const type = item.type ?? '';
    errs.push(...validateType(type, `${path}.type`));
    if (types.has(type)) errs.push(duplicate(`${path}.type`, type));
    types.add(type);
    const nameCheck = type === 'Pod' || type === 'Container' ? validateContainerResourceName : validateResourceName;
    const lists: Partial<Record<(typeof LISTS)[number], Record<string, Quantity>>> = {};
    const keys = new Set<string>();
    for (const list of LISTS) {
      if (type === 'Pod' && (list === 'default' || list === 'defaultRequest')) {
        if (Object.keys(item[list] ?? {}).length) errs.push(forbidden(`${path}.${list}`, "may not be specified when `type` is 'Pod'"));
        continue;
      }
      for (const [k, v] of Object.entries(item[list] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
        errs.push(...nameCheck(k, `${path}.${list}[${k}]`));
        keys.add(k);
        const q = parseQuantity(v);
        if (q) (lists[list] ??= {})[k] = q;
      }
      if (list === 'defaultRequest' && type === 'PersistentVolumeClaim' && !Object.hasOwn(item.min ?? {}, 'storage') && !Object.hasOwn(item.max ?? {}, 'storage')) {
        errs.push(required(`${path}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
      }
    }
    for (const k of [...keys].sort()) errs.push(...validateBounds(lists, k, path));
  });
  return errs;
}

export const limitranges: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  resource: 'limitranges',
  singular: 'limitrange',
  shortNames: ['limits'],
  namespaced: true,
  schema: limitRange,
  defaults(o) {
    for (const item of specToFill<{ limits?: LimitRangeItem[] }>(o).limits ?? []) {
      // SetDefaults_LimitRangeItem: a Container's default limit is its max, its default request the default limit, else its min.
      if (item.type === 'Container') {
        for (const [k, v] of Object.entries(item.max ?? {})) if (item.default?.[k] === undefined) (item.default ??= {})[k] = v;
        for (const [k, v] of Object.entries(item.default ?? {})) if (item.defaultRequest?.[k] === undefined) (item.defaultRequest ??= {})[k] = v;
        for (const [k, v] of Object.entries(item.min ?? {})) if (item.defaultRequest?.[k] === undefined) (item.defaultRequest ??= {})[k] = v;
      }
      for (const list of LISTS) canonicalizeResourceList(item[list]);
    }
  },
  validate: validateLimitRange,
  validateUpdate: validateLimitRange,
  table: {
    columns: [nameColumn, column('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' })],
    cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
  },
};
