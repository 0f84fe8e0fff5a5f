// meta/v1 types shared by every kind (k8s.io/apimachinery/pkg/apis/meta/v1).
import { any, arr, bool, described, int32, int64, obj, pb, ptr, str, stringMap, time, type ObjectSchema, type Schema } from '../../api/schema.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const ownerReference = obj(`${META}.OwnerReference`, 'A reference to an object that owns this one, in the same namespace.', {
  apiVersion: pb(5, str('API version of the owner.')),
  blockOwnerDeletion: pb(7, ptr(bool('When true, and the owner has the foregroundDeletion finalizer, the owner cannot be deleted from storage until this reference is removed.'))),
  controller: pb(6, ptr(bool('When true, this reference points to the managing controller.'))),
  kind: pb(1, str('Kind of the owner.')),
  name: pb(3, str('Name of the owner.')),
  uid: pb(4, str('UID of the owner.')),
}, { required: ['apiVersion', 'kind', 'name', 'uid'], mapType: 'atomic' });

export const managedFieldsEntry = obj(`${META}.ManagedFieldsEntry`, 'The set of fields a workflow (manager) owns, and the operation that set them.', {
  apiVersion: pb(3, str('Version of the resource the fieldset applies to.')),
  fieldsType: pb(6, str('Format of the fields; only FieldsV1 exists.')),
  fieldsV1: pb(7, ptr(any('The field set, in FieldsV1 format.'))),
  manager: pb(1, str('Identifier of the workflow managing these fields.')),
  operation: pb(2, str('Apply or Update.')),
  subresource: pb(8, str('Subresource used to update the object, if any.')),
  time: pb(4, ptr(time('When these fields were last changed.'))),
});

export const objectMeta = obj(`${META}.ObjectMeta`, 'Metadata that all persisted resources must have.', {
  annotations: pb(12, stringMap('Unstructured key value map stored with a resource, not used for selection.')),
  creationTimestamp: pb(8, time('When the object was created, set by the server. Read-only.')),
  deletionGracePeriodSeconds: pb(10, ptr(int64('Seconds allowed for this object to terminate gracefully before it is removed. Read-only.'))),
  deletionTimestamp: pb(9, ptr(time('When the object will be deleted, set by the server when deletion is requested. Read-only.'))),
  finalizers: pb(14, arr(str(), 'Identifiers that must be empty before the object is deleted from storage.', { listType: 'set', patchStrategy: 'merge' })),
  generateName: pb(2, str('Prefix the server uses to generate a unique name when name is not provided.')),
  generation: pb(7, int64('A sequence number for a specific generation of the desired state. Read-only.')),
  labels: pb(11, stringMap('Map of string keys and values used to organize and select objects.')),
  managedFields: pb(17, arr(managedFieldsEntry, 'Which workflow owns which fields. Mostly for internal housekeeping.', { keepEmpty: true })),
  name: pb(1, str('Name, unique within a namespace. Cannot be updated.')),
  namespace: pb(3, str('The namespace the object lives in. Empty for cluster-scoped objects.')),
  ownerReferences: pb(13, { ...arr(ownerReference, 'Objects this object depends on.'), mergeKey: 'uid', patchStrategy: 'merge', listType: 'map', listMapKeys: ['uid'] }),
  resourceVersion: pb(6, str('Opaque version of the object, for optimistic concurrency and watches. Read-only.')),
  selfLink: pb(4, str('Deprecated; not set by the server.')),
  uid: pb(5, str('Unique identifier in time and space, set by the server. Read-only.')),
});

export const listMeta = obj(`${META}.ListMeta`, 'Metadata of a list.', {
  continue: pb(3, str('Token to fetch the next page of a paged list.')),
  remainingItemCount: pb(4, ptr(int64('Items left after this page, when known.'))),
  resourceVersion: pb(2, str('The version of the list, for watches from this point.')),
  selfLink: pb(1, str('Deprecated; not set by the server.')),
});

