// core/v1 Node: a machine that runs pods. Cluster-scoped; the kubelet registers it with its status
// and keeps the status current through /status.
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { isQualifiedName, isValidLabelValue } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { node } from '../schemas/core.js';
import { parseCIDR, validateCIDR } from './endpoints.js';
import { goQuote } from '../../api/go-quote.js';
import { goStringStruct, goValue } from './go-values.js';
import { canonicalizeResourceList, formatQuantity, parseQuantity } from './persistentvolumeclaims.js';
import { age } from '../../api/duration.js';
import { specToFill, statusOf } from '../narrow.js';

interface Taint {
  key?: string;
  value?: string;
  effect?: string;
  timeAdded?: string;
}
interface NodeSpec {
  podCIDR?: string;
  podCIDRs?: string[];
  providerID?: string;
  unschedulable?: boolean;
  taints?: Taint[];
  configSource?: unknown;
  externalID?: string;
}
interface NodeAddress {
  type?: string;
  address?: string;
}
interface NodeStatus {
  capacity?: Record<string, unknown>;
  allocatable?: Record<string, unknown>;
  conditions?: { type?: string; status?: string }[];
  addresses?: NodeAddress[];
  nodeInfo?: Record<string, string>;
  daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const NODE_INFO_FIELDS = ['architecture', 'bootID', 'containerRuntimeVersion', 'kernelVersion', 'kubeProxyVersion', 'kubeletVersion', 'machineID', 'operatingSystem', 'osImage', 'systemUUID'];
const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';
/** Resources whose quantities must be whole numbers (helper.IsIntegerResourceName, for node lists). */
const INTEGER_RESOURCES = new Set(['pods']);


/**
 * The status Go always writes: the kubelet endpoint port and every nodeInfo string, empty or not.
 * Allocatable defaults to the capacity (SetDefaults_NodeStatus).
 */
function completeStatus(o: KubeObject): void {
  const status = { ...statusOf<NodeStatus>(o) };
  status.daemonEndpoints = { ...status.daemonEndpoints, kubeletEndpoint: { Port: 0, ...status.daemonEndpoints?.kubeletEndpoint } };
  status.nodeInfo = Object.fromEntries(NODE_INFO_FIELDS.map((k) => [k, status.nodeInfo?.[k] ?? ''])) as Record<string, string>;
  const extra = Object.entries(statusOf<NodeStatus>(o).nodeInfo ?? {}).filter(([k]) => !NODE_INFO_FIELDS.includes(k));
  for (const [k, v] of extra) status.nodeInfo[k] = v;
  if (status.allocatable === undefined && status.capacity !== undefined) status.allocatable = { ...status.capacity };
  canonicalizeResourceList(status.capacity);
  canonicalizeResourceList(status.allocatable);
  o.status = status;
}

/** v1 podCIDR ⇄ podCIDRs (Convert_v1_NodeSpec_To_core_NodeSpec and back): podCIDR wins when they differ. */
function syncPodCIDRs(s: NodeSpec): void {
  if (s.podCIDR && (!s.podCIDRs?.length || s.podCIDRs[0] !== s.podCIDR)) s.podCIDRs = [s.podCIDR];
  if (s.podCIDRs?.length) s.podCIDR = s.podCIDRs[0];
}

const goTaint = (t: Taint) =>
  goValue(t, `core.Taint{Key:${goQuote(t.key ?? '')}, Value:${goQuote(t.value ?? '')}, Effect:${goQuote(t.effect ?? '')}, TimeAdded:(*v1.Time)(nil)}`);
const goAddress = (a: NodeAddress) => goStringStruct('core.NodeAddress', [['Type', a.type], ['Address', a.address]], a);

/** validateNodeTaints; upstream hands it the metadata path, so errors read metadata.taints[i]. */
function validateTaints(taints: Taint[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  taints.forEach((t, i) => {
    const path = `metadata.taints[${i}]`;
    const key = t.key ?? '';
    for (const msg of isQualifiedName(key)) errs.push(invalid(`${path}.key`, key, msg));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length) errs.push(invalid(`${path}.value`, t.value ?? '', valueErrs.join(';')));
    if (!t.effect) errs.push(required(`${path}.effect`));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(`${path}.effect`, t.effect, TAINT_EFFECTS));
    const keys = seen.get(t.effect ?? '') ?? new Set<string>();
    if (keys.has(key)) {
      errs.push({ ...duplicate(path, goTaint(t)), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    keys.add(key);
    seen.set(t.effect ?? '', keys);
  });
  return errs;
}

/** ValidateNodeResources: capacity and allocatable quantities are not negative. */
function validateResources(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = statusOf<NodeStatus>(o);
  for (const [list, values] of [['capacity', status.capacity], ['allocatable', status.allocatable]] as const) {
    for (const [k, v] of Object.entries(values ?? {})) {
      const q = parseQuantity(v);
      if (!q) continue;
      const path = `status.${list}.${k}`;
      // The first names the value's String(), the second the Quantity itself (a Stringer, unquoted).
      if (q.nano < 0n) errs.push(invalid(path, formatQuantity(q), 'must be greater than or equal to 0'));
      if (INTEGER_RESOURCES.has(k) && q.nano % 1_000_000_000n !== 0n) errs.push(invalid(path, goValue(formatQuantity(q), formatQuantity(q)), 'must be an integer'));
    }
  }
  return errs;
}

/** ValidateNode without ObjectMeta (the store checks that). */
function validateNode(o: KubeObject): FieldError[] {
  const s = specToFill<NodeSpec>(o);
  const errs: FieldError[] = [];
  if (s.taints?.length) errs.push(...validateTaints(s.taints));
  errs.push(...validateResources(o));
  const cidrs = s.podCIDRs ?? [];
  if (cidrs.length) {
    cidrs.forEach((c, i) => errs.push(...validateCIDR(c, `spec.podCIDRs[${i}]`)));
    if (cidrs.length > 1) {
      const families = cidrs.map((c) => parseCIDR(c)?.family);
      const dualStack = cidrs.length === 2 && families.every((f) => f) && families[0] !== families[1];
      if (!dualStack) errs.push(invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
      const seen = new Set<string>();
      cidrs.forEach((c, i) => {
        if (seen.has(c)) errs.push(duplicate(`spec.podCIDRs[${i}]`, c));
        seen.add(c);
      });
    }
  }
  return errs;
}

/** ValidateNodeUpdate without ObjectMeta. */
function validateNodeUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const s = specToFill<NodeSpec>(o);
  const prev = specToFill<NodeSpec>(old);
  const errs = validateResources(o);
  const seen = new Set<string>();
  (statusOf<NodeStatus>(o).addresses ?? []).forEach((a, i) => {
    const key = JSON.stringify([a.type ?? '', a.address ?? '']);
    if (seen.has(key)) errs.push(duplicate(`status.addresses[${i}]`, goAddress(a)));
    seen.add(key);
  });
  const oldCIDRs = prev.podCIDRs ?? [];
  const cidrs = s.podCIDRs ?? [];
  const cidrChange = forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid');
  if (oldCIDRs.length) {
    if (oldCIDRs.length !== cidrs.length) errs.push(cidrChange);
    else oldCIDRs.forEach((c, i) => c !== cidrs[i] && errs.push(cidrChange));
  }
  if (prev.providerID && prev.providerID !== s.providerID) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  if (s.taints?.length) errs.push(...validateTaints(s.taints));
  if ((s.externalID ?? '') !== (prev.externalID ?? '')) errs.push(forbidden('spec.externalID', 'may not be updated'));
  return errs;
}

/** printNode's Status: Ready / NotReady / Unknown, then SchedulingDisabled. */
export function nodeStatusCell(o: KubeObject): string {
  const ready = [...(statusOf<NodeStatus>(o).conditions ?? [])].reverse().find((c) => c.type === 'Ready');
  const status = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
  if (specToFill<NodeSpec>(o).unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** findNodeRoles: node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted. */
export function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v) roles.add(v);
  }
  const sorted = [...roles].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return sorted.join(',') || '<none>';
}

const addressOf = (o: KubeObject, type: string) => (statusOf<NodeStatus>(o).addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';

function nodeCells(o: KubeObject, now: Date): unknown[] {
  const info = statusOf<NodeStatus>(o).nodeInfo ?? {};
  const orUnknown = (s: string | undefined) => s || '<unknown>';
  return [
    o.metadata.name,
    nodeStatusCell(o),
    nodeRoles(o),
    age(o.metadata.creationTimestamp, now),
    info.kubeletVersion ?? '',
    addressOf(o, 'InternalIP'),
    addressOf(o, 'ExternalIP'),
    orUnknown(info.osImage),
    orUnknown(info.kernelVersion),
    orUnknown(info.containerRuntimeVersion),
  ];
}

export const nodes: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Node',
  resource: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  schema: node,
  storagePrefix: 'minions',
  hasStatus: true,
  keepStatusOnCreate: true,
  defaults(o) {
    syncPodCIDRs(specToFill<NodeSpec>(o));
    if (o.status !== undefined) completeStatus(o);
  },
  prepareForCreate(o) {
    completeStatus(o);
  },
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
  fields: { 'spec.unschedulable': (o) => String(specToFill<NodeSpec>(o).unschedulable === true) },
  table: {
    columns: [
      nameColumn,
      column('Status', 'The status of the node'),
      column('Roles', 'The roles of the node'),
      ageColumn,
      column('Version', 'Kubelet Version reported by the node.'),
      column('Internal-IP', 'List of addresses reachable to the node.', { priority: 1 }),
      column('External-IP', 'List of addresses reachable to the node.', { priority: 1 }),
      column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
      column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
      column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
    ],
    cells: nodeCells,
  },
};
