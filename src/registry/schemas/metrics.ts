// metrics.k8s.io/v1beta1 kinds (k8s.io/metrics/pkg/apis/metrics/v1beta1), as metrics-server
// serves them: read-only figures, not stored.
import { arr, described, mapOf, obj, pb, quantity, str, time } from '../../api/schema.js';
import { kind } from './meta.js';

const METRICS = 'io.k8s.metrics.pkg.apis.metrics.v1beta1';
export const METRICS_GROUP = 'metrics.k8s.io';

const usage = (description: string) => mapOf(quantity(), description);
const timestamp = time('The end of the interval the figures were collected over, [timestamp − window, timestamp].');
const window = str('The length of that interval (a Go duration: "10.5s").', { duration: true });

export const containerMetrics = obj(`${METRICS}.ContainerMetrics`, 'Resource usage of one container.', {
  name: pb(1, str("The container's name, as in the pod's spec.")),
  usage: pb(2, usage('CPU (cores) and memory (the working set) in use.')),
}, { required: ['name', 'usage'] });

export const nodeMetrics = kind(METRICS_GROUP, 'v1beta1', 'NodeMetrics', METRICS, 'Resource usage of a node.', {
  timestamp: pb(2, timestamp),
  window: pb(3, window),
  usage: pb(4, usage('CPU (cores) and memory (the working set) in use.')),
}, { required: ['timestamp', 'window', 'usage'] });

export const podMetrics = kind(METRICS_GROUP, 'v1beta1', 'PodMetrics', METRICS, 'Resource usage of the containers of a pod.', {
  timestamp: pb(2, timestamp),
  window: pb(3, window),
  containers: pb(4, described('The figures of each container, all over the same window.', arr(containerMetrics, undefined, { listType: 'atomic' }))),
}, { required: ['timestamp', 'window', 'containers'] });
