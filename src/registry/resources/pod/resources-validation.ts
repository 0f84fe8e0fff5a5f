// ValidateContainerResourceRequirements: resource names, quantities, requests against limits.
import { forbidden, invalid, required, type FieldError } from '../../../api/field-errors.js';
import { compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../../../api/quantity.js';
import { isQualifiedName } from '../../../api/validation.js';
import { NEGATIVE_MSG, qualifiedName } from './field-checks.js';
import { obj, type Obj } from '../../narrow.js';

const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const STANDARD_RESOURCES = [
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory',
  'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
];
const INTEGER_RESOURCES = ['pods', 'quotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'];

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const isNativeResource = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
const isExtendedResource = (name: string): boolean =>
  !isNativeResource(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
const isOvercommitAllowed = (name: string): boolean => isNativeResource(name) && !isHugePages(name);

function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = qualifiedName(name, path);
  if (!errs.length && !name.includes('/') && !STANDARD_RESOURCES.includes(name) && !isHugePages(name) && !name.startsWith('requests.hugepages-')) {
    errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.includes(name) && !isHugePages(name)) errs.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.num < 0n) errs.push(invalid(path, formatQuantity(q), NEGATIVE_MSG));
  if ((INTEGER_RESOURCES.includes(name) || isExtendedResource(name)) && (q.num * 1000n) / q.den % 1000n !== 0n) {
    errs.push(invalid(path, formatQuantity(q), 'must be an integer'));
  }
  return errs;
}

/** ValidateContainerResourceRequirements (also used for the pod overhead). */
export function validateResources(res: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  const limits = obj(res.limits) ?? {};
  const requests = obj(res.requests) ?? {};
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, raw] of Object.entries(limits)) {
    const fp = `${limPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, fp));
    const q = parseQuantity(raw);
    if (q) errs.push(...validateQuantityValue(name, q, fp));
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const [name, raw] of Object.entries(requests)) {
    const fp = `${reqPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, fp));
    const q = parseQuantity(raw);
    if (q) errs.push(...validateQuantityValue(name, q, fp));
    const limit = Object.hasOwn(limits, name) ? parseQuantity(limits[name]) : null;
    if (q && limit) {
      const cmp = compareQuantities(q, limit);
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      } else if (cmp > 0) {
        errs.push(invalid(reqPath, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
      }
    } else if (!Object.hasOwn(limits, name) && !isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (!cpuOrMemory && hugePages) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}
