// Access analysis at 100,000 bindings: who-can (every subject allowed to list pods in default) and
// matrix (one subject × the known resources × eight verbs), each beside one RBAC decision made by a
// plain scan of every binding, measured in the same run. And lint over 10,000 objects beside
// building the policy from them and parsing them from YAML. `node dist/bench/access.js` runs both alone.
import type { KubeObject } from '../src/api/meta.js';
import { yaml } from '../src/api/yaml.js';
import { AccessPolicy, serviceAccountUser } from '../src/access/policy.js';
import { parseManifests } from '../src/access/load-files.js';
import { lint } from '../src/access/lint/lint.js';
import { whoCan } from '../src/access/who-can.js';
import { matrix } from '../src/access/matrix.js';
import { median, progress, progressDone, rate } from './measure.js';
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

export interface LintRow {
  objects: number;
  findings: number;
  /** lint over the built policy (ms, median of the runs). */
  lintMs: number;
  /** Baselines on the same objects: building the AccessPolicy, and parsing them from YAML (ms, medians). */
  policyMs: number;
  yamlMs: number;
}

const timeMs = (fn: () => unknown) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};

/**
 * About `n` objects as an application platform has them, ten a team application in 100 namespaces:
 * a ServiceAccount (some documented, some not mounting their token, some listing a legacy token
 * Secret), a Role and RoleBinding (reads, secret reads by name or not, workload writes, exec,
 * wildcards, a missing ServiceAccount now and then, groups), a Deployment and a bare Pod (the
 * default ServiceAccount, the deprecated field, long projected tokens), a Secret; and every tenth
 * application a ClusterRole and ClusterRoleBinding (cluster-wide secrets, nodes/proxy,
 * impersonation, escalation, admission writes, CSR approval).
 */
export function lintObjects(n: number): KubeObject[] {
  const RBAC = 'rbac.authorization.k8s.io';
  const out: KubeObject[] = [];
  const rules: object[][] = [
    [{ apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['get', 'list', 'watch'] }],
    [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['db'], verbs: ['get'] }],
    [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }, { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
    [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'update', 'patch'] }, { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['create'] }],
    [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }, { apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
    [{ apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] }, { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }],
  ];
  const clusterRules: object[][] = [
    [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }],
    [{ apiGroups: [''], resources: ['users', 'groups', 'serviceaccounts'], verbs: ['impersonate'] }],
    [{ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['escalate', 'bind'] }, { apiGroups: [RBAC], resources: ['clusterrolebindings'], verbs: ['create'] }],
    [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['create', 'update'] }],
    [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] }, { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] }],
    [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
  ];
  const spec = (i: number, sa: string) => ({
    ...(i % 4 === 0 ? {} : { serviceAccountName: sa }),
    ...(i % 9 === 0 ? { serviceAccount: `${sa}-old` } : {}),
    ...(i % 5 === 0 ? { automountServiceAccountToken: false } : {}),
    containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }],
    ...(i % 11 === 0 ? { volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 604800 } }] } }] } : {}),
  });
  for (let i = 0; out.length < n; i++) {
    const ns = `team-${i % 100}`;
    const app = `app-${i}`;
    const meta = { name: app, namespace: ns, labels: { app } };
    out.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { ...meta, ...(i % 3 === 0 ? { annotations: { 'kubernetes.io/description': `runs ${app}` } } : {}) },
      ...(i % 7 === 0 ? { automountServiceAccountToken: false } : {}),
      ...(i % 13 === 0 ? { secrets: [{ name: `${app}-token-abcde` }] } : {}),
    } as KubeObject);
    out.push({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: meta, rules: rules[i % rules.length] });
    const subjects = [i % 17 === 0 ? { kind: 'ServiceAccount', name: `${app}-gone`, namespace: ns } : { kind: 'ServiceAccount', name: app, namespace: ns }, ...(i % 19 === 0 ? [{ kind: 'Group', apiGroup: RBAC, name: `system:serviceaccounts:${ns}` }] : [])];
    out.push({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: meta, subjects, roleRef: { apiGroup: RBAC, kind: i % 8 === 0 ? 'ClusterRole' : 'Role', name: i % 8 === 0 ? 'edit' : app } });
    out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { replicas: 2, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: spec(i, app) } } });
    out.push({ apiVersion: 'v1', kind: 'Pod', metadata: { ...meta, name: `${app}-debug` }, spec: spec(i + 1, i % 6 === 0 ? app : 'default') });
    out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { ...meta, name: `${app}-db` }, type: 'Opaque', data: { password: 'cGFzcw==' } });
    if (i % 13 === 0) out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `${app}-token-abcde`, namespace: ns, annotations: { 'kubernetes.io/service-account.name': app } }, type: 'kubernetes.io/service-account-token' } as KubeObject);
    if (i % 10 === 0) {
      const name = `platform-${i}`;
      out.push({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules: clusterRules[(i / 10) % clusterRules.length] });
      out.push({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, subjects: [{ kind: 'ServiceAccount', name: app, namespace: ns }], roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name } });
    }
  }
  return out.slice(0, n);
}

/** lint over `n` generated objects, beside building the AccessPolicy from them and parsing them from YAML. */
export function lintBench(n = 10_000, runs = 5): LintRow {
  const objects = lintObjects(n);
  const text = objects.map((o) => yaml().stringify(o)).join('---\n');
  const parsed: number[] = [];
  const built: number[] = [];
  const linted: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    progress(`access: lint over ${n.toLocaleString('en-US')} objects, run ${i + 1} of ${runs}`);
    parsed.push(timeMs(() => parseManifests(text, 'bench')));
    let policy!: AccessPolicy;
    built.push(timeMs(() => (policy = new AccessPolicy(objects, { bootstrap: true }))));
    linted.push(timeMs(() => (findings = lint(policy, 'the files given').findings.length)));
  }
  return { objects: n, findings, lintMs: median(linted), policyMs: median(built), yamlMs: median(parsed) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const row11 = await accessBench();
  const row12 = lintBench();
  progressDone();
  console.log(JSON.stringify({ access: row11, lint: row12 }, null, 2));
}
