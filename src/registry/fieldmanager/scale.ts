// The managedFields of a Scale (managedfields/internal scalehandler.go ToSubresource): each entry
// of the parent that owns .spec.replicas, owning the Scale's .spec.replicas in autoscaling/v1.
import { has } from './field-set.js';
import { decodeManaged, encodeManaged, type Managed } from './managers.js';
import { runNow } from './steps.js';

const REPLICAS = ['f:spec', 'f:replicas'];

export function scaleManagedFields(parentEntries: unknown): Record<string, unknown>[] | undefined {
  let parent: Managed;
  try {
    parent = runNow(decodeManaged(parentEntries, true));
  } catch {
    return undefined;
  }
  const scale: Managed = new Map();
  for (const [id, e] of parent) {
    if (has(e.fields, REPLICAS)) scale.set(id, { ...e, apiVersion: 'autoscaling/v1', fields: { 'f:spec': { 'f:replicas': {} } } });
  }
  const entries = encodeManaged(scale);
  return entries.length ? entries : undefined;
}
