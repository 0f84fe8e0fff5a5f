// The scale subresource of Deployments, ReplicaSets and ReplicationControllers
// (pkg/registry/{apps,core}/*/storage ScaleREST): an autoscaling/v1 Scale built from
// spec.replicas, status.replicas and the selector, and an update that writes spec.replicas back
// through the parent's normal update.
import { badRequest, conflict, invalid } from '../../api/errors.js';
import { invalid as invalidField, type FieldError } from '../../api/field-errors.js';
import { fromLabelSelectorObject, labelSelectorString, type LabelSelectorObject } from '../../api/labels.js';
import type { KubeObject } from '../../api/meta.js';
import type { Subresource, SubresourceContext } from '../resource.js';
import { scaleManagedFields } from '../fieldmanager/scale.js';
import { scale } from '../schemas/autoscaling.js';
import { int, selectorOf } from './workloads.js';
import { specOf, statusOf } from '../narrow.js';

/** How a kind holds its selector, as a LabelSelector (a ReplicationController's is a map). */
export type SelectorOf = (o: KubeObject) => LabelSelectorObject | undefined;

/** scaleFromDeployment / scaleFromReplicaSet / scaleFromRC. */
export function scaleOf(o: KubeObject, selectorOfKind: SelectorOf = selectorOf): KubeObject {
  let selector: string;
  try {
    const sel = fromLabelSelectorObject(selectorOfKind(o));
    selector = sel ? labelSelectorString(sel) : '';
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  const m = o.metadata;
  const managedFields = scaleManagedFields(m.managedFields);
  const replicas = int(specOf(o), 'replicas') ?? 0;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp, ...(managedFields ? { managedFields } : {}) },
    // ScaleSpec.replicas is omitempty; ScaleStatus.replicas is not.
    spec: replicas ? { replicas } : {},
    status: { replicas: int(statusOf(o), 'replicas') ?? 0, ...(selector ? { selector } : {}) },
  };
}

/** autoscaling validation.ValidateScale. */
function validateScale(body: KubeObject): FieldError[] {
  const replicas = int(specOf(body), 'replicas') ?? 0;
  return replicas < 0 ? [invalidField('spec.replicas', replicas, 'must be greater than or equal to 0')] : [];
}

async function updateScale(s: SubresourceContext, body: KubeObject, selectorOfKind: SelectorOf): Promise<KubeObject> {
  const def = s.store.def;
  const meta = body.metadata ?? {};
  if (meta.name && meta.name !== s.name) {
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${s.name})`);
  }
  if (meta.namespace && meta.namespace !== s.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const updated = await s.store.guaranteedUpdate(
    s.ctx,
    s.namespace,
    s.name,
    (cur) => {
      const errs = validateScale(body);
      if (errs.length) throw invalid('autoscaling', 'Scale', cur.metadata.name ?? s.name, errs);
      if (meta.uid && meta.uid !== cur.metadata.uid) {
        const gr = { group: def.group, resource: `${def.resource}/scale` };
        throw conflict(gr, s.name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${cur.metadata.uid}`);
      }
      return {
        ...cur,
        metadata: { ...cur.metadata, resourceVersion: meta.resourceVersion },
        spec: { ...specOf(cur), replicas: int(specOf(body), 'replicas') ?? 0 },
      };
    },
    // The write is an ordinary update of the parent (status kept, generation bumped, full
    // validation), as ScaleREST.Update goes through the parent's store and strategy.
    { dryRun: s.dryRun, subresource: 'scale' },
  );
  return scaleOf(updated, selectorOfKind);
}

/** The `scale` subresource for a resource with spec.replicas, a selector and status.replicas. */
export function scaleSubresource(selectorOfKind: SelectorOf = selectorOf): Subresource {
  return {
    schema: scale,
    verbs: ['get', 'patch', 'update'],
    get: async (s) => scaleOf(await s.store.get(s.ctx, s.namespace, s.name), selectorOfKind),
    update: (s, body) => updateScale(s, body, selectorOfKind),
  };
}
