// core/v1 Namespace: Active until deleted, then Terminating until its content is gone and the
// `kubernetes` finalizer is removed through /finalize.
import { required, invalid as invalidField, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { isQualifiedName } from '../../api/validation.js';
import { namespace } from '../schemas/core.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { FINALIZER_KUBERNETES } from '../../api/well-known.js';
import { age } from '../../api/duration.js';

export const NAME_LABEL = 'kubernetes.io/metadata.name';

interface NamespaceSpec {
  finalizers?: string[];
}
const spec = (o: KubeObject) => (o.spec ?? {}) as NamespaceSpec;
const phase = (o: KubeObject) => ((o.status ?? {}) as { phase?: string }).phase ?? '';

function validateFinalizers(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  (spec(o).finalizers ?? []).forEach((f, i) => {
    const path = `spec.finalizers[${i}]`;
    if (!f) errs.push(required(path));
    else for (const msg of isQualifiedName(f)) errs.push(invalidField(path, f, msg));
  });
  return errs;
}

export const namespaces: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  schema: namespace,
  nameRule: 'label',
  hasStatus: true,
  returnDeletedObject: true,
  defaults(o) {
    // The immutable name label every namespace carries (NamespaceDefaultLabelName).
    if (o.metadata.name) o.metadata.labels = { ...o.metadata.labels, [NAME_LABEL]: o.metadata.name };
  },
  prepareForCreate(o) {
    const finalizers = spec(o).finalizers ?? [];
    o.spec = { ...spec(o), finalizers: finalizers.includes(FINALIZER_KUBERNETES) ? finalizers : [...finalizers, FINALIZER_KUBERNETES] };
    o.status = { phase: 'Active' };
  },
  prepareForUpdate(o, old) {
    o.spec = { ...spec(o), finalizers: spec(old).finalizers };
    if (spec(o).finalizers === undefined) delete (o.spec as NamespaceSpec).finalizers;
  },
  validate: validateFinalizers,
  validateUpdate: validateFinalizers,
  markDeleting(o) {
    o.status = { ...(o.status as object), phase: 'Terminating' };
  },
  deletionBlocked: (o) => (spec(o).finalizers ?? []).length > 0,
  fields: { 'status.phase': phase },
  table: {
    columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
    cells: (o, now) => [o.metadata.name, phase(o), age(o.metadata.creationTimestamp, now)],
  },
  subresources: {
    finalize: {
      verbs: ['update'],
      async update(s, body) {
        const finalizers = ((body.spec ?? {}) as NamespaceSpec).finalizers ?? [];
        return s.store.guaranteedUpdate(s.ctx, '', s.name, (cur) => ({
          ...cur,
          metadata: { ...cur.metadata, resourceVersion: body.metadata.resourceVersion },
          spec: { ...spec(cur), finalizers },
        }), { dryRun: s.dryRun, subresource: 'finalize' });
      },
    },
  },
};
