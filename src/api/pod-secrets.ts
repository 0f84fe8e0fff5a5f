// The Secrets a pod refers to, which the ServiceAccount admission plugin checks and the legacy
// token tracker counts as uses.
import { isObject } from './meta.js';
import { obj, objects, str, type Obj } from './narrow.js';

const refName = (v: unknown): string | undefined => (isObject(v) ? str(v.name) : undefined);

/**
 * Every Secret a pod spec names (pkg/api/pod VisitPodSecretNames): image pull secrets, env and
 * envFrom of all containers, and the secret references of volumes.
 */
export function podSecretNames(spec: Obj): string[] {
  const names: string[] = [];
  for (const ref of objects(spec.imagePullSecrets)) names.push(str(ref.name));
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of objects(spec[key])) {
      for (const e of objects(c.envFrom)) {
        const n = refName(e.secretRef);
        if (n !== undefined) names.push(n);
      }
      for (const e of objects(c.env)) {
        const n = refName(obj(e.valueFrom)?.secretKeyRef);
        if (n !== undefined) names.push(n);
      }
    }
  }
  for (const v of objects(spec.volumes)) {
    const azureFile = obj(v.azureFile);
    if (azureFile) {
      if (str(azureFile.secretName)) names.push(str(azureFile.secretName));
      continue;
    }
    if (obj(v.projected)) {
      for (const s of objects(obj(v.projected)!.sources)) {
        const n = refName(s.secret);
        if (n !== undefined) names.push(n);
      }
      continue;
    }
    if (obj(v.secret)) {
      names.push(str(obj(v.secret)!.secretName));
      continue;
    }
    const withRef: [string, string][] = [['cephfs', 'secretRef'], ['cinder', 'secretRef'], ['flexVolume', 'secretRef'], ['rbd', 'secretRef'], ['scaleIO', 'secretRef'], ['iscsi', 'secretRef'], ['storageos', 'secretRef'], ['csi', 'nodePublishSecretRef']];
    for (const [source, field] of withRef) {
      const src = obj(v[source]);
      if (!src) continue;
      const n = refName(src[field]);
      if (n !== undefined) names.push(n);
      break;
    }
  }
  return names;
}
