// apiregistration.k8s.io/v1 APIService (k8s.io/kube-aggregator), as served by Kubernetes 1.32.
import { bool, bytes, described, int32, keyedList, obj, pb, ptr, str, time } from '../../api/schema.js';
import { kind } from './meta.js';

const APIREGISTRATION = 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1';

const serviceReference = obj(`${APIREGISTRATION}.ServiceReference`, 'The Service that serves an APIService.', {
  name: pb(2, str('The name of the Service.')),
  namespace: pb(1, str('The namespace of the Service.')),
  port: pb(3, ptr(int32('The port of the Service to reach (1-65535); 443 when unset.'))),
});

const spec = obj(
  `${APIREGISTRATION}.APIServiceSpec`,
  'Where the server of an API group version is and how to reach it (over HTTPS only).',
  {
    caBundle: pb(5, bytes('PEM certificates of the CAs that sign the serving certificate of the Service (base64 in JSON and YAML).')),
    group: pb(2, str('The API group it serves.')),
    groupPriorityMinimum: pb(7, int32('The least priority of the group (1-20000): groups are listed from the highest, then by name.')),
    insecureSkipTLSVerify: pb(4, bool('Skip the check of the serving certificate of the Service: strongly discouraged, set caBundle instead.')),
    service: pb(1, ptr(described('The Service that serves the group version; unset: served by this server itself (Local).', serviceReference))),
    version: pb(3, str('The API version it serves, such as "v1".')),
    versionPriority: pb(8, int32('The order of the version within its group (1-1000): the highest first, then kube-like version order.')),
  },
  { required: ['groupPriorityMinimum', 'versionPriority'] },
);

const condition = obj(
  `${APIREGISTRATION}.APIServiceCondition`,
  'One condition of an APIService (Available).',
  {
    lastTransitionTime: pb(3, time('When the condition last changed.')),
    message: pb(5, str('A human-readable explanation.')),
    reason: pb(4, str('A one-word reason, in CamelCase.')),
    status: pb(2, str('True, False or Unknown.')),
    type: pb(1, str('The type of the condition.')),
  },
  { required: ['type', 'status'] },
);

const status = obj(`${APIREGISTRATION}.APIServiceStatus`, 'The observed state of an APIService.', {
  conditions: pb(1, keyedList(condition, 'type', 'Its conditions.')),
});

export const apiService = kind('apiregistration.k8s.io', 'v1', 'APIService', APIREGISTRATION, 'The server of one API group version; its name is "<version>.<group>".', {
  spec: pb(2, described('Where the server is and how to reach it.', spec)),
  status: pb(3, described('Whether it is available.', status)),
});
