// networking.k8s.io/v1 NetworkPolicy: the traffic allowed to and from a set of pods. Stored and
// validated, not enforced (as on a cluster whose network plugin does not enforce policies). Facts
// from pkg/apis/networking/validation, pkg/apis/networking/v1/defaults.go and printNetworkPolicy.
import { forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { formatLabelSelector, validateLabelSelectorObject, type LabelSelectorObject } from '../../api/labels.js';
import type { KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { isValidPortName, isValidPortNum } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { specOf } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { networkPolicy } from '../schemas/networking.js';
import { parseCIDR } from './endpoints.js';
import { goValue } from './go-values.js';

interface Port {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface Peer {
  podSelector?: LabelSelectorObject;
  namespaceSelector?: LabelSelectorObject;
  ipBlock?: { cidr?: string; except?: string[] };
}
interface Spec {
  podSelector?: LabelSelectorObject;
  ingress?: { ports?: Port[]; from?: Peer[] }[];
  egress?: { ports?: Port[]; to?: Peer[] }[];
  policyTypes?: string[];
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort. */
function setDefaults(o: KubeObject): void {
  const spec = specOf<Spec>(o);
  if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  const rules = [...(spec.ingress ?? []), ...(spec.egress ?? [])];
  for (const port of rules.flatMap((r) => r.ports ?? [])) port.protocol ??= 'TCP';
}

type Cidr = NonNullable<ReturnType<typeof parseCIDR>>;

/** IPNet.Contains of the network address of `inner` (both as 16 bytes, IPv4 mapped into IPv6). */
function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family) return false;
  const prefix = outer.bits + (outer.family === 'IPv4' ? 96 : 0);
  for (let bit = 0; bit < prefix; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((outer.ip[bit >> 3]! & mask) !== (inner.ip[bit >> 3]! & mask)) return false;
  }
  return true;
}

/** ValidateIPBlock. */
function validateIPBlock(block: NonNullable<Peer['ipBlock']>, path: string): FieldError[] {
  if (!block.cidr) return [required(`${path}.cidr`)];
  const cidr = parseCIDR(block.cidr);
  if (!cidr) return [invalid(`${path}.cidr`, block.cidr, 'not a valid CIDR')];
  const errs: FieldError[] = [];
  for (const [i, s] of (block.except ?? []).entries()) {
    const except = parseCIDR(s);
    if (!except) return [...errs, invalid(`${path}.except[${i}]`, s, 'not a valid CIDR')];
    if (!contains(cidr, except) || cidr.bits >= except.bits) errs.push(invalid(`${path}.except[${i}]`, s, 'must be a strict subset of `cidr`'));
  }
  return errs;
}

/** ValidateNetworkPolicyPort. */
function validatePort(port: Port, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  if (typeof port.port === 'number') {
    for (const msg of isValidPortNum(port.port)) errs.push(invalid(`${path}.port`, port.port, msg));
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) errs.push(invalid(`${path}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
      for (const msg of isValidPortNum(port.endPort)) errs.push(invalid(`${path}.endPort`, port.endPort, msg));
    }
  } else if (port.port !== undefined) {
    if (port.endPort !== undefined) errs.push(invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
    for (const msg of isValidPortName(port.port)) errs.push(invalid(`${path}.port`, port.port, msg));
  } else if (port.endPort !== undefined) {
    errs.push(invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

/** ValidateNetworkPolicyPeer. */
function validatePeer(peer: Peer, path: string, allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (peer.podSelector) errs.push(...validateLabelSelectorObject(peer.podSelector, `${path}.podSelector`, { allowInvalidLabelValueInSelector }));
  if (peer.namespaceSelector) errs.push(...validateLabelSelectorObject(peer.namespaceSelector, `${path}.namespaceSelector`, { allowInvalidLabelValueInSelector }));
  if (peer.ipBlock) errs.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  const peers = [peer.podSelector, peer.namespaceSelector, peer.ipBlock].filter((p) => p).length;
  if (peers === 0) errs.push(required(path, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** ValidateNetworkPolicySpec. */
function validateSpec(o: KubeObject, allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const spec = specOf<Spec>(o);
  const errs = validateLabelSelectorObject(spec.podSelector ?? {}, 'spec.podSelector', { allowInvalidLabelValueInSelector });
  const rules = [
    ...(spec.ingress ?? []).map((r, i) => ({ path: `spec.ingress[${i}]`, ports: r.ports, peersField: 'from', peers: r.from })),
    ...(spec.egress ?? []).map((r, i) => ({ path: `spec.egress[${i}]`, ports: r.ports, peersField: 'to', peers: r.to })),
  ];
  for (const rule of rules) {
    (rule.ports ?? []).forEach((port, i) => errs.push(...validatePort(port, `${rule.path}.ports[${i}]`)));
    (rule.peers ?? []).forEach((peer, i) => errs.push(...validatePeer(peer, `${rule.path}.${rule.peersField}[${i}]`, allowInvalidLabelValueInSelector)));
  }
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) {
    const text = `[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`;
    return [...errs, invalid('spec.policyTypes', goValue(types, text), 'may not specify more than two policyTypes')];
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  return errs;
}

export const networkPolicies: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  resource: 'networkpolicies',
  singular: 'networkpolicy',
  shortNames: ['netpol'],
  namespaced: true,
  schema: networkPolicy,
  hasGeneration: true,
  defaults: setDefaults,
  validate: (o) => validateSpec(o, false),
  // A pod selector stored before label values were checked may keep its invalid values.
  validateUpdate: (o, old) => validateSpec(o, validateLabelSelectorObject(specOf<Spec>(old).podSelector, 'spec.podSelector').length > 0),
  table: {
    columns: [
      nameColumn,
      column(
        'Pod-Selector',
        'Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.',
      ),
      ageColumn,
    ],
    cells: (o, now) => [o.metadata.name, formatLabelSelector(specOf<Spec>(o).podSelector ?? {}), age(o.metadata.creationTimestamp, now)],
  },
};
