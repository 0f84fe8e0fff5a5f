// core/v1 Service: a stable virtual IP and ports in front of a set of pods. Cluster IPs and node
// ports are allocated by the ServiceIPAllocator admission plugin (service-ip-allocator.ts); this
// file holds the strategy: defaults, the clusterIP(s) normalisation, validation and the table.
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { deepEqual, type KubeObject } from '../../api/meta.js';
import { formatLabels } from '../../api/labels.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum, validateLabels } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { service } from '../schemas/core.js';
import { familyOf, parseIP, PROTOCOLS, validateCIDR, validateIP, validateNonSpecialIP } from './endpoints.js';
import { goQuote } from '../../api/go-quote.js';
import { goPtr, goValue } from './go-values.js';
import { age } from '../../api/duration.js';
import type { OpContext } from '../../api/operations.js';
import { specToFill } from '../narrow.js';

export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface ServiceSpec {
  type?: string;
  ports?: ServicePort[];
  selector?: Record<string, string>;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  externalIPs?: string[];
  externalName?: string;
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  sessionAffinity?: string;
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  loadBalancerIP?: string;
  loadBalancerSourceRanges?: string[];
  loadBalancerClass?: string;
  allocateLoadBalancerNodePorts?: boolean;
  publishNotReadyAddresses?: boolean;
  trafficDistribution?: string;
}

interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: string;
}

export const CLUSTER_IP_NONE = 'None';
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const MAX_AFFINITY_SECONDS = 86400;
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

const portsOf = (s: ServiceSpec): ServicePort[] => s.ports ?? [];
const ingressOf = (o: KubeObject): LoadBalancerIngress[] =>
  ((o.status as { loadBalancer?: { ingress?: LoadBalancerIngress[] } } | undefined)?.loadBalancer?.ingress) ?? [];

// ---- predicates (pkg/api/service, pkg/registry/core/service) ----

export const isHeadless = (s: ServiceSpec): boolean => s.clusterIPs?.length === 1 && s.clusterIPs[0] === CLUSTER_IP_NONE;
export const needsClusterIP = (s: ServiceSpec): boolean => s.type !== 'ExternalName';
export const needsNodePort = (s: ServiceSpec): boolean => s.type === 'NodePort' || s.type === 'LoadBalancer';
export const externallyAccessible = (s: ServiceSpec): boolean =>
  s.type === 'LoadBalancer' || s.type === 'NodePort' || (s.type === 'ClusterIP' && (s.externalIPs?.length ?? 0) > 0);
export const needsHealthCheck = (s: ServiceSpec): boolean => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
/** NodePort services always get node ports; LoadBalancers unless allocateLoadBalancerNodePorts is false. */
export const shouldAllocateNodePorts = (s: ServiceSpec): boolean =>
  s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
const sameList = (a: unknown[] | undefined, b: unknown[] | undefined): boolean => deepEqual(a ?? [], b ?? []);

// ---- defaults and normalisation ----

