// The Secrets a pod refers to, which the ServiceAccount admission plugin checks and the legacy
// token tracker counts as uses.
import type { LocalObjectReference, PodSpec, Volume } from 'kubernetes-types/core/v1.js';

/**
 * Every Secret a pod spec names (pkg/api/pod VisitPodSecretNames): image pull secrets, env and
 * envFrom of all containers, and the secret references of volumes.
 */
export function podSecretNames(spec: Partial<PodSpec>): string[] {
  const names: string[] = [];
  for (const ref of spec.imagePullSecrets ?? []) names.push(ref.name ?? '');
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c.envFrom ?? []) if (e.secretRef) names.push(e.secretRef.name ?? '');
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) names.push(e.valueFrom.secretKeyRef.name ?? '');
  }
  for (const v of spec.volumes ?? []) {
    if (v.azureFile) {
      if (v.azureFile.secretName) names.push(v.azureFile.secretName);
    } else if (v.projected) {
      for (const s of v.projected.sources ?? []) if (s.secret) names.push(s.secret.name ?? '');
    } else if (v.secret) {
      names.push(v.secret.secretName ?? '');
    } else {
      const ref = sourceSecretRef(v);
      if (ref) names.push(ref.name ?? '');
    }
  }
  return names;
}

/** The secret reference of the first volume source that can have one (and has it). */
function sourceSecretRef(v: Volume): LocalObjectReference | undefined {
  if (v.cephfs) return v.cephfs.secretRef;
  if (v.cinder) return v.cinder.secretRef;
  if (v.flexVolume) return v.flexVolume.secretRef;
  if (v.rbd) return v.rbd.secretRef;
  if (v.scaleIO) return v.scaleIO.secretRef;
  if (v.iscsi) return v.iscsi.secretRef;
  if (v.storageos) return v.storageos.secretRef;
  return v.csi?.nodePublishSecretRef;
}
