// The paths a write through one subresource never owns (each strategy's GetResetFields): the main
// resource of a kind with a status subresource leaves status alone, and /status leaves the rest,
// save the annotations some status writers keep (a Deployment's revision).
import type { ResourceDef } from '../resource.js';
import { EMPTY, readFields, type Fields } from './field-set.js';
import { runNow } from './steps.js';

const MAIN = runNow(readFields({ 'f:status': {} }));
const STATUS = runNow(readFields({ 'f:spec': {}, 'f:metadata': {} }));
const STATUS_KEEPING_ANNOTATIONS = runNow(readFields({ 'f:spec': {}, 'f:metadata': { 'f:labels': {}, 'f:finalizers': {}, 'f:ownerReferences': {} } }));

export function resetFieldsOf(def: ResourceDef, subresource: string): Fields {
  if (!def.hasStatus) return EMPTY;
  if (subresource === '') return MAIN;
  if (subresource === 'status') return def.statusUpdatesAnnotations ? STATUS_KEEPING_ANNOTATIONS : STATUS;
  return EMPTY;
}
