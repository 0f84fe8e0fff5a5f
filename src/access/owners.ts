// Controllers and what they own, by the controller ownerReference (controller: true): a pod's
// ReplicaSet's Deployment, a Job's CronJob, a StatefulSet's or DaemonSet's pods. Lint reports a
// workload once, at its top-level owner among the objects read; pods are listed as themselves.
import type { KubeObject, OwnerReference } from '../api/meta.js';

export const controllerRef = (o: KubeObject): OwnerReference | undefined => o.metadata.ownerReferences?.find((r) => r.controller);

const keyOf = (namespace: string | undefined, kind: string | undefined, name: string | undefined) => `${namespace ?? ''}/${kind ?? ''}/${name ?? ''}`;

export class Owners {
  private readonly byKey = new Map<string, KubeObject>();
  /** Objects some other object names as its controller. */
  private readonly owning = new Set<KubeObject>();

  /** `objects`: the objects read; `isWorkload`: whether one runs pods (a pod, or a pod template). */
  constructor(
    objects: readonly KubeObject[],
    private readonly isWorkload: (o: KubeObject) => boolean,
  ) {
    for (const o of objects) this.byKey.set(keyOf(o.metadata.namespace, o.kind, o.metadata.name), o);
    for (const o of objects) {
      const owner = this.controllerOf(o);
      if (owner) this.owning.add(owner);
    }
  }

  /** The object's controller, when it is among the objects (and the same object: uids agree when both are known). */
  controllerOf(o: KubeObject): KubeObject | undefined {
    const ref = controllerRef(o);
    if (!ref) return undefined;
    const owner = this.byKey.get(keyOf(o.metadata.namespace, ref.kind, ref.name));
    return owner && (!ref.uid || !owner.metadata.uid || ref.uid === owner.metadata.uid) ? owner : undefined;
  }

  /** Whether a workload stands for itself in lint: its controller is not a workload among the objects (unreadable, or none). */
  isTopLevel(o: KubeObject): boolean {
    const owner = this.controllerOf(o);
    return !owner || !this.isWorkload(owner);
  }

  /** Whether a workload's pods are among the objects (it controls some object read), so they are listed instead of it. */
  controlsSome(o: KubeObject): boolean {
    return this.owning.has(o);
  }
}
