// Access analysis at 100,000 bindings: who-can (every subject allowed to list pods in default) and
// matrix (one subject × the known resources × eight verbs), each beside one RBAC decision made by a
// plain scan of every binding, measured in the same run.
import { AccessPolicy, serviceAccountUser } from '../src/access/policy.js';
import { whoCan } from '../src/access/who-can.js';
import { matrix } from '../src/access/matrix.js';
import { progress, rate } from './measure.js';
import { ATTRS, policyObjects, scanAuthorize } from './rbac.js';

export interface AccessRow {
  bindings: number;
  whoCanMs: number;
  matrixMs: number;
  scanDecisionMs: number;
}

export async function accessBench(n = 100_000, ms = 2000): Promise<AccessRow> {
  progress(`access: building ${n.toLocaleString('en-US')} bindings`);
  const policy = new AccessPolicy(policyObjects(n));
  const { verb, isResourceRequest, path, apiGroup, resource, subresource, name } = ATTRS;
  const request = { verb, isResourceRequest, path, apiGroup, resource, subresource, name, namespace: 'default' };
  if (!whoCan(policy, { request, namespace: 'default' }).some((r) => r.binding.name === 'read-pods')) throw new Error('who-can must find read-pods');
  progress('access: who-can');
  const who = await rate(() => whoCan(policy, { request, namespace: 'default' }), ms, 1);
  progress('access: matrix');
  const user = serviceAccountUser('default', 'app-reader');
  const mat = await rate(() => matrix(policy, user, 'default'), ms, 1);
  progress('access: one decision by a plain scan');
  const scan = await rate(() => scanAuthorize(policy.index, ATTRS), ms, 1);
  return { bindings: n, whoCanMs: 1000 / who.opsPerSec, matrixMs: 1000 / mat.opsPerSec, scanDecisionMs: 1000 / scan.opsPerSec };
}
