// storage.k8s.io/v1 StorageClass (k8s.io/api/storage/v1), as served by Kubernetes 1.32.
import { arr, bool, obj, pb, ptr, str, stringMap } from '../../api/schema.js';
import { kind } from './meta.js';

const STORAGE = 'io.k8s.api.storage.v1';
const CORE = 'io.k8s.api.core.v1';

export const topologySelectorLabelRequirement = obj(`${CORE}.TopologySelectorLabelRequirement`, 'A topology label and the values it may have.', {
  key: pb(1, str('The label key.')),
  values: pb(2, arr(str(), 'The values the label may have, ORed.', { listType: 'atomic' })),
}, { required: ['key', 'values'] });

export const topologySelectorTerm = obj(`${CORE}.TopologySelectorTerm`, 'Topology label requirements, ANDed.', {
  matchLabelExpressions: pb(1, arr(topologySelectorLabelRequirement, 'Requirements on topology labels.', { listType: 'atomic' })),
}, { mapType: 'atomic' });

export const storageClass = kind('storage.k8s.io', 'v1', 'StorageClass', STORAGE, 'A class of storage that volumes are provisioned from on demand; the annotation storageclass.kubernetes.io/is-default-class makes it the default class.', {
  allowVolumeExpansion: pb(6, ptr(bool('Whether claims of this class may be expanded.'))),
  allowedTopologies: pb(8, arr(topologySelectorTerm, 'Where volumes may be provisioned; anywhere when empty.', { listType: 'atomic' })),
  mountOptions: pb(5, arr(str(), 'Mount options of the volumes provisioned, not validated.', { listType: 'atomic' })),
  parameters: pb(3, stringMap('Parameters for the provisioner.')),
  provisioner: pb(2, str('The provisioner that makes volumes of this class.')),
  reclaimPolicy: pb(4, ptr(str('Delete (the default) or Retain: what happens to provisioned volumes when their claim goes.'))),
  volumeBindingMode: pb(7, ptr(str('Immediate (the default) or WaitForFirstConsumer: when claims are bound and provisioned.'))),
}, { required: ['provisioner'] });