export const labelSelectorRequirement = obj(`${META}.LabelSelectorRequirement`, 'A selector requirement: a key, an operator and values.', {
  key: pb(1, str('The label key the selector applies to.')),
  operator: pb(2, str('In, NotIn, Exists or DoesNotExist.')),
  values: pb(3, arr(str(), 'Values for In and NotIn; empty for Exists and DoesNotExist.', { listType: 'atomic' })),
}, { required: ['key', 'operator'] });

export const labelSelector = obj(`${META}.LabelSelector`, 'A label query over a set of resources. Requirements are ANDed; an empty selector matches everything, a null one nothing.', {
  matchExpressions: pb(2, arr(labelSelectorRequirement, 'Label selector requirements, ANDed.', { listType: 'atomic' })),
  matchLabels: pb(1, stringMap('Exact key=value pairs, each equal to a matchExpressions In requirement with one value.')),
}, { mapType: 'atomic' });

export const condition = obj(`${META}.Condition`, 'One aspect of the current state of a resource.', {
  lastTransitionTime: pb(4, time('When the condition last changed status.')),
  message: pb(6, str('Human readable detail about the transition.')),
  observedGeneration: pb(3, int64('The .metadata.generation the condition was set from.')),
  reason: pb(5, str('Machine readable CamelCase reason for the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Type of condition in CamelCase.')),
}, { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] });

/** The apiVersion and kind fields every top-level object carries (TypeMeta; not in protobuf messages). */
export const typeMeta: Record<string, Schema> = {
  apiVersion: str('Versioned schema of this representation of an object.'),
  kind: str('REST resource this object represents, in CamelCase.'),
};

const statusCause = obj(`${META}.StatusCause`, 'More detail about one reason a request failed.', {
  field: pb(3, str('The field of the resource that caused the error, as a JSON path (items[0].name). Optional.')),
  message: pb(2, str('A human-readable description of the cause.')),
  reason: pb(1, str('A machine-readable description of the cause.')),
});

const statusDetails = obj(`${META}.StatusDetails`, 'Additional information about a Status, set depending on its reason.', {
  causes: pb(4, arr(statusCause, 'Further details of the failure, such as one entry per invalid field.', { listType: 'atomic' })),
  group: pb(2, str('The group of the resource the status is about.')),
  kind: pb(3, str('The kind of the resource the status is about.')),
  name: pb(1, str('The name of the resource the status is about.')),
  retryAfterSeconds: pb(5, int32('Seconds to wait before the operation may be retried.')),
  uid: pb(6, str('The UID of the resource the status is about.')),
});

/** metav1.Status: the result of a request that returns no object, and the body of every error. */
export const status = obj(
  `${META}.Status`,
  'The result of a request that does not return an object, and the body of every error.',
  {
    ...typeMeta,
    code: pb(6, int32('Suggested HTTP status code; 0 when unset.')),
    details: pb(5, ptr({ ...statusDetails, fieldDescription: 'Extended data, depending on the reason.' })),
    message: pb(3, str('A human-readable description of the result.')),
    metadata: pb(1, { ...listMeta, fieldDescription: 'Standard list metadata.' }),
    reason: pb(4, str('A machine-readable reason for a Failure status; empty when unknown.')),
    status: pb(2, str('Success or Failure.')),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Status' }] },
);

/** metav1.PartialObjectMetadata: an object's metadata alone, for clients that ask for nothing more. */
export const partialObjectMetadata = obj(
  `${META}.PartialObjectMetadata`,
  'The metadata of an object of any kind.',
  { ...typeMeta, metadata: pb(1, described("Standard object's metadata.", objectMeta)) },
  { gvk: [{ group: 'meta.k8s.io', version: 'v1', kind: 'PartialObjectMetadata' }] },
);

/** A top-level kind: TypeMeta, metadata (field 1) and the kind's own fields. */
export function kind(
  group: string,
  version: string,
  kindName: string,
  pkg: string,
  description: string,
  fields: Record<string, Schema>,
  opts: { required?: string[] } = {},
): ObjectSchema {
  return obj(`${pkg}.${kindName}`, description, { ...typeMeta, metadata: pb(1, described("Standard object's metadata.", objectMeta)), ...fields }, {
    ...opts,
    gvk: [{ group, version, kind: kindName }],
  });
}
