// The scale subresource of a custom resource (AE pkg/registry/customresource/etcd.go ScaleREST):
// an autoscaling/v1 Scale read from the CRD's specReplicasPath, statusReplicasPath and
// labelSelectorPath, and an update that writes the spec replicas back through the parent's update.
import type { CustomResourceSubresourceScale } from 'kubernetes-types/apiextensions/v1.js';
import { ApiError, badRequest, conflict, invalid } from '../../api/errors.js';
import { invalid as invalidField } from '../../api/field-errors.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import { scaleManagedFields } from '../fieldmanager/scale.js';
import type { Subresource, SubresourceContext } from '../resource.js';
import { scale } from '../schemas/autoscaling.js';
import { parsePath, valueAt } from './custom-columns.js';

const steps = (path: string | undefined) => (path ? (parsePath(path) ?? []).filter((s): s is string => typeof s === 'string') : undefined);

export function customScale(paths: CustomResourceSubresourceScale): Subresource {
  const spec = steps(paths.specReplicasPath)!;
  const status = steps(paths.statusReplicasPath)!;
  const selector = steps(paths.labelSelectorPath);

  const toScale = (o: KubeObject): KubeObject => {
    const m = o.metadata;
    const specReplicas = valueAt(o, spec);
    const statusReplicas = valueAt(o, status);
    const sel = selector ? valueAt(o, selector) : undefined;
    const managedFields = paths.specReplicasPath === '.spec.replicas' ? scaleManagedFields(m.managedFields) : undefined;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp, ...(managedFields ? { managedFields } : {}) },
      spec: typeof specReplicas === 'number' && specReplicas ? { replicas: specReplicas } : {},
      status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(typeof sel === 'string' && sel ? { selector: sel } : {}) },
    };
  };

  const update = async (s: SubresourceContext, body: KubeObject): Promise<KubeObject> => {
    const meta = body.metadata ?? {};
    if (meta.name && meta.name !== s.name) throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${s.name})`);
    const replicas = isObject(body.spec) && typeof body.spec.replicas === 'number' ? body.spec.replicas : 0;
    if (replicas < 0) throw invalid('autoscaling', 'Scale', s.name, [invalidField('spec.replicas', replicas, 'must be greater than or equal to 0')]);
    const updated = await s.store.guaranteedUpdate(
      s.ctx,
      s.namespace,
      s.name,
      (cur) => {
        if (meta.uid && meta.uid !== cur.metadata.uid) {
          const def = s.store.def;
          throw conflict({ group: def.group, resource: `${def.resource}/scale` }, s.name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${cur.metadata.uid}`);
        }
        const parent = valueAt(cur, spec.slice(0, -1));
        if (!isObject(parent)) throw new ApiError(500, 'InternalError', `Internal error occurred: the spec replicas field ${JSON.stringify(paths.specReplicasPath)} cannot be set`);
        parent[spec[spec.length - 1]!] = replicas;
        cur.metadata.resourceVersion = meta.resourceVersion;
        return cur;
      },
      { dryRun: s.dryRun, subresource: 'scale' },
    );
    return toScale(updated);
  };

  return { schema: scale, verbs: ['get', 'patch', 'update'], get: async (s) => toScale(await s.store.get(s.ctx, s.namespace, s.name)), update };
}
