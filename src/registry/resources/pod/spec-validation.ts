// ValidatePodSpec and ValidatePodTemplateSpec (pkg/apis/core/validation) with Kubernetes 1.32's
// messages and error order; the parts are in the *-validation.ts files beside this one.
// Pod-only rules (create, update immutability) are in pod-validation.ts.
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../api/field-errors.js';
import type { ObjectMeta } from '../../../api/meta.js';
import { inclusiveRangeError, validateAnnotations, validateLabels, validateName } from '../../../api/validation.js';
import { MIRROR_POD_ANNOTATION, POD_DELETION_COST_ANNOTATION } from '../../../api/well-known.js';
import { validateContainers, validateEphemeralContainers, validateInitContainers } from './containers-validation.js';
import { dns1123Label, dns1123Subdomain, qualifiedName, validIP } from './field-checks.js';
import { validateAffinity, validateTolerations, validateTopologySpread } from './scheduling-validation.js';
import { validatePodSecurityContext } from './security-context-validation.js';
import { validateResources } from './resources-validation.js';
import { validateVolumes } from './volumes-validation.js';
import { MAX_INT32 } from './values.js';
import { list, num, obj, type Obj, str } from '../../narrow.js';

export interface PodSpecValidationOptions {
  /** The spec is a Pod's, not a template's (hostPort must then equal containerPort with hostNetwork). */
  resourceIsPod?: boolean;
  /** The pod's metadata, to check the names of the claims ephemeral volumes create. */
  podMeta?: ObjectMeta;
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const OS_NAMES = ['linux', 'windows'];

function validateDNSConfig(spec: Obj, path: string): FieldError[] {
  const cfg = obj(spec.dnsConfig);
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!list(cfg.nameservers).length) return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!cfg) return [];
  const errs: FieldError[] = [];
  const nameservers = list(cfg.nameservers).map(str);
  if (nameservers.length > 3) errs.push(invalid(`${path}.nameservers`, nameservers, 'must not have more than 3 nameservers'));
  nameservers.forEach((ns, i) => errs.push(...validIP(ns, `${path}.nameservers[${i}]`)));
  const searches = list(cfg.searches).map(str);
  if (searches.length > 32) errs.push(invalid(`${path}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(invalid(`${path}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => errs.push(...dns1123Subdomain(s.endsWith('.') ? s.slice(0, -1) : s, `${path}.searches[${i}]`)));
  list(cfg.options).forEach((o, i) => {
    if (!str(obj(o)?.name)) errs.push(required(`${path}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}

/** ValidatePodSpec, with the v1 field layout (hostNetwork and friends on the spec). */
export function validatePodSpec(spec: unknown, path: string, opts: PodSpecValidationOptions = {}): FieldError[] {
  const s = obj(spec) ?? {};
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds === undefined) errs.push(required(`${path}.terminationGracePeriodSeconds`));
  const grace = num(s.terminationGracePeriodSeconds);
  const hostUsers = s.hostUsers !== false;

  const { vols, errs: volErrs } = validateVolumes(s.volumes, opts.podMeta, `${path}.volumes`);
  errs.push(...volErrs);
  errs.push(...validateContainers(s.containers, vols, grace, `${path}.containers`, hostUsers));
  errs.push(...validateInitContainers(s.initContainers, s.containers, vols, grace, `${path}.initContainers`, hostUsers));
  errs.push(...validateEphemeralContainers(s.ephemeralContainers, s, vols, `${path}.ephemeralContainers`, hostUsers));

  if (s.hostNetwork === true) {
    list(s.containers).forEach((raw, i) => {
      list(obj(raw)?.ports).forEach((pr, j) => {
        const port = obj(pr) ?? {};
        const hp = num(port.hostPort) ?? 0;
        const cp = num(port.containerPort) ?? 0;
        if ((opts.resourceIsPod || hp !== 0) && hp !== cp) {
          errs.push(invalid(`${path}.containers[${i}].ports[${j}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }

  const restartPolicy = str(s.restartPolicy);
  if (!restartPolicy) errs.push(required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, restartPolicy, RESTART_POLICIES));
  const dnsPolicy = str(s.dnsPolicy);
  if (!dnsPolicy) errs.push(required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(obj(s.nodeSelector) as Record<string, string> | undefined, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(s, `${path}.securityContext`));
  list(s.imagePullSecrets).forEach((raw, i) => {
    const ref = obj(raw) ?? {};
    if (Object.keys(ref).some((k) => k !== 'name')) errs.push(invalid(`${path}.imagePullSecrets[${i}]`, ref, 'only name may be set'));
  });
  errs.push(...validateAffinity(s.affinity, `${path}.affinity`));
  errs.push(...validateDNSConfig(s, `${path}.dnsConfig`));
  list(s.readinessGates).forEach((g, i) => errs.push(...qualifiedName(str(obj(g)?.conditionType), `${path}.readinessGates[${i}].conditionType`)));
  const gates = new Set<string>();
  list(s.schedulingGates).forEach((g, i) => {
    const name = str(obj(g)?.name);
    errs.push(...qualifiedName(name, `${path}.schedulingGates[${i}]`));
    if (gates.has(name)) errs.push(duplicate(`${path}.schedulingGates[${i}]`, name));
    gates.add(name);
  });
  errs.push(...validateTopologySpread(s.topologySpreadConstraints, `${path}.topologySpreadConstraints`));

  const sa = str(s.serviceAccountName);
  if (sa) for (const m of validateName(sa, 'subdomain', false)) errs.push(invalid(`${path}.serviceAccountName`, sa, m));
  const nodeName = str(s.nodeName);
  if (nodeName) for (const m of validateName(nodeName, 'subdomain', false)) errs.push(invalid(`${path}.nodeName`, nodeName, m));
  if (s.activeDeadlineSeconds !== undefined) {
    const v = num(s.activeDeadlineSeconds) ?? 0;
    if (v < 1 || v > MAX_INT32) errs.push(invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, MAX_INT32)));
  }
  if (str(s.hostname)) errs.push(...dns1123Label(str(s.hostname), `${path}.hostname`));
  if (str(s.subdomain)) errs.push(...dns1123Label(str(s.subdomain), `${path}.subdomain`));
  if (list(s.tolerations).length) errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  list(s.hostAliases).forEach((raw, i) => {
    const alias = obj(raw) ?? {};
    errs.push(...validIP(str(alias.ip), `${path}.hostAliases[${i}].ip`));
    list(alias.hostnames).forEach((h, j) => errs.push(...dns1123Subdomain(str(h), `${path}.hostAliases[${i}].hostnames[${j}]`)));
  });
  const pcn = str(s.priorityClassName);
  if (pcn) for (const m of validateName(pcn, 'subdomain', false)) errs.push(invalid(`${path}.priorityClassName`, pcn, m));
  if (s.runtimeClassName !== undefined) {
    for (const m of validateName(str(s.runtimeClassName), 'subdomain', false)) errs.push(invalid(`${path}.runtimeClassName`, str(s.runtimeClassName), m));
  }
  if (s.preemptionPolicy !== undefined) {
    const pp = str(s.preemptionPolicy);
    if (!pp) errs.push(required(`${path}.preemptionPolicy`));
    else if (!PREEMPTION_POLICIES.includes(pp)) errs.push(notSupported(`${path}.preemptionPolicy`, pp, PREEMPTION_POLICIES));
  }
  if (obj(s.overhead)) errs.push(...validateResources({ limits: s.overhead }, `${path}.overhead`));
  const os = obj(s.os);
  if (os) {
    const name = str(os.name);
    if (!name) errs.push(required(`${path}.os.name`));
    else if (!OS_NAMES.includes(name)) errs.push(notSupported(`${path}.os.name`, name, OS_NAMES));
    else if (name === 'linux') {
      if (obj(s.securityContext)?.windowsOptions !== undefined) errs.push(forbidden(`${path}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
      for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
        list(s[key]).forEach((c, i) => {
          if (obj(obj(c)?.securityContext)?.windowsOptions !== undefined) {
            errs.push(forbidden(`${path}.${key}[${i}].securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
          }
        });
      }
    }
  }
  return errs;
}

