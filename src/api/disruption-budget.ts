// What the disruption controller and the pods/eviction subresource share about a
// PodDisruptionBudget's status (k8s.io/component-helpers/apps/poddisruptionbudget and
// apimachinery's meta.SetStatusCondition).
import type { PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import { formatTime } from './meta.js';

export const DISRUPTION_ALLOWED = 'DisruptionAllowed';

/** meta.SetStatusCondition: replaces the condition of the same type; its time moves only when its status does. */
export function setStatusCondition(conditions: Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: Date): Condition[] {
  const current = conditions.find((c) => c.type === next.type);
  if (!current) return [...conditions, { ...next, lastTransitionTime: formatTime(now) }];
  const lastTransitionTime = current.status === next.status ? current.lastTransitionTime : formatTime(now);
  return conditions.map((c) => (c === current ? { ...current, ...next, lastTransitionTime } : c));
}

/** UpdateDisruptionAllowedCondition: True (SufficientPods) while disruptions are allowed, else False (InsufficientPods). */
export function updateDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: Date): void {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  status.conditions = setStatusCondition(
    status.conditions ?? [],
    { type: DISRUPTION_ALLOWED, status: allowed ? 'True' : 'False', reason: allowed ? 'SufficientPods' : 'InsufficientPods', message: '', observedGeneration: status.observedGeneration ?? 0 },
    now,
  );
}

/** ConditionsAreUpToDate: the condition says what the status says, for the current generation. */
export function conditionsAreUpToDate(status: Partial<PodDisruptionBudgetStatus>, generation: number): boolean {
  const c = status.conditions?.find((x) => x.type === DISRUPTION_ALLOWED);
  if (!c || (status.observedGeneration ?? 0) !== generation) return false;
  return (status.disruptionsAllowed ?? 0) > 0 ? c.status === 'True' && c.reason === 'SufficientPods' : c.status === 'False' && c.reason === 'InsufficientPods';
}
