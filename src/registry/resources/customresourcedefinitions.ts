// apiextensions.k8s.io/v1 CustomResourceDefinition: defaults (AE pkg/apis/apiextensions/v1/
// defaults.go), the strategy (pkg/registry/customresourcedefinition/strategy.go), validation
// (registry/apiextensions/crd-*.ts) and the first DELETE, which only marks the definition for its
// controllers (etcd.go): the names and Established conditions and the clean-up of its custom
// resources are theirs (controllers/crd-*.ts); the default Name/Created At table. kubectl also lists definitions to decide how to
// validate a kind it finds no patch operation for (cli-runtime crd_finder.go).
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER, setCrdCondition, versionSchema, type CustomResourceDefinition } from '../../api/crd.js';
import type { KubeObject } from '../../api/meta.js';
import type { CompileSchemaRules } from '../apiextensions/crd-schema.js';
import { unrecognizedFormats } from '../apiextensions/crd-schema.js';
import { validateCrd, validateCrdStatusUpdate, validateCrdUpdate } from '../apiextensions/crd-validation.js';
import type { ResourceDef } from '../resource.js';
import { customResourceDefinition } from '../schemas/apiextensions.js';

const asCrd = (o: KubeObject) => o as CustomResourceDefinition;

/** SetDefaults of v1: names, scope-independent settings, conversion, each version's columns. */
function defaults(o: KubeObject): void {
  const spec = asCrd(o).spec;
  if (!spec) return;
  const names = spec.names;
  if (names) {
    if (!names.singular && names.kind) names.singular = names.kind.toLowerCase();
    if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
  if (spec.conversion.strategy === 'Webhook' && spec.conversion.webhook?.clientConfig?.service) spec.conversion.webhook.clientConfig.service.port ??= 443;
  for (const v of spec.versions ?? []) {
    const scale = v.subresources?.scale;
    if (scale && !scale.labelSelectorPath) delete scale.labelSelectorPath;
  }
}

/** The storage version joins storedVersions (PrepareForCreate/Update). */
function addStorageVersion(crd: CustomResourceDefinition): void {
  const storage = crd.spec?.versions?.find((v) => v.storage);
  if (!storage || !crd.status) return;
  const stored = (crd.status.storedVersions ??= []);
  if (!stored.includes(storage.name)) stored.push(storage.name);
}

/** The definition, with the CEL compiler of x-kubernetes-validations rules wired in by app.ts (none: rules are not compiled). */
export function customResourceDefinitions(compileRules?: CompileSchemaRules): ResourceDef {
  return {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    resource: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    namespaced: false,
    schema: customResourceDefinition,
    // The apiextensions server stores by group and resource (SimpleRestOptionsFactory).
    storagePrefix: 'apiextensions.k8s.io/customresourcedefinitions',
    hasStatus: true,
    hasGeneration: true,
    allowUnconditionalUpdate: false,
    genericObjectMeta: true,
    defaults,
    prepareForCreate(o) {
      o.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
      addStorageVersion(asCrd(o));
    },
    prepareForUpdate(o) {
      addStorageVersion(asCrd(o));
    },
    validate: (o) => validateCrd(asCrd(o), compileRules),
    validateUpdate: (o, old, _ctx, sub) => (sub === 'status' ? validateCrdStatusUpdate(asCrd(o)) : validateCrdUpdate(asCrd(o), asCrd(old), compileRules)),
    warningsOnCreate: (o) => (asCrd(o).spec?.versions ?? []).flatMap((v) => unrecognizedFormats(versionSchema(v))),
    markDeleting(o) {
      const crd = asCrd(o);
      // The definition's own DELETE sets the deletion timestamp, its finalizer and the condition, nothing else.
      if (o.metadata.generation) o.metadata.generation -= 1;
      const finalizers = (o.metadata.finalizers ??= []);
      if (!finalizers.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) finalizers.push(CUSTOM_RESOURCE_CLEANUP_FINALIZER);
      setCrdCondition(crd, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon' }, o.metadata.deletionTimestamp ?? '');
    },
  };
}
