// scheduling.k8s.io/v1 PriorityClass (k8s.io/api/scheduling/v1), as served by Kubernetes 1.32.
import { bool, int32, keepZero, pb, ptr, str } from '../../api/schema.js';
import { kind } from './meta.js';

const SCHEDULING = 'io.k8s.api.scheduling.v1';

export const priorityClass = kind('scheduling.k8s.io', 'v1', 'PriorityClass', SCHEDULING, 'A mapping from a priority class name to the integer priority of the pods that name it.', {
  description: pb(4, str('When this priority class should be used; free text.')),
  globalDefault: pb(3, bool('Whether pods without a priorityClassName get this class; only one class may be the default.')),
  preemptionPolicy: pb(5, ptr(str('Never or PreemptLowerPriority (the default): whether pods of this class may preempt lower-priority pods.'))),
  value: pb(2, keepZero(int32('The priority of pods of this class; user-defined classes must be at most 1000000000.'))),
}, { required: ['value'] });
