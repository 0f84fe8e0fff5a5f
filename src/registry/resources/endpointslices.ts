// discovery.k8s.io/v1 EndpointSlice: a part of the endpoints behind a service, kept by the
// EndpointSlice controller (pkg/apis/discovery/validation, pkg/registry/discovery/endpointslice).
import { duplicate, invalid, notSupported, required, tooMany, type FieldError } from '../../api/field-errors.js';
import { deepEqual, type KubeObject } from '../../api/meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, validateImmutableField, validateLabels, validateName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { endpointSlice as endpointSliceSchema } from '../schemas/discovery.js';
import { age } from '../../api/duration.js';
import { familyOf, parseIP, PROTOCOLS, validateNonSpecialIP } from './endpoints.js';

export interface SliceEndpoint {
  addresses?: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string };
  deprecatedTopology?: Record<string, string>;
  hints?: { forZones?: { name?: string }[] };
}
export interface SlicePort {
  name?: string;
  protocol?: string;
  port?: number;
  appProtocol?: string;
}
export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: SliceEndpoint[] | null;
  ports?: SlicePort[];
}

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** validation.IsFullyQualifiedDomainName */
function validateFQDN(path: string, value: string): FieldError[] {
  if (!value) return [required(path)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const errs = isDNS1123Subdomain(name);
  if (errs.length) return [invalid(path, name, errs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const msgs = isDNS1123Label(label);
    if (msgs.length) return [invalid(path, label, msgs.join(','))];
  }
  return [];
}

function validateAddress(addressType: string | undefined, path: string, address: string): FieldError[] {
  const ip = parseIP(address);
  switch (addressType) {
    case 'IPv4':
      return ip && familyOf(ip) === 'IPv4' ? validateNonSpecialIP(address, path) : [invalid(path, address, 'must be a valid IPv4 address')];
    case 'IPv6':
      return ip && familyOf(ip) === 'IPv6' ? validateNonSpecialIP(address, path) : [invalid(path, address, 'must be a valid IPv6 address')];
    case 'FQDN':
      return validateFQDN(path, address);
    default:
      return [];
  }
}

function validateEndpoint(e: SliceEndpoint, addressType: string | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const addresses = e.addresses ?? [];
  if (!addresses.length) errs.push(required(`${path}.addresses`, 'must contain at least 1 address'));
  else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(`${path}.addresses`, addresses.length, MAX_ADDRESSES));
  addresses.forEach((a, i) => errs.push(...validateAddress(addressType, `${path}.addresses[${i}]`, a)));
  if (e.nodeName !== undefined) for (const msg of validateName(e.nodeName, 'subdomain', false)) errs.push(invalid(`${path}.nodeName`, e.nodeName, msg));
  const topology = e.deprecatedTopology ?? {};
  if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS) errs.push(tooMany(`${path}.deprecatedTopology`, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
  errs.push(...validateLabels(topology, `${path}.deprecatedTopology`));
  if (ZONE_LABEL in topology) errs.push({ type: 'InternalError', field: `${path}.deprecatedTopology[${ZONE_LABEL}]`, value: '', detail: 'reserved key was not removed in conversion' });
  if (e.hostname !== undefined) for (const msg of isDNS1123Label(e.hostname)) errs.push(invalid(`${path}.hostname`, e.hostname, msg));
  if (e.hints) errs.push(...validateHints(e.hints, `${path}.hints`));
  return errs;
}

function validateHints(hints: NonNullable<SliceEndpoint['hints']>, path: string): FieldError[] {
  const zones = hints.forZones ?? [];
  if (zones.length > MAX_ZONE_HINTS) return [tooMany(`${path}.forZones`, zones.length, MAX_ZONE_HINTS)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const zonePath = `${path}.forZones[${i}].name`;
    const name = z.name ?? '';
    if (seen.has(name)) errs.push(duplicate(zonePath, name));
    seen.add(name);
    for (const msg of isValidLabelValue(name)) errs.push(invalid(zonePath, name, msg));
  });
  return errs;
}

function validatePorts(ports: SlicePort[]): FieldError[] {
  if (ports.length > MAX_PORTS) return [tooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `ports[${i}]`;
    const name = p.name ?? '';
    if (name) for (const msg of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
    if (p.protocol === undefined) errs.push(required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
    if (p.appProtocol !== undefined) for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalid(`${path}.appProtocol`, p.appProtocol, msg));
  });
  return errs;
}

/** ValidateEndpointSlice without ObjectMeta (the store checks that). */
export function validateEndpointSlice(o: KubeObject): FieldError[] {
  const s = o as EndpointSlice;
  const errs: FieldError[] = [];
  if (!s.addressType) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(s.addressType)) errs.push(notSupported('addressType', s.addressType, ADDRESS_TYPES));
  const endpoints = s.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS) errs.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  else endpoints.forEach((e, i) => errs.push(...validateEndpoint(e, s.addressType, `endpoints[${i}]`)));
  errs.push(...validatePorts(s.ports ?? []));
  return errs;
}

/** printers.go listWithMoreString: up to three entries, then "+ N more...", or <unset>. */
function listWithMore(items: string[]): string {
  const max = 3;
  const ret = items.slice(0, max).join(',');
  if (items.length > max) return `${ret} + ${items.length - max} more...`;
  return ret || '<unset>';
}

/** formatDiscoveryPorts: the port number, else its name, else "*". */
export const formatSlicePorts = (s: EndpointSlice): string => listWithMore((s.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*'))));

/** formatDiscoveryEndpoints: every address of every endpoint. */
export const formatSliceEndpoints = (s: EndpointSlice): string => listWithMore((s.endpoints ?? []).flatMap((e) => e.addresses ?? []));

export const endpointslices: ResourceDef = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  resource: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  schema: endpointSliceSchema,
  hasGeneration: true,
  // The generation moves when the addresses, ports or address type do.
  specChanged: (o, old) => ['addressType', 'endpoints', 'ports'].some((k) => !deepEqual((o as EndpointSlice)[k as keyof EndpointSlice], (old as EndpointSlice)[k as keyof EndpointSlice])),
  defaults(o) {
    // SetDefaults_EndpointPort: an unnamed port is named "", and speaks TCP unless it says otherwise.
    for (const p of (o as EndpointSlice).ports ?? []) {
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },
  validate: validateEndpointSlice,
  validateUpdate: (o, old) => [...validateEndpointSlice(o), ...validateImmutableField((o as EndpointSlice).addressType, (old as EndpointSlice).addressType, 'addressType')],
  table: {
    columns: [
      nameColumn,
      column('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
      column('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
      column('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
      ageColumn,
    ],
    cells: (o, now) => [o.metadata.name, (o as EndpointSlice).addressType ?? '', formatSlicePorts(o as EndpointSlice), formatSliceEndpoints(o as EndpointSlice), age(o.metadata.creationTimestamp, now)],
  },
};
