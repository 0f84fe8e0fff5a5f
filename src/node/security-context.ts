// A container's security settings as the kubelet resolves them before it asks the runtime
// (pkg/securitycontext DetermineEffectiveSecurityContext and kuberuntime's
// determineEffectiveSecurityContext): the container's securityContext wins over the pod's for the
// fields both have; the pod adds supplementalGroups and fsGroup. verifyRunAsNonRoot is the check
// that keeps a container waiting with CreateContainerConfigError.
import type { Container, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../api/kinds.js';
import type { ContainerSecurity } from './runtime/runtime.js';

/** The container's securityContext with the pod's runAsUser, runAsGroup and runAsNonRoot under it. */
function effective(pod: Pod, container: Container): SecurityContext {
  const podSc = pod.spec?.securityContext ?? {};
  const own = container.securityContext ?? {};
  return { ...own, runAsUser: own.runAsUser ?? podSc.runAsUser, runAsGroup: own.runAsGroup ?? podSc.runAsGroup, runAsNonRoot: own.runAsNonRoot ?? podSc.runAsNonRoot };
}

/** What the runtime is asked for: users, groups, the root file system, privileges. */
export function containerSecurity(pod: Pod, container: Container): ContainerSecurity {
  const sc = effective(pod, container);
  const podSc = pod.spec?.securityContext ?? {};
  const groups = [...(podSc.supplementalGroups ?? [])];
  if (podSc.fsGroup !== undefined) groups.push(podSc.fsGroup);
  const caps = sc.capabilities ?? {};
  return {
    ...(sc.runAsUser !== undefined ? { runAsUser: sc.runAsUser } : {}),
    ...(sc.runAsGroup !== undefined ? { runAsGroup: sc.runAsGroup } : {}),
    supplementalGroups: groups,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem === true,
    // securitycontext.AddNoNewPrivileges: only an explicit allowPrivilegeEscalation: false.
    noNewPrivs: sc.allowPrivilegeEscalation === false,
    privileged: sc.privileged === true,
    capabilities: { add: caps.add ?? [], drop: caps.drop ?? [] },
  };
}

/**
 * verifyRunAsNonRoot: the reason a container with runAsNonRoot may not start, if any. Without
 * images the user an image would run as is unknown, which the kubelet treats as root.
 */
export function verifyRunAsNonRoot(pod: Pod, container: Container): string | undefined {
  const sc = effective(pod, container);
  if (sc.runAsNonRoot !== true) return undefined;
  const podDesc = JSON.stringify(`${pod.metadata.name}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`);
  const name = container.name;
  const user = sc.runAsUser;
  if (user !== undefined) return user === 0 ? `container's runAsUser breaks non-root policy (pod: ${podDesc}, container: ${name})` : undefined;
  return `container has runAsNonRoot and image will run as root (pod: ${podDesc}, container: ${name})`;
}