/**
 * ValidatePodTemplateSpec. `restartPolicies` narrows the restart policies a workload accepts
 * (ReplicaSets and Deployments: ["Always"]; Jobs: ["OnFailure", "Never"]).
 */
export function validatePodTemplateSpec(template: unknown, path: string, opts: { restartPolicies?: string[] } = {}): FieldError[] {
  const t = obj(template) ?? {};
  const meta = (obj(t.metadata) ?? {}) as ObjectMeta;
  const spec = obj(t.spec) ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validatePodSpecificAnnotations(meta.annotations, spec, `${path}.annotations`));
  errs.push(...validatePodSpec(spec, `${path}.spec`));
  if (list(spec.ephemeralContainers).length) errs.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  if (opts.restartPolicies && !opts.restartPolicies.includes(str(spec.restartPolicy))) {
    errs.push(notSupported(`${path}.spec.restartPolicy`, str(spec.restartPolicy), opts.restartPolicies));
  }
  return errs;
}

/** ValidatePodSpecificAnnotations: the mirror-pod and pod-deletion-cost annotations. */
export function validatePodSpecificAnnotations(annotations: Record<string, string> | undefined, spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const a = annotations ?? {};
  if (Object.hasOwn(a, MIRROR_POD_ANNOTATION) && !str(spec.nodeName)) {
    errs.push(invalid(`${path}[${MIRROR_POD_ANNOTATION}]`, a[MIRROR_POD_ANNOTATION], 'must set spec.nodeName if mirror pod annotation is set'));
  }
  if (Object.hasOwn(a, POD_DELETION_COST_ANNOTATION)) {
    const v = String(a[POD_DELETION_COST_ANNOTATION]);
    const n = /^[+-]?[0-9]+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < -2147483648 || n > MAX_INT32) {
      errs.push(invalid(`${path}[${POD_DELETION_COST_ANNOTATION}]`, v, 'must be a 32bit integer'));
    }
  }
  return errs;
}
