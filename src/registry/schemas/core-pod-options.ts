// The query-parameter kinds of the pods connect subresources (k8s.io/api/core/v1): what discovery
// names as the kinds of pods/exec, pods/attach and pods/portforward.
import { arr, bool, int32, obj, pb, str, type Schema } from '../../api/schema.js';

const CORE = 'io.k8s.api.core.v1';

const typeMeta: Record<string, Schema> = {
  apiVersion: str('Versioned schema of this representation of an object.'),
  kind: str('REST resource this object represents, in CamelCase.'),
};

const streams = {
  container: pb(5, str('Container in which to run the command; defaults to the only container if there is only one.')),
  stderr: pb(3, bool('Redirect the standard error stream of the pod for this call.')),
  stdin: pb(1, bool('Redirect the standard input stream of the pod for this call; defaults to false.')),
  stdout: pb(2, bool('Redirect the standard output stream of the pod for this call.')),
  tty: pb(4, bool('Allocate a terminal for this call; defaults to false.')),
};

export const podExecOptions = obj(`${CORE}.PodExecOptions`, 'The query options to a Pod\'s remote exec call.', {
  ...typeMeta,
  command: pb(6, arr(str(''), 'Command is the remote command to execute; argv array; not executed within a shell.')),
  ...streams,
}, { required: ['command'], gvk: [{ group: '', version: 'v1', kind: 'PodExecOptions' }] });

export const podAttachOptions = obj(`${CORE}.PodAttachOptions`, 'The request options of an attach call.', {
  ...typeMeta,
  ...streams,
}, { gvk: [{ group: '', version: 'v1', kind: 'PodAttachOptions' }] });

export const podPortForwardOptions = obj(`${CORE}.PodPortForwardOptions`, 'The query options to a pod\'s port forward call.', {
  ...typeMeta,
  ports: pb(1, arr(int32(''), 'List of ports to forward.')),
}, { gvk: [{ group: '', version: 'v1', kind: 'PodPortForwardOptions' }] });
