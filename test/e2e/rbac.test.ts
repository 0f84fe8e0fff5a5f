// RBAC with the real kubectl: the tutorial's checks, kubectl auth can-i, escalation prevention,
// aggregation, the bootstrap policy, the review APIs and impersonation through RBAC.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';
import { eventually } from '../../src/testing/eventually.js';

const APP_READER = '--as=system:serviceaccount:default:app-reader';

describe('e2e: RBAC', () => {
  let b: Badge;
  const k = (...args: string[]) => b.kubectl(args);
  before(async () => {
    b = await startBadge();
    for (const ns of ['production', 'monitoring']) await k('create', 'namespace', ns);
  });
  after(() => b.close());

  describe('the tutorial', () => {
    it('§4: the pod-reader Role lets app-reader list pods and nothing more', async () => {
      assert.equal((await k('apply', '-f', `${EXAMPLES}/06-pod-reader.yaml`)).code, 0);
      const yes = await k('auth', 'can-i', 'list', 'pods', APP_READER);
      assert.deepEqual([yes.code, yes.stdout], [0, 'yes\n']);
      const no = await k('auth', 'can-i', 'delete', 'pods', APP_READER);
      assert.deepEqual([no.code, no.stdout], [1, 'no\n']);
    });

    it('§4: auth can-i --list prints the rules table', async () => {
      const r = await k('auth', 'can-i', '--list', APP_READER);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split('\n');
      assert.match(lines[0]!, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
      assert.ok(lines.some((l) => /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/.test(l)), r.stdout);
      assert.ok(lines.some((l) => /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/.test(l)));
      assert.ok(lines.some((l) => /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]$/.test(l)));
    });

    it('§7: each example ServiceAccount can do exactly what its role grants', async () => {
      for (const f of ['09-readonly-app.yaml', '10-cicd-deployer.yaml', '11-monitoring-app.yaml', '12-backup-job.yaml']) assert.equal((await k('apply', '-f', `${EXAMPLES}/${f}`)).code, 0, f);
      const cases: [string, string[], boolean][] = [
        ['system:serviceaccount:production:readonly-app', ['get', 'services', '-n', 'production'], true],
        ['system:serviceaccount:production:readonly-app', ['watch', 'pods', '-n', 'production'], true],
        ['system:serviceaccount:production:readonly-app', ['get', 'pods', '-n', 'default'], false],
        ['system:serviceaccount:production:readonly-app', ['delete', 'pods', '-n', 'production'], false],
        ['system:serviceaccount:default:cicd-deployer', ['create', 'deployments.apps', '-n', 'staging'], true],
        ['system:serviceaccount:default:cicd-deployer', ['delete', 'secrets', '-n', 'default'], true],
        ['system:serviceaccount:default:cicd-deployer', ['watch', 'deployments.apps'], false],
        ['system:serviceaccount:default:cicd-deployer', ['create', 'pods'], false],
        ['system:serviceaccount:monitoring:monitoring-app', ['list', 'nodes'], true],
        ['system:serviceaccount:monitoring:monitoring-app', ['watch', 'pods', '-A'], true],
        ['system:serviceaccount:monitoring:monitoring-app', ['get', 'secrets', '-n', 'monitoring'], false],
        ['system:serviceaccount:default:backup-job-sa', ['list', 'persistentvolumeclaims'], true],
        ['system:serviceaccount:default:backup-job-sa', ['create', 'pods'], true],
        ['system:serviceaccount:default:backup-job-sa', ['delete', 'pods'], false],
        ['system:serviceaccount:default:backup-job-sa', ['list', 'pods', '-n', 'production'], false],
      ];
      for (const [user, args, allowed] of cases) {
        const r = await k('auth', 'can-i', ...args, `--as=${user}`);
        assert.equal(r.stdout.split('\n')[0], allowed ? 'yes' : 'no', `${user} ${args.join(' ')}: ${r.stderr}`);
      }
    });

    it('§9: creating the role and binding with kubectl turns no into yes', async () => {
      const as = '--as=system:serviceaccount:default:my-app-sa';
      await k('create', 'serviceaccount', 'my-app-sa');
      assert.equal((await k('auth', 'can-i', 'get', 'pods', as)).stdout, 'no\n');
      await k('delete', 'role', 'pod-reader');
      await k('delete', 'rolebinding', 'read-pods');
      assert.equal((await k('create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods')).stdout, 'role.rbac.authorization.k8s.io/pod-reader created\n');
      assert.equal((await k('create', 'rolebinding', 'read-pods', '--role=pod-reader', '--serviceaccount=default:my-app-sa')).stdout, 'rolebinding.rbac.authorization.k8s.io/read-pods created\n');
      assert.equal((await k('auth', 'can-i', 'get', 'pods', as)).stdout, 'yes\n');
    });

    it('§5: the Forbidden message a ServiceAccount gets for what it may not do', async () => {
      const r = await k('get', 'services', APP_READER.replace('app-reader', 'my-app-sa'));
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'Error from server (Forbidden): services is forbidden: User "system:serviceaccount:default:my-app-sa" cannot list resource "services" in API group "" in the namespace "default"\n');
    });
  });

  describe('kubectl auth can-i', () => {
    it('answers for subresources, names, all namespaces, non-resource URLs, and quietly', async () => {
      // After §9, my-app-sa may get and list pods in default.
      const as = '--as=system:serviceaccount:default:my-app-sa';
      assert.equal((await k('auth', 'can-i', 'get', 'pods', '--subresource=log', as)).stdout, 'no\n');
      assert.equal((await k('auth', 'can-i', 'get', 'pods/app-pod', as)).stdout, 'yes\n');
      assert.equal((await k('auth', 'can-i', 'list', 'pods', '-A', as)).stdout, 'no\n');
      assert.equal((await k('auth', 'can-i', 'get', '/healthz', as)).stdout, 'yes\n');
      assert.equal((await k('auth', 'can-i', 'post', '/healthz', as)).stdout, 'no\n');
      const q = await k('auth', 'can-i', 'delete', 'pods', '-q', as);
      assert.deepEqual([q.code, q.stdout], [1, '']);
      const admin = await k('auth', 'can-i', '*', '*');
      assert.deepEqual([admin.code, admin.stdout], [0, 'yes\n']);
    });

    it('answers for groups given with --as-group', async () => {
      await k('create', 'clusterrolebinding', 'devs-view', '--clusterrole=view', '--group=devs');
      assert.equal((await k('auth', 'can-i', 'list', 'configmaps', '--as=dora', '--as-group=devs')).stdout, 'yes\n');
      assert.equal((await k('auth', 'can-i', 'list', 'secrets', '--as=dora', '--as-group=devs')).stdout, 'no\n');
      assert.equal((await k('auth', 'can-i', 'list', 'configmaps', '--as=dora')).stdout, 'no\n');
    });

    it('works for every identity: whoami as a plain user through system:basic-user', async () => {
      const r = await k('auth', 'whoami', '--as=jane');
      assert.equal(r.stdout, 'ATTRIBUTE   VALUE\nUsername    jane\nGroups      [system:authenticated]\n', r.stderr);
    });
  });

  describe('escalation prevention', () => {
    before(async () => {
      // jane may write roles and bindings in default, and read pods there; nothing else.
      await k('create', 'role', 'rbac-writer', '--verb=create,update,patch,get', '--resource=roles,rolebindings');
      await k('create', 'role', 'pods-get', '--verb=get', '--resource=pods');
      await k('create', 'rolebinding', 'jane-rbac', '--role=rbac-writer', '--user=jane');
      await k('create', 'rolebinding', 'jane-pods', '--role=pods-get', '--user=jane');
    });

    it('lets a user grant what it holds', async () => {
      const r = await k('create', 'role', 'pods-get-copy', '--verb=get', '--resource=pods', '--as=jane');
      assert.equal(r.stdout, 'role.rbac.authorization.k8s.io/pods-get-copy created\n', r.stderr);
    });

    it('refuses a Role with permissions the user does not hold, listing them', async () => {
      const r = await k('create', 'role', 'secrets-reader', '--verb=get,list', '--resource=secrets,configmaps', '--as=jane');
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        'Error from server (Forbidden): roles.rbac.authorization.k8s.io "secrets-reader" is forbidden: user "jane" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
          '{APIGroups:[""], Resources:["configmaps"], Verbs:["get" "list"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}\n',
      );
    });

    it('refuses a binding to a role the user could not have written', async () => {
      const r = await k('create', 'rolebinding', 'jane-edit', '--clusterrole=edit', '--user=jane', '--as=jane');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error: failed to create rolebinding: rolebindings\.rbac\.authorization\.k8s\.io "jane-edit" is forbidden: user "jane" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n/);
    });

    it('allows it with the bind verb on that role, and escalate for roles', async () => {
      await k('create', 'clusterrole', 'edit-binder', '--verb=bind', '--resource=clusterroles', '--resource-name=edit');
      await k('create', 'rolebinding', 'jane-binds-edit', '--clusterrole=edit-binder', '--user=jane');
      const bound = await k('create', 'rolebinding', 'jane-edit', '--clusterrole=edit', '--user=jane', '--as=jane');
      assert.equal(bound.stdout, 'rolebinding.rbac.authorization.k8s.io/jane-edit created\n', bound.stderr);
      await k('create', 'clusterrole', 'role-escalator', '--verb=escalate', '--resource=roles');
      await k('create', 'rolebinding', 'jane-escalates', '--clusterrole=role-escalator', '--user=jane');
      const role = await k('create', 'role', 'anything', '--verb=*', '--resource=*', '--as=jane');
      assert.equal(role.stdout, 'role.rbac.authorization.k8s.io/anything created\n', role.stderr);
    });

    it('requires cluster-admin for an aggregationRule', async () => {
      await k('create', 'clusterrole', 'clusterrole-writer', '--verb=create', '--resource=clusterroles');
      await k('create', 'clusterrolebinding', 'jane-clusterroles', '--clusterrole=clusterrole-writer', '--user=jane');
      const r = await k('create', 'clusterrole', 'aggregator', '--aggregation-rule=team=x', '--as=jane');
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io "aggregator" is forbidden: must have cluster-admin privileges to use the aggregationRule\n');
    });
  });

  describe('aggregation and the bootstrap policy', () => {
    it('aggregates a new ClusterRole into view, edit and admin', async () => {
      await b.api(
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/clusterroles',
        JSON.stringify({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
          rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }],
        }),
      );
      for (const role of ['view', 'edit', 'admin']) {
        await eventually(async () => JSON.stringify((await b.api('GET', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role}`)).json.rules).includes('widgets'), `${role} to aggregate widgets`);
      }
      const review = await b.api(
        'POST',
        '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'dora', groups: ['devs'], resourceAttributes: { verb: 'get', group: 'example.com', resource: 'widgets' } } }),
      );
      assert.equal(review.json.status.allowed, true, review.text);
    });

    it('has the default roles and bindings', async () => {
      for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:service-account-issuer-discovery', 'system:auth-delegator', 'system:monitoring']) {
        assert.equal((await b.api('GET', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`)).status, 200, name);
      }
      const crb = (await b.api('GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:public-info-viewer')).json;
      assert.deepEqual(crb.subjects.map((s: any) => s.name), ['system:authenticated', 'system:unauthenticated']);
      const anonymous = await b.api(
        'POST',
        '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'system:anonymous', groups: ['system:unauthenticated'], nonResourceAttributes: { verb: 'get', path: '/version' } } }),
      );
      assert.deepEqual(anonymous.json.status, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"' });
    });
  });

  describe('impersonation through RBAC', () => {
    it('lets a user with impersonate on serviceaccounts act as one, and nothing else', async () => {
      await k('create', 'clusterrole', 'sa-impersonator', '--verb=impersonate', '--resource=serviceaccounts');
      await k('create', 'clusterrolebinding', 'ivan-impersonates', '--clusterrole=sa-impersonator', '--user=ivan');
      const token = await b.api('POST', '/api/v1/namespaces/default/serviceaccounts/app-reader/token', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }));
      assert.equal(token.status, 201);
      // ivan is impersonated by the admin; ivan in turn cannot impersonate a user.
      const r = await b.api('GET', '/api/v1/namespaces/default/pods', undefined, { 'Impersonate-User': 'ivan' });
      assert.equal(r.status, 403);
      assert.equal(r.json.message, 'pods is forbidden: User "ivan" cannot list resource "pods" in API group "" in the namespace "default"');
    });
  });

  describe('review APIs', () => {
    const post = (path: string, body: object) => b.api('POST', path, JSON.stringify(body));
    const SAR = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

    it('SubjectAccessReview: allowed with the reason, or not', async () => {
      const r = await post(SAR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'system:serviceaccount:default:my-app-sa', resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } } });
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(r.json.status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "read-pods/default" of Role "pod-reader" to ServiceAccount "my-app-sa/default"' });
      const denied = await post(SAR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'nobody', nonResourceAttributes: { path: '/logs', verb: 'get' } } });
      assert.deepEqual(denied.json.status, { allowed: false });
    });

    it('SubjectAccessReview: validation', async () => {
      const r = await post(SAR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } });
      assert.equal(r.status, 422);
      assert.equal(r.json.message, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
    });

    it('LocalSubjectAccessReview: namespace rules', async () => {
      const path = '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews';
      const ok = await post(path, { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', metadata: { namespace: 'default' }, spec: { user: 'jane', resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } } });
      assert.equal(ok.json.status.allowed, true, ok.text);
      const mismatch = await post(path, { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', spec: { user: 'jane', resourceAttributes: { namespace: 'other', verb: 'get', resource: 'pods' } } });
      assert.equal(mismatch.status, 422);
      assert.match(mismatch.json.message, /spec\.resourceAttributes\.namespace: Invalid value: "other": must match metadata\.namespace/);
    });

    it('SelfSubjectRulesReview: needs a namespace', async () => {
      const r = await post('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} });
      assert.deepEqual([r.status, r.json.message], [400, 'no namespace on request']);
    });
  });
});

describe('e2e: the bootstrap policy is reconciled at every start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'badge-bootstrap-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('restores missing rules, but leaves autoupdate=false roles alone', async () => {
    let b = await startBadge({ dataDir });
    const path = '/apis/rbac.authorization.k8s.io/v1/clusterroles';
    const strip = async (name: string, autoupdate: string) => {
      const role = (await b.api('GET', `${path}/${name}`)).json;
      role.rules = role.rules.slice(0, 1);
      role.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'] = autoupdate;
      assert.equal((await b.api('PUT', `${path}/${name}`, JSON.stringify(role))).status, 200);
      return role.rules.length;
    };
    await strip('system:basic-user', 'true');
    await strip('system:auth-delegator', 'false');
    await b.api('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:discovery');
    await b.close();
    b = await startBadge({ dataDir });
    try {
      assert.equal((await b.api('GET', `${path}/system:basic-user`)).json.rules.length, 2);
      assert.equal((await b.api('GET', `${path}/system:auth-delegator`)).json.rules.length, 1);
      assert.equal((await b.api('GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:discovery')).status, 200);
    } finally {
      await b.close();
    }
  });
});
