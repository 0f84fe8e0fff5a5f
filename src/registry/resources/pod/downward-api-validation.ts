// The downward API's field references (env valueFrom and downwardAPI volume files): which pod
// fields and container resources may be exposed, and the divisors they accept.
import { invalid, notSupported, required, type FieldError } from '../../../api/field-errors.js';
import { formatQuantity, isZeroQuantity, parseQuantity } from '../../../api/quantity.js';
import { qualifiedName } from './field-checks.js';
import { goSorted } from './values.js';
import { type Obj, str } from '../../narrow.js';

export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
export const ENV_FIELD_PATHS = goSorted(['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs']);
const DOWNWARD_LABELS = [
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.restartPolicy',
  'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const RESOURCE_FIELD_PATHS = goSorted(['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage']);

/** fieldpath.SplitMaybeSubscriptedPath: "metadata.labels['x']" → ["metadata.labels", "x"]. */
function splitSubscript(fieldPath: string): [string, string] | null {
  if (!fieldPath.endsWith("']")) return null;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return null;
  return [s.slice(0, i), s.slice(i + 2)];
}

/** podshelper.ConvertDownwardAPIFieldLabel: the internal label, or the error text. */
function convertDownwardLabel(version: string, label: string): { label: string } | { error: string } {
  if (version !== 'v1') return { error: `unsupported pod version: ${version}` };
  const sub = splitSubscript(label);
  if (sub) {
    if (sub[0] === 'metadata.annotations' || sub[0] === 'metadata.labels') return { label };
    return { error: `field label does not support subscript: ${label}` };
  }
  if (DOWNWARD_LABELS.includes(label)) return { label };
  if (label === 'spec.host') return { label: 'spec.nodeName' };
  return { error: `field label not supported: ${label}` };
}

export function validateObjectFieldSelector(fs: Obj, expressions: string[], path: string): FieldError[] {
  if (!str(fs.apiVersion)) return [required(`${path}.apiVersion`)];
  if (!str(fs.fieldPath)) return [required(`${path}.fieldPath`)];
  const converted = convertDownwardLabel(str(fs.apiVersion), str(fs.fieldPath));
  if ('error' in converted) return [invalid(`${path}.fieldPath`, fs.fieldPath, `error converting fieldPath: ${converted.error}`)];
  const sub = splitSubscript(converted.label);
  if (sub) {
    if (sub[0] === 'metadata.annotations') return qualifiedName(sub[1].toLowerCase(), path);
    if (sub[0] === 'metadata.labels') return qualifiedName(sub[1], path);
    return [invalid(path, sub[0], 'does not support subscript')];
  }
  if (!expressions.includes(converted.label)) return [notSupported(`${path}.fieldPath`, converted.label, expressions)];
  return [];
}

const DIVISORS_CPU = ['1m', '1'];
const DIVISORS_BYTES = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

export function validateResourceFieldSelector(fs: Obj, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = str(fs.resource);
  if (volume && !str(fs.containerName)) errs.push(required(`${path}.containerName`));
  else if (!resource) errs.push(required(`${path}.resource`));
  else if (!RESOURCE_FIELD_PATHS.includes(resource) && !resource.startsWith('requests.hugepages-') && !resource.startsWith('limits.hugepages-')) {
    errs.push(notSupported(`${path}.resource`, resource, RESOURCE_FIELD_PATHS));
  }
  const divisor = parseQuantity(fs.divisor);
  if (divisor && !isZeroQuantity(divisor)) {
    const d = formatQuantity(divisor);
    const bytesMsg = (what: string) =>
      `only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the ${what} resource`;
    if ((resource === 'limits.cpu' || resource === 'requests.cpu') && !DIVISORS_CPU.includes(d)) {
      errs.push(invalid(`${path}.divisor`, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
    }
    if ((resource === 'limits.memory' || resource === 'requests.memory') && !DIVISORS_BYTES.includes(d)) errs.push(invalid(`${path}.divisor`, resource, bytesMsg('memory')));
    if ((resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') && !DIVISORS_BYTES.includes(d)) {
      errs.push(invalid(`${path}.divisor`, resource, bytesMsg('local ephemeral storage')));
    }
    if ((resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-')) && !DIVISORS_BYTES.includes(d)) {
      errs.push(invalid(`${path}.divisor`, resource, bytesMsg('hugepages')));
    }
  }
  return errs;
}
