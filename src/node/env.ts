// A container's environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables):
// envFrom first, then env in order (a value expands $(VAR) over what came before and the
// service variables; valueFrom reads the pod, its resources, ConfigMaps and Secrets), then the
// service variables nothing else set (pkg/kubelet/envvars/envvars.go).
import type { Container, ResourceFieldSelector } from 'kubernetes-types/core/v1.js';
import type { ConfigMap, Pod, Secret, Service } from '../api/kinds.js';
import { goQuote } from '../api/go-quote.js';
import { parseQuantity, type Quantity } from '../api/quantity.js';

/** The namespace of the `kubernetes` Service, whose variables every pod gets. */
const MASTER_NAMESPACE = 'default';
const MASTER_SERVICES = new Set(['kubernetes']);

/** Why a container cannot start: the kubelet's CreateContainerConfigError. */
export class EnvError extends Error {}

export interface EnvSources {
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
  /** All Services the node knows (any namespace). */
  services(): Service[];
  podIPs: string[];
  hostIPs: string[];
  /** Node allocatable: the value of a limit the container does not set. */
  nodeAllocatable: Record<string, string>;
  /** Skipped envFrom keys, reported as an InvalidEnvironmentVariableNames event. */
  warn?(reason: string, message: string): void;
}

// ==== $(VAR) expansion (third_party/forked/golang/expansion) ====

export type Mapping = (name: string) => string;

export function mappingFor(...contexts: Map<string, string>[]): Mapping {
  return (name) => {
    for (const c of contexts) if (c.has(name)) return c.get(name)!;
    return `$(${name})`;
  };
}

/** Expand: `$(NAME)` becomes its value, `$$` a `$`; unknown or unclosed references stay as written. */
export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') out += '$';
    else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close >= 0) {
        out += mapping(rest.slice(1, close));
        advance = close + 1;
      } else out += '$(';
    } else out += `$${rest[0]}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

// ==== the service variables ====

const envName = (s: string) => s.replaceAll('-', '_').toUpperCase();

const clusterIPOf = (svc: Service) => svc.spec?.clusterIP ?? '';
const isServiceIPSet = (svc: Service) => {
  const ip = clusterIPOf(svc);
  return ip !== '' && ip !== 'None';
};

/** FromServices: HOST, PORT and named ports, then the Docker link variables of every port. */
export function serviceEnv(services: Service[]): [string, string][] {
  const out: [string, string][] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const ports = svc.spec?.ports ?? [];
    if (!ports.length) continue;
    const ip = clusterIPOf(svc);
    const prefix = envName(svc.metadata.name ?? '');
    out.push([`${prefix}_SERVICE_HOST`, ip]);
    out.push([`${prefix}_SERVICE_PORT`, String(ports[0]!.port)]);
    for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
    const hostPort = (port: number) => (ip.includes(':') ? `[${ip}]:${String(port)}` : `${ip}:${String(port)}`);
    ports.forEach((p, i) => {
      const protocol = p.protocol || 'TCP';
      const url = `${protocol.toLowerCase()}://${hostPort(p.port)}`;
      if (i === 0) out.push([`${prefix}_PORT`, url]);
      const portPrefix = `${prefix}_PORT_${String(p.port)}_${protocol.toUpperCase()}`;
      out.push([portPrefix, url], [`${portPrefix}_PROTO`, protocol.toLowerCase()], [`${portPrefix}_PORT`, String(p.port)], [`${portPrefix}_ADDR`, ip]);
    });
  }
  return out;
}

/** getServiceEnvVarMap: the master services always, the namespace's own with enableServiceLinks. */
export function serviceEnvMap(all: Service[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const byName = new Map<string, Service>();
  for (const svc of all) {
    if (!isServiceIPSet(svc)) continue;
    const name = svc.metadata.name ?? '';
    const ns = svc.metadata.namespace ?? '';
    if (ns === MASTER_NAMESPACE && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, svc);
    } else if (ns === namespace && enableServiceLinks) byName.set(name, svc);
  }
  const sorted = [...byName.keys()].sort().map((n) => byName.get(n)!);
  return new Map(serviceEnv(sorted));
}

// ==== the downward API ====

/** fieldpath.FormatMap: `key="value"` lines, keys sorted. */
export function formatMap(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return keys.map((k) => `${k}=${goQuote(m![k]!)}`).join('\n');
}

const SUBSCRIPTED = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/;

/** fieldpath.ExtractFieldPathAsString: the metadata a pod's downward API may read. */
export function extractFieldPath(pod: Pod, fieldPath: string): string {
  const m = SUBSCRIPTED.exec(fieldPath);
  if (m) {
    const map = m[1] === 'metadata.labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[m[2]!] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
  }
  throw new EnvError(`unsupported fieldPath: ${fieldPath}`);
}

/** podFieldSelectorRuntimeValue: the spec and status fields, then the metadata ones. */
export function podFieldValue(pod: Pod, fieldPath: string, podIPs: string[], hostIPs: string[]): string {
  switch (fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
  }
  return extractFieldPath(pod, fieldPath);
}

const milliValue = (q: Quantity) => {
  const n = q.num * 1000n;
  return n % q.den === 0n ? n / q.den : n / q.den + (n > 0n ? 1n : 0n);
};
const value = (q: Quantity) => (q.num % q.den === 0n ? q.num / q.den : q.num / q.den + (q.num > 0n ? 1n : 0n));
const ceilDiv = (a: bigint, b: bigint): bigint => (b === 0n ? 0n : a % b === 0n ? a / b : a / b + (a > 0n === b > 0n ? 1n : 0n));

