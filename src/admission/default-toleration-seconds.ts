// DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds): a pod that
// does not already tolerate node.kubernetes.io/not-ready:NoExecute or
// node.kubernetes.io/unreachable:NoExecute (a toleration of that key or of every key, with that
// effect or every effect) gets a toleration of it for 300 seconds
// (--default-not-ready-toleration-seconds, --default-unreachable-toleration-seconds), on create
// and update of the pod itself. The taint eviction controller deletes the pod that long after the
// node is tainted.
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from '../api/well-known.js';
import type { AdmissionPlugin } from './chain.js';

export const DEFAULT_TOLERATION_SECONDS = 300;

export const defaultTolerationSeconds: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  async admit(a) {
    if ((a.operation !== 'CREATE' && a.operation !== 'UPDATE') || a.subresource || a.resource.group !== '' || a.resource.resource !== 'pods' || !a.object) return;
    const spec = (a.object.spec ??= {}) as { tolerations?: Toleration[] };
    const tolerations = spec.tolerations ?? [];
    const tolerates = (key: string) => tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
    const added: Toleration[] = [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]
      .filter((key) => !tolerates(key))
      .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS }));
    if (added.length) spec.tolerations = [...tolerations, ...added];
  },
};
