// autoscaling/v1 Scale (k8s.io/api/autoscaling/v1), the scale subresource, as served by Kubernetes 1.32.
import { described, int32, obj, pb, str } from '../../api/schema.js';
import { kind } from './meta.js';

const AUTOSCALING = 'io.k8s.api.autoscaling.v1';

export const scaleSpec = obj(`${AUTOSCALING}.ScaleSpec`, 'The desired scale of a resource.', {
  replicas: pb(1, int32('Desired number of instances of the scaled object.')),
});

export const scaleStatus = obj(`${AUTOSCALING}.ScaleStatus`, 'The current scale of a resource.', {
  replicas: pb(1, int32('Number of instances observed.')),
  selector: pb(2, str('Label query, in string form, over the pods that should match the replica count.')),
}, { required: ['replicas'] });

export const scale = kind('autoscaling', 'v1', 'Scale', AUTOSCALING, 'The scale subresource of a resource.', {
  spec: pb(2, described('Desired scale of the object.', scaleSpec)),
  status: pb(3, described('Current scale of the object, filled in by the server.', scaleStatus)),
});