/**
 * ExtractContainerResourceValue over a container whose unset limits are the node's allocatable
 * (defaultPodLimitsForDownwardAPI): cpu rounds up in the divisor's millis, the rest in units.
 */
export function containerResourceValue(ref: ResourceFieldSelector, container: Container, nodeAllocatable: Record<string, string>): string {
  const resource = ref.resource;
  const divisor = parseQuantity(ref.divisor ?? '1');
  const div = divisor && divisor.num !== 0n ? divisor : parseQuantity('1')!;
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  if (dot < 0 || (kind !== 'limits' && kind !== 'requests')) throw new EnvError(`unsupported container resource : ${resource}`);
  if (!['cpu', 'memory', 'ephemeral-storage'].includes(name) && !name.startsWith('hugepages-')) throw new EnvError(`unsupported container resource : ${resource}`);
  let raw = container.resources?.[kind]?.[name];
  if (raw === undefined && kind === 'limits') raw = nodeAllocatable[name];
  const q = parseQuantity(raw ?? '0') ?? parseQuantity('0')!;
  if (name === 'cpu') return String(ceilDiv(milliValue(q), milliValue(div)));
  return String(ceilDiv(value(q), value(div)));
}

// ==== the whole environment ====

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is on in 1.32): printable ASCII but '='. */
const isEnvVarName = (k: string) => k.length > 0 && /^[\x20-\x3c\x3e-\x7e]+$/.test(k);

const dataOf = (o: ConfigMap | Secret | undefined): Record<string, string> => o?.data ?? {};
const secretValue = (v: string) => Buffer.from(v, 'base64').toString('utf8');

/** The container's environment, in the kubelet's order; throws EnvError for a missing source. */
export function containerEnv(pod: Pod, container: Container, src: EnvSources): Record<string, string> {
  const namespace = pod.metadata.namespace ?? '';
  const services = serviceEnvMap(src.services(), namespace, pod.spec?.enableServiceLinks !== false);
  const tmp = new Map<string, string>();
  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  const getConfigMap = (name: string, optional: boolean): ConfigMap | undefined => {
    let cm = configMaps.get(name);
    if (!cm) {
      cm = src.configMap(namespace, name);
      if (!cm) {
        if (optional) return undefined;
        throw new EnvError(`configmap ${JSON.stringify(name)} not found`);
      }
      configMaps.set(name, cm);
    }
    return cm;
  };
  const getSecret = (name: string, optional: boolean): Secret | undefined => {
    let s = secrets.get(name);
    if (!s) {
      s = src.secret(namespace, name);
      if (!s) {
        if (optional) return undefined;
        throw new EnvError(`secret ${JSON.stringify(name)} not found`);
      }
      secrets.set(name, s);
    }
    return s;
  };

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    const cmRef = from.configMapRef;
    const ref = cmRef ?? from.secretRef;
    if (!ref) continue;
    const name = ref.name ?? '';
    const source = cmRef ? getConfigMap(name, ref.optional === true) : getSecret(name, ref.optional === true);
    if (!source) continue;
    const invalid: string[] = [];
    for (const [k0, v] of Object.entries(dataOf(source))) {
      const k = prefix + k0;
      if (!isEnvVarName(k)) {
        invalid.push(k);
        continue;
      }
      tmp.set(k, cmRef ? v : secretValue(v));
    }
    if (invalid.length) {
      invalid.sort();
      src.warn?.(
        'InvalidEnvironmentVariableNames',
        `Keys [${invalid.join(', ')}] from the EnvFrom ${cmRef ? 'configMap' : 'secret'} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  const mapping = mappingFor(tmp, services);
  for (const e of container.env ?? []) {
    const name = e.name;
    let v = e.value ?? '';
    const from = e.valueFrom;
    if (v !== '') v = expand(v, mapping);
    else if (from) {
      const { fieldRef, resourceFieldRef: resourceRef, configMapKeyRef: cmKey, secretKeyRef: secretKey } = from;
      if (fieldRef) v = podFieldValue(pod, fieldRef.fieldPath, src.podIPs, src.hostIPs);
      else if (resourceRef) {
        const target = resourceRef.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === resourceRef.containerName) : container;
        v = containerResourceValue(resourceRef, target ?? container, src.nodeAllocatable);
      } else if (cmKey) {
        const optional = cmKey.optional === true;
        const cm = getConfigMap(cmKey.name ?? '', optional);
        if (!cm) continue;
        const data = dataOf(cm);
        const key = cmKey.key;
        if (!Object.hasOwn(data, key)) {
          if (optional) continue;
          throw new EnvError(`couldn't find key ${key} in ConfigMap ${namespace}/${cmKey.name ?? ''}`);
        }
        v = data[key]!;
      } else if (secretKey) {
        const optional = secretKey.optional === true;
        const s = getSecret(secretKey.name ?? '', optional);
        if (!s) continue;
        const data = dataOf(s);
        const key = secretKey.key;
        if (!Object.hasOwn(data, key)) {
          if (optional) continue;
          throw new EnvError(`couldn't find key ${key} in Secret ${namespace}/${secretKey.name ?? ''}`);
        }
        v = secretValue(data[key]!);
      }
    }
    tmp.set(name, v);
  }

  const out: Record<string, string> = {};
  for (const [k, v] of tmp) out[k] = v;
  for (const [k, v] of services) if (!tmp.has(k)) out[k] = v;
  return out;
}
