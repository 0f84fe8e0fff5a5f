// The priority classes every cluster has (pkg/apis/scheduling: SystemPriorityClasses), and the
// numbers around them. The registry checks names against them, the system-objects controller
// creates them, Priority admission reads them.

/** HighestUserDefinablePriority */
export const HIGHEST_USER_PRIORITY = 1_000_000_000;
/** SystemCriticalPriority */
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_PRIORITY;
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority';

export interface SystemPriorityClass {
  name: string;
  value: number;
  description: string;
}

export const SYSTEM_PRIORITY_CLASSES: readonly SystemPriorityClass[] = [
  { name: 'system-node-critical', value: SYSTEM_CRITICAL_PRIORITY + 1000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: SYSTEM_CRITICAL_PRIORITY, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];