/** SetDefaults_Service (plus the `loadBalancer: {}` Go always prints in the status). */
function setDefaults(o: KubeObject): void {
  const s = specToFill<ServiceSpec>(o);
  if (!s.sessionAffinity) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP' && s.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!s.type) s.type = 'ClusterIP';
  for (const p of portsOf(s)) {
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port ?? 0;
  }
  if (externallyAccessible(s) && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster';
  if (s.internalTrafficPolicy === undefined && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type)) s.internalTrafficPolicy = 'Cluster';
  if (s.type === 'LoadBalancer') {
    if (s.allocateLoadBalancerNodePorts === undefined) s.allocateLoadBalancerNodePorts = true;
    for (const ing of ingressOf(o)) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
  if (o.status !== undefined) {
    const status = (typeof o.status === 'object' && o.status !== null ? o.status : {}) as Record<string, unknown>;
    o.status = { ...status, loadBalancer: status.loadBalancer ?? {} };
  }
}

/**
 * NormalizeClusterIPs: keep clusterIP and clusterIPs in step for clients that set only one of them
 * (`old` is undefined on create).
 */
export function normalizeClusterIPs(old: ServiceSpec | undefined, s: ServiceSpec): void {
  if (!old) {
    if (s.clusterIP && !s.clusterIPs?.length) s.clusterIPs = [s.clusterIP];
    return;
  }
  if (old.clusterIPs?.length && !s.clusterIPs?.length && (old.clusterIP ?? '') === (s.clusterIP ?? '')) s.clusterIPs = [...old.clusterIPs];
  if ((old.clusterIP ?? '') !== (s.clusterIP ?? '')) {
    if (old.clusterIP && !s.clusterIP) {
      if (sameList(old.clusterIPs, s.clusterIPs)) delete s.clusterIPs;
    } else if (sameList(old.clusterIPs, s.clusterIPs)) {
      s.clusterIPs = [s.clusterIP ?? ''];
    }
  }
}

/** patchAllocatedValues: an update that leaves out allocated values (cluster IPs, node ports) keeps them. */
export function patchAllocatedValues(s: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && needsClusterIP(s)) {
    if (!s.clusterIP && old.clusterIP) s.clusterIP = old.clusterIP;
    if (!s.clusterIPs?.length && old.clusterIPs?.length) s.clusterIPs = [...old.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(s)) {
    const used = (x: ServiceSpec) => new Set(portsOf(x).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
    const newUsed = used(s);
    const taken = new Set([...used(old)].filter((n) => newUsed.has(n)));
    const byName = new Map(portsOf(old).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of portsOf(s)) {
      if (p.nodePort) continue;
      const oldVal = byName.get(p.name ?? '') ?? 0;
      if (oldVal && !taken.has(oldVal)) p.nodePort = oldVal;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(s) && !s.healthCheckNodePort && old.healthCheckNodePort) s.healthCheckNodePort = old.healthCheckNodePort;
}

/** dropTypeDependentFields: switching type wipes what only the old type used, unless the user changed it. */
function dropTypeDependentFields(s: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && !needsClusterIP(s)) {
    if (sameList(old.clusterIPs, s.clusterIPs)) {
      delete s.clusterIP;
      delete s.clusterIPs;
    }
    if (sameList(old.ipFamilies, s.ipFamilies)) delete s.ipFamilies;
    if (old.ipFamilyPolicy === s.ipFamilyPolicy) delete s.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(s)) {
    const nodePorts = (x: ServiceSpec) => portsOf(x).map((p) => p.nodePort ?? 0);
    if (sameList(nodePorts(old), nodePorts(s))) for (const p of portsOf(s)) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(s) && old.healthCheckNodePort === s.healthCheckNodePort) delete s.healthCheckNodePort;
  if (old.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (s.allocateLoadBalancerNodePorts !== undefined && old.allocateLoadBalancerNodePorts === s.allocateLoadBalancerNodePorts) delete s.allocateLoadBalancerNodePorts;
    if (old.loadBalancerClass === s.loadBalancerClass) delete s.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(s) && old.externalTrafficPolicy === s.externalTrafficPolicy) delete s.externalTrafficPolicy;
}

/** Whether nothing about the IP families may change (isMatchingPreferDualStackClusterIPFields). */
export function matchingPreferDualStack(s: ServiceSpec, old: ServiceSpec | undefined): boolean {
  if (!old || s.ipFamilyPolicy === undefined || old.type !== s.type) return false;
  const typed = (x: ServiceSpec) => ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(x.type ?? '');
  if (!typed(s) || !typed(old)) return false;
  if (s.ipFamilyPolicy !== 'PreferDualStack' || (old.ipFamilyPolicy !== undefined && old.ipFamilyPolicy !== 'PreferDualStack')) return false;
  return sameList(old.clusterIPs, s.clusterIPs) && sameList(old.ipFamilies, s.ipFamilies);
}

/**
 * initIPFamilyFields for a single-stack IPv4 cluster: defaults ipFamilyPolicy and ipFamilies and
 * refuses what the cluster cannot serve.
 */
export function initIPFamilyFields(s: ServiceSpec, old?: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName' || matchingPreferDualStack(s, old)) return [];
  const configured = ['IPv4'];
  if (s.ipFamilyPolicy === undefined) {
    if (old?.ipFamilyPolicy !== undefined) s.ipFamilyPolicy = old.ipFamilyPolicy;
    else if (s.clusterIP === CLUSTER_IP_NONE && !Object.keys(s.selector ?? {}).length) s.ipFamilyPolicy = 'RequireDualStack';
    else s.ipFamilyPolicy = 'SingleStack';
  }
  const pre = validateClusterIPsRelatedFields(s);
  if (pre.length) return pre;
  const errs: FieldError[] = [];
  const policy = s.ipFamilyPolicy;
  if (old) {
    if (policy === 'SingleStack') {
      if (sameList(old.clusterIPs, s.clusterIPs) && (s.clusterIPs?.length ?? 0) > 1) s.clusterIPs = s.clusterIPs!.slice(0, 1);
      if (sameList(old.ipFamilies, s.ipFamilies) && (s.ipFamilies?.length ?? 0) > 1) s.ipFamilies = s.ipFamilies!.slice(0, 1);
    } else {
      const reduced = (n: string[] | undefined, o: string[] | undefined) => (n?.length ?? 0) > 0 && n!.length < (o?.length ?? 0);
      if (reduced(s.clusterIPs, old.clusterIPs)) errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary cluster IP"));
      if (reduced(s.ipFamilies, old.ipFamilies)) errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary IP family"));
    }
  }
  if (policy === 'SingleStack') {
    if (s.clusterIPs?.length === 2) errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (s.ipFamilies?.length === 2) errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  const clusterIPs = s.clusterIPs ?? [];
  for (let i = 0; i < clusterIPs.length; i++) {
    const ip = clusterIPs[i]!;
    if (ip === CLUSTER_IP_NONE) break;
    const fam = familyOf(parseIP(ip)!);
    if (i >= (s.ipFamilies?.length ?? 0)) {
      if (!configured.includes(fam)) errs.push(invalid(`spec.clusterIPs[${i}]`, clusterIPs, `${fam} is not configured on this cluster`));
      else s.ipFamilies = [...(s.ipFamilies ?? []), fam];
    }
  }
  if (errs.length) return errs;

  if (s.clusterIP === CLUSTER_IP_NONE && !Object.keys(s.selector ?? {}).length) {
    // Headless without a selector may name families the cluster does not have.
    if (!s.ipFamilies?.length) s.ipFamilies = [configured[0]!];
    if (s.ipFamilies.length < 2 && policy !== 'SingleStack') s.ipFamilies = [...s.ipFamilies, s.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4'];
    return [];
  }
  if (policy === 'RequireDualStack') errs.push(invalid('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services'));
  (s.ipFamilies ?? []).forEach((fam, i) => {
    if (!configured.includes(fam)) errs.push(invalid(`spec.ipFamilies[${i}]`, fam, 'not configured on this cluster'));
  });
  if (errs.length) return errs;
  if (!s.ipFamilies?.length) s.ipFamilies = [configured[0]!];
  return [];
}

// ---- validation (ValidateService, ValidateServiceUpdate) ----

/** ValidatePortNumOrName */
export function validatePortNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(path, port, msg));
  return isValidPortNum(port ?? 0).map((msg) => invalid(path, port ?? 0, msg));
}

function validateServicePort(p: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(required(`${path}.name`));
  else if (p.name) {
    for (const msg of isDNS1123Label(p.name)) errs.push(invalid(`${path}.name`, p.name, msg));
    if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name));
    else names.add(p.name);
  }
  for (const msg of isValidPortNum(p.port ?? 0)) errs.push(invalid(`${path}.port`, p.port ?? 0, msg));
  if (!p.protocol) errs.push(required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
  errs.push(...validatePortNumOrName(p.targetPort, `${path}.targetPort`));
  if (p.appProtocol !== undefined) for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalid(`${path}.appProtocol`, p.appProtocol, msg));
  return errs;
}

