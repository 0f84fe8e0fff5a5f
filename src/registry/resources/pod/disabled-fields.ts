// Fields of feature gates that are off by default in Kubernetes 1.32, dropped from a written PodSpec.
import { isObject } from '../../../api/meta.js';
import { list, obj, type Obj } from '../../narrow.js';

/**
 * DropDisabledPodFields for the feature gates that are off by default in 1.32 (pod-level resources,
 * in-place resize, user namespaces, supplemental groups policy, SELinux change policy, procMount,
 * dynamic resource allocation). A field the old object already used is kept.
 */
export function dropDisabledPodSpecFields(spec: Record<string, unknown>, old?: Record<string, unknown>): void {
  const containersOf = (s: Obj | undefined): Obj[] =>
    ['initContainers', 'containers', 'ephemeralContainers'].flatMap((k) => list(s?.[k]).filter(isObject));
  const uses = (pred: (s: Obj) => boolean): boolean => !!old && pred(old);
  if (!uses((s) => s.resources !== undefined)) delete spec.resources;
  if (!uses((s) => s.hostUsers !== undefined)) delete spec.hostUsers;
  if (!uses((s) => containersOf(s).some((c) => c.resizePolicy !== undefined))) for (const c of containersOf(spec)) delete c.resizePolicy;
  const sc = obj(spec.securityContext);
  if (sc && !uses((s) => obj(s.securityContext)?.supplementalGroupsPolicy !== undefined)) delete sc.supplementalGroupsPolicy;
  if (sc && !uses((s) => obj(s.securityContext)?.seLinuxChangePolicy !== undefined)) delete sc.seLinuxChangePolicy;
  if (!uses((s) => containersOf(s).some((c) => obj(c.securityContext)?.procMount !== undefined))) {
    for (const c of containersOf(spec)) delete obj(c.securityContext)?.procMount;
  }
  if (!uses((s) => s.resourceClaims !== undefined || containersOf(s).some((c) => obj(c.resources)?.claims !== undefined))) {
    delete spec.resourceClaims;
    for (const c of containersOf(spec)) delete obj(c.resources)?.claims;
  }
}
