// Every resource Badge serves, in discovery order.
import type { ObjectSchema } from '../../api/schema.js';
import type { ResourceDef } from '../resource.js';
import { tokenRequest } from '../schemas/authentication.js';
import { scale } from '../schemas/autoscaling.js';
import { deleteOptions, eviction } from '../schemas/policy.js';
import { namespaces } from './namespaces.js';
import { serviceaccounts } from './serviceaccounts.js';

export function allResources(): ResourceDef[] {
  return [namespaces, serviceaccounts];
}

/** Kinds that are only bodies of subresources and options (decoders need their schemas). */
export function bodySchemas(): ObjectSchema[] {
  return [scale, deleteOptions, eviction, tokenRequest];
}
