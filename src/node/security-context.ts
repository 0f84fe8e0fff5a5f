// A container's security settings as the kubelet resolves them before it asks the runtime
// (pkg/securitycontext DetermineEffectiveSecurityContext and kuberuntime's
// determineEffectiveSecurityContext): the container's securityContext wins over the pod's for the
// fields both have; the pod adds supplementalGroups and fsGroup. verifyRunAsNonRoot is the check
// that keeps a container waiting with CreateContainerConfigError.
import { isObject, type KubeObject } from '../api/meta.js';
import type { ContainerSecurity } from './runtime/runtime.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isObject(v) ? v : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The fields of the pod's securityContext a container's own overrides. */
const INHERITED = ['runAsUser', 'runAsGroup', 'runAsNonRoot'] as const;

/** The container's securityContext with the pod's runAsUser, runAsGroup and runAsNonRoot under it. */
function effective(pod: KubeObject, container: Obj): Obj {
  const podSc = obj(obj(pod.spec).securityContext);
  const own = obj(container.securityContext);
  const out: Obj = { ...own };
  for (const k of INHERITED) if (own[k] === undefined && podSc[k] !== undefined) out[k] = podSc[k];
  return out;
}

/** What the runtime is asked for: users, groups, the root file system, privileges. */
export function containerSecurity(pod: KubeObject, container: Obj): ContainerSecurity {
  const sc = effective(pod, container);
  const podSc = obj(obj(pod.spec).securityContext);
  const groups = (Array.isArray(podSc.supplementalGroups) ? podSc.supplementalGroups : []).filter((g): g is number => typeof g === 'number');
  const fsGroup = num(podSc.fsGroup);
  if (fsGroup !== undefined) groups.push(fsGroup);
  const caps = obj(sc.capabilities);
  const runAsUser = num(sc.runAsUser);
  const runAsGroup = num(sc.runAsGroup);
  return {
    ...(runAsUser !== undefined ? { runAsUser } : {}),
    ...(runAsGroup !== undefined ? { runAsGroup } : {}),
    supplementalGroups: groups,
    readOnlyRootFilesystem: bool(sc.readOnlyRootFilesystem) === true,
    // securitycontext.AddNoNewPrivileges: only an explicit allowPrivilegeEscalation: false.
    noNewPrivs: bool(sc.allowPrivilegeEscalation) === false,
    privileged: bool(sc.privileged) === true,
    capabilities: { add: strings(caps.add), drop: strings(caps.drop) },
  };
}

/**
 * verifyRunAsNonRoot: the reason a container with runAsNonRoot may not start, if any. Without
 * images the user an image would run as is unknown, which the kubelet treats as root.
 */
export function verifyRunAsNonRoot(pod: KubeObject, container: Obj): string | undefined {
  const sc = effective(pod, container);
  if (sc.runAsNonRoot !== true) return undefined;
  const podDesc = JSON.stringify(`${pod.metadata.name}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`);
  const name = typeof container.name === 'string' ? container.name : '';
  const user = num(sc.runAsUser);
  if (user !== undefined) return user === 0 ? `container's runAsUser breaks non-root policy (pod: ${podDesc}, container: ${name})` : undefined;
  return `container has runAsNonRoot and image will run as root (pod: ${podDesc}, container: ${name})`;
}