/** %#v of the (protocol, port) key Go uses to find duplicate ports. */
const servicePortKey = (protocol: string, port: number) =>
  goValue(
    { protocol, port },
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );

/** ValidateServiceClusterIPsRelatedFields: clusterIP(s), ipFamilies and ipFamilyPolicy agree. */
export function validateClusterIPsRelatedFields(s: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const clusterIPs = s.clusterIPs ?? [];
  const ipsValue = () => clusterIPs;
  if (s.clusterIP) {
    if (!clusterIPs.length) errs.push(required('spec.clusterIPs'));
    else if (clusterIPs[0] !== s.clusterIP) errs.push(invalid('spec.clusterIPs', ipsValue(), 'first value must match `clusterIP`'));
  } else if (clusterIPs.length) {
    errs.push(invalid('spec.clusterIPs', ipsValue(), 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (s.ipFamilies ?? []).forEach((fam, i) => {
    if (!IP_FAMILIES.includes(fam)) errs.push(notSupported(`spec.ipFamilies[${i}]`, fam, IP_FAMILIES));
    if (seen.has(fam)) errs.push(duplicate(`spec.ipFamilies[${i}]`, fam));
    seen.add(fam);
  });
  if (s.ipFamilyPolicy !== undefined && !IP_FAMILY_POLICIES.includes(s.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  let badIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === CLUSTER_IP_NONE) {
      if (clusterIPs.length > 1) {
        badIPs = true;
        errs.push(invalid('spec.clusterIPs', ipsValue(), "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = validateIP(ip, `spec.clusterIPs[${i}]`);
    if (ipErrs.length) badIPs = true;
    errs.push(...ipErrs);
  });
  if (clusterIPs.length > 2) errs.push(invalid('spec.clusterIPs', ipsValue(), 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (clusterIPs.length > 1) {
    const fams = clusterIPs.map((ip) => familyOf(parseIP(ip)!));
    if (!(clusterIPs.length === 2 && fams[0] !== fams[1])) errs.push(invalid('spec.clusterIPs', ipsValue(), 'may specify no more than one IP for each IP family'));
  }
  const families = s.ipFamilies ?? [];
  if (!isHeadless(s) && clusterIPs.length && families.length) {
    clusterIPs.forEach((ip, i) => {
      if (i > families.length - 1) return;
      const isV6 = familyOf(parseIP(ip)!) === 'IPv6';
      if (families[i] === 'IPv4' && isV6) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !isV6) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateClientIPAffinityConfig(s: ServiceSpec): FieldError[] {
  const path = 'spec.sessionAffinityConfig';
  const why = 'when session affinity type is ClientIP';
  const config = s.sessionAffinityConfig;
  if (!config) return [required(path, why)];
  if (!config.clientIP) return [required(`${path}.clientIP`, why)];
  const timeout = config.clientIP.timeoutSeconds;
  if (timeout === undefined) return [required(`${path}.clientIP.timeoutSeconds`, why)];
  if (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS) {
    return [invalid(`${path}.clientIP.timeoutSeconds`, timeout, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)];
  }
  return [];
}

function validateLoadBalancerClass(s: ServiceSpec, old?: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'spec.loadBalancerClass';
  if (old && old.type === 'LoadBalancer' && s.type === 'LoadBalancer' && old.loadBalancerClass !== s.loadBalancerClass) {
    errs.push(invalid(path, goPtr(s.loadBalancerClass), 'may not change once set'));
  }
  if (s.type === 'LoadBalancer') {
    if (s.loadBalancerClass !== undefined) for (const msg of isQualifiedName(s.loadBalancerClass)) errs.push(invalid(path, s.loadBalancerClass, msg));
  } else if (s.loadBalancerClass !== undefined) {
    errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateTrafficPolicies(s: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (!externallyAccessible(s)) {
    if (s.externalTrafficPolicy) errs.push(invalid('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!s.externalTrafficPolicy) {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(s.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (!needsHealthCheck(s)) {
    if (s.healthCheckNodePort) {
      errs.push(invalid('spec.healthCheckNodePort', s.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (!s.healthCheckNodePort) {
    errs.push(required('spec.healthCheckNodePort'));
  } else {
    for (const msg of isValidPortNum(s.healthCheckNodePort)) errs.push(invalid('spec.healthCheckNodePort', s.healthCheckNodePort, msg));
  }
  if (s.internalTrafficPolicy === undefined) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type ?? '')) errs.push(required('spec.internalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(s.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (s.trafficDistribution !== undefined && s.trafficDistribution !== 'PreferClose') {
    errs.push(notSupported('spec.trafficDistribution', s.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

/** ValidateService without ObjectMeta (the store checks that, with the DNS-1035 label rule). */
export function validateService(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = specToFill<ServiceSpec>(o);
  const annotations = o.metadata.annotations ?? {};
  const mode = annotations[TOPOLOGY_MODE];
  const hints = annotations[TOPOLOGY_HINTS];
  if (mode !== undefined && hints !== undefined && mode !== hints) {
    errs.push(invalid(`metadata.annotations[${TOPOLOGY_MODE}]`, mode, `must match annotations[${TOPOLOGY_HINTS}] when both are specified`));
  }
  const ports = portsOf(s);
  const headless = isHeadless(s);
  if (!ports.length && !headless && s.type !== 'ExternalName') errs.push(required('spec.ports'));
  switch (s.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless) errs.push(invalid('spec.clusterIPs[0]', CLUSTER_IP_NONE, `may not be set to 'None' for ${s.type} services`));
      break;
    case 'ExternalName': {
      if (s.clusterIPs?.length) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (s.ipFamilies?.length) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (s.ipFamilyPolicy !== undefined) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = (s.externalName ?? '').replace(/\.$/, '');
      if (cname) for (const msg of isDNS1123Subdomain(cname)) errs.push(invalid('spec.externalName', cname, msg));
      else errs.push(required('spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (s.selector !== undefined) errs.push(...validateLabels(s.selector, 'spec.selector'));

  if (!s.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!AFFINITIES.includes(s.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', s.sessionAffinity, AFFINITIES));
  if (s.sessionAffinity === 'ClientIP') errs.push(...validateClientIPAffinityConfig(s));
  else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig !== undefined) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  errs.push(...validateClusterIPsRelatedFields(s));
  (s.externalIPs ?? []).forEach((ip, i) => {
    const path = `spec.externalIPs[${i}]`;
    const ipErrs = validateIP(ip, path);
    errs.push(...(ipErrs.length ? ipErrs : validateNonSpecialIP(ip, path)));
  });

  if (!s.type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(s.type)) errs.push(notSupported('spec.type', s.type, SERVICE_TYPES));
  if (s.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol ?? ''}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol ?? ''}/${p.port ?? 0}`;
    if (seenPorts.has(key)) errs.push(duplicate(`spec.ports[${i}]`, servicePortKey(p.protocol ?? '', p.port ?? 0)));
    seenPorts.add(key);
  });

  if (s.loadBalancerSourceRanges?.length) {
    // Upstream names this path with a capital L.
    const path = 'spec.LoadBalancerSourceRanges';
    if (s.type !== 'LoadBalancer') errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    s.loadBalancerSourceRanges.forEach((r, i) => errs.push(...validateCIDR(r.trim(), `${path}[${i}]`)));
  } else if (annotations[SOURCE_RANGES_ANNOTATION] !== undefined) {
    const path = `metadata.annotations[${SOURCE_RANGES_ANNOTATION}]`;
    if (s.type !== 'LoadBalancer') errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    const val = annotations[SOURCE_RANGES_ANNOTATION]!.trim();
    if (val) for (const r of val.split(',')) errs.push(...validateCIDR(r.trim(), path));
  }
  if (s.allocateLoadBalancerNodePorts !== undefined && s.type !== 'LoadBalancer') {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  // Upstream leaves out the spec. prefix here.
  if (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts === undefined) errs.push(required('allocateLoadBalancerNodePorts'));
  errs.push(...validateLoadBalancerClass(s));
  errs.push(...validateTrafficPolicies(s));
  return errs;
}

/** validateUpgradeDowngradeClusterIPs: the primary cluster IP never changes once set. */
function validateClusterIPsUpdate(s: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(old) && isHeadless(s)) return [];
  const errs: FieldError[] = [];
  const oldIPs = old.clusterIPs ?? [];
  const ips = s.clusterIPs ?? [];
  const changed = (i: number) => invalid(`spec.clusterIPs[${i}]`, ips, 'may not change once set');
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(changed(i));
    });
  } else if (oldIPs.length > ips.length) {
    if (!ips.length) errs.push(invalid('spec.clusterIPs[0]', ips, 'primary clusterIP can not be unset'));
    if (oldIPs.length && ips.length && ips[0] !== oldIPs[0]) errs.push(changed(0));
    if (ips.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalid('spec.ipFamilyPolicy', goPtr(s.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length && ips[0] !== oldIPs[0]) {
    errs.push(changed(0));
  }
  return errs;
}

/** validateUpgradeDowngradeIPFamilies */
function validateIPFamiliesUpdate(s: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(s) || isHeadless(old)) return [];
  const errs: FieldError[] = [];
  const oldFams = old.ipFamilies ?? [];
  const fams = s.ipFamilies ?? [];
  const famsValue = goValue(fams, `[]core.IPFamily{${fams.map(goQuote).join(', ')}}`);
  const ipsValue = s.clusterIPs ?? [];
  if (oldFams.length === fams.length) {
    oldFams.forEach((f, i) => {
      if (f !== fams[i]) errs.push(invalid('spec.ipFamilies[0]', famsValue, 'may not change once set'));
    });
  } else if (oldFams.length > fams.length) {
    if (!s.clusterIPs?.length) errs.push(invalid('spec.ipFamilies[0]', famsValue, 'primary ipFamily can not be unset'));
    if (fams.length && fams[0] !== oldFams[0]) errs.push(invalid('spec.ipFamilies[0]', ipsValue, 'may not change once set'));
    if (fams.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalid('spec.ipFamilyPolicy', goPtr(s.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (oldFams.length && fams.length && fams[0] !== oldFams[0]) {
    errs.push(invalid('spec.ipFamilies[0]', ipsValue, 'may not change once set'));
  }
  return errs;
}

/** ValidateLoadBalancerStatus (for writes through /status). */
function validateLoadBalancerStatus(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = specToFill<ServiceSpec>(o);
  const ingress = ingressOf(o);
  const path = 'status.loadBalancer.ingress';
  if (s.type !== 'LoadBalancer' && ingress.length) return [forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'")];
  ingress.forEach((ing, i) => {
    const p = `${path}[${i}]`;
    if (ing.ip) errs.push(...validateIP(ing.ip, `${p}.ip`));
    if (!ing.ipMode) {
      if (ing.ip) errs.push(required(`${p}.ipMode`, 'must be specified when `ip` is set'));
    } else if (!ing.ip) errs.push(forbidden(`${p}.ipMode`, 'may not be specified when `ip` is not set'));
    else if (!['Proxy', 'VIP'].includes(ing.ipMode)) errs.push(notSupported(`${p}.ipMode`, ing.ipMode, ['Proxy', 'VIP']));
    if (ing.hostname) {
      for (const msg of isDNS1123Subdomain(ing.hostname)) errs.push(invalid(`${p}.hostname`, ing.hostname, msg));
      if (parseIP(ing.hostname)) errs.push(invalid(`${p}.hostname`, ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** ValidateServiceUpdate; writes through /status get ValidateServiceStatusUpdate instead. */
function validateServiceUpdate(o: KubeObject, old: KubeObject, _ctx: OpContext, subresource: string): FieldError[] {
  if (subresource === 'status') return validateLoadBalancerStatus(o);
  const s = specToFill<ServiceSpec>(o);
  const prev = specToFill<ServiceSpec>(old);
  const errs = [...validateClusterIPsUpdate(s, prev), ...validateIPFamiliesUpdate(s, prev), ...validateLoadBalancerClass(s, prev)];
  if (needsHealthCheck(prev) && needsHealthCheck(s) && s.healthCheckNodePort !== prev.healthCheckNodePort) {
    errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  // validateLoadBalancerClass(nil, …) inside ValidateService repeats the format checks.
  errs.push(...validateService(o));
  return errs;
}

// ---- table (printers.go printService) ----

function externalIPCell(o: KubeObject): string {
  const s = specToFill<ServiceSpec>(o);
  const external = s.externalIPs ?? [];
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set(ingressOf(o).map((i) => i.ip || i.hostname || '').filter((x) => x))].sort().join(',');
      if (external.length) return [...(lb ? lb.split(',') : []), ...external].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return s.externalName ?? '';
  }
  return '<unknown>';
}

function portsCell(s: ServiceSpec): string {
  const text = portsOf(s)
    .map((p) => (p.nodePort ? `${p.port ?? 0}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port ?? 0}/${p.protocol ?? ''}`))
    .join(',');
  return text || '<none>';
}

export const services: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  schema: service,
  // ValidateServiceName is NameIsDNS1035Label (ResourceDef's type does not list the rule yet).
  nameRule: 'dns1035-label',
  storagePrefix: 'services/specs',
  hasStatus: true,
  allowCreateOnUpdate: true,
  defaults: setDefaults,
  // The ServiceIPAllocator admission plugin has done this already; repeating it is harmless and
  // keeps the IP family fields right when the plugin is not installed.
  prepareForCreate(o) {
    o.status = { loadBalancer: {} };
    normalizeClusterIPs(undefined, specToFill<ServiceSpec>(o));
    initIPFamilyFields(specToFill<ServiceSpec>(o));
  },
  prepareForUpdate(o, old) {
    const s = specToFill<ServiceSpec>(o);
    const prev = specToFill<ServiceSpec>(old);
    patchAllocatedValues(s, prev);
    normalizeClusterIPs(prev, s);
    initIPFamilyFields(s, prev);
    dropTypeDependentFields(s, prev);
  },
  validate: validateService,
  validateUpdate: validateServiceUpdate,
  fields: {
    'spec.clusterIP': (o) => specToFill<ServiceSpec>(o).clusterIP ?? '',
    'spec.type': (o) => specToFill<ServiceSpec>(o).type ?? '',
  },
  table: {
    columns: [
      nameColumn,
      column('Type', 'type determines how the Service is exposed.'),
      column('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
      column('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
      column('Port(s)', 'The list of ports that are exposed by this service.'),
      ageColumn,
      column('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
    ],
    cells(o, now) {
      const s = specToFill<ServiceSpec>(o);
      return [o.metadata.name, s.type ?? '', s.clusterIPs?.[0] ?? '<none>', externalIPCell(o), portsCell(s), age(o.metadata.creationTimestamp, now), formatLabels(s.selector)];
    },
  },
};
