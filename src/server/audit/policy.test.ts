// Cases after k8s.io/apiserver pkg/audit/policy/checker_test.go and pkg/apis/audit/validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicy, parsePolicy, type AuditAttributes, type Policy, type PolicyRule } from './policy.js';

const alice = { username: 'alice', groups: ['team', 'system:authenticated'] };
const base: AuditAttributes = { user: alice, verb: 'get', isResourceRequest: true, path: '/api/v1/namespaces/default/pods/p', apiGroup: '', resource: 'pods', subresource: '', namespace: 'default', name: 'p' };
const nonResource: AuditAttributes = { user: alice, verb: 'get', isResourceRequest: false, path: '/healthz/etcd', apiGroup: '', resource: '', subresource: '', namespace: '', name: '' };

const matches = (rule: Omit<PolicyRule, 'level'>, a: AuditAttributes) => evaluatePolicy({ rules: [{ level: 'Metadata', ...rule }] }, a).level === 'Metadata';

describe('audit policy matching', () => {
  it('users and userGroups match the user given; no user matches neither', () => {
    assert.ok(matches({ users: ['alice'] }, base));
    assert.ok(!matches({ users: ['bob'] }, base));
    assert.ok(matches({ userGroups: ['team'] }, base));
    assert.ok(!matches({ userGroups: ['other'] }, base));
    assert.ok(!matches({ users: ['alice'] }, { ...base, user: undefined }));
    assert.ok(matches({}, { ...base, user: undefined }));
  });

  it('verbs', () => {
    assert.ok(matches({ verbs: ['get', 'list'] }, base));
    assert.ok(!matches({ verbs: ['watch'] }, base));
  });

  it('namespaces: "" is cluster scope; a namespace rule matches no non-resource request', () => {
    assert.ok(matches({ namespaces: ['default'] }, base));
    assert.ok(!matches({ namespaces: ['kube-system'] }, base));
    assert.ok(matches({ namespaces: [''] }, { ...base, namespace: '', resource: 'nodes' }));
    assert.ok(!matches({ namespaces: [''] }, nonResource));
  });

  it('resources: group, *, subresources, */sub, res/* (which matches the resource too), resourceNames', () => {
    const log = { ...base, subresource: 'log' };
    assert.ok(matches({ resources: [{ group: '' }] }, log));
    assert.ok(!matches({ resources: [{ group: 'apps' }] }, base));
    assert.ok(matches({ resources: [{ group: '*', resources: ['pods'] }] }, base));
    assert.ok(!matches({ resources: [{ resources: ['pods'] }] }, log));
    assert.ok(matches({ resources: [{ resources: ['pods/log'] }] }, log));
    assert.ok(!matches({ resources: [{ resources: ['pods/log'] }] }, base));
    assert.ok(matches({ resources: [{ resources: ['*'] }] }, log));
    assert.ok(matches({ resources: [{ resources: ['*/log'] }] }, log));
    assert.ok(!matches({ resources: [{ resources: ['*/log'] }] }, base));
    assert.ok(matches({ resources: [{ resources: ['pods/*'] }] }, log));
    assert.ok(matches({ resources: [{ resources: ['pods/*'] }] }, base));
    assert.ok(!matches({ resources: [{ resources: ['secrets/*'] }] }, base));
    assert.ok(matches({ resources: [{ resources: ['pods'], resourceNames: ['p'] }] }, base));
    assert.ok(!matches({ resources: [{ resources: ['pods'], resourceNames: ['q'] }] }, base));
    assert.ok(!matches({ resources: [{ resources: ['pods'] }] }, nonResource));
  });

  it('nonResourceURLs: *, exact, trailing * prefix; never a resource request', () => {
    assert.ok(matches({ nonResourceURLs: ['*'] }, nonResource));
    assert.ok(matches({ nonResourceURLs: ['/healthz/etcd'] }, nonResource));
    assert.ok(matches({ nonResourceURLs: ['/healthz*'] }, nonResource));
    assert.ok(!matches({ nonResourceURLs: ['/healthz'] }, nonResource));
    assert.ok(!matches({ nonResourceURLs: ['*'] }, base));
  });

  it('fields are ANDed; the first matching rule wins; no match is None', () => {
    const p: Policy = {
      rules: [
        { level: 'None', users: ['alice'], verbs: ['watch'] },
        { level: 'Request', resources: [{ resources: ['pods'] }] },
        { level: 'RequestResponse' },
      ],
    };
    assert.equal(evaluatePolicy(p, { ...base, verb: 'watch' }).level, 'None');
    assert.equal(evaluatePolicy(p, base).level, 'Request');
    assert.equal(evaluatePolicy(p, { ...base, resource: 'secrets' }).level, 'RequestResponse');
    assert.equal(evaluatePolicy({ rules: [{ level: 'Metadata', users: ['bob'] }] }, base).level, 'None');
  });

  it("omitStages: the policy's and the rule's together; omitManagedFields: the rule's over the policy's", () => {
    const p: Policy = { omitStages: ['RequestReceived'], omitManagedFields: true, rules: [{ level: 'Metadata', verbs: ['get'], omitStages: ['ResponseStarted'], omitManagedFields: false }, { level: 'Metadata' }] };
    assert.deepEqual(evaluatePolicy(p, base), { level: 'Metadata', omitStages: ['RequestReceived', 'ResponseStarted'], omitManagedFields: false });
    assert.deepEqual(evaluatePolicy(p, { ...base, verb: 'list' }), { level: 'Metadata', omitStages: ['RequestReceived'], omitManagedFields: true });
  });
});

describe('audit policy file', () => {
  const file = (rules: string, extra = '') => `apiVersion: audit.k8s.io/v1\nkind: Policy\n${extra}rules:\n${rules}`;

  it('reads a valid policy', () => {
    const p = parsePolicy(file('- level: Metadata\n  resources: [{group: "", resources: ["pods/log"]}]\n', 'omitStages: [RequestReceived]\n'), 'p.yaml');
    assert.deepEqual(p.rules[0]!.resources, [{ group: '', resources: ['pods/log'] }]);
  });

  it('rejects what kube-apiserver rejects, naming the file', () => {
    const bad = (text: string, message: RegExp) => assert.throws(() => parsePolicy(text, '/etc/p.yaml'), message);
    bad('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n', /loaded illegal policy with 0 rules from file \/etc\/p.yaml/);
    bad('apiVersion: v1\nkind: ConfigMap\n', /failed decoding file "\/etc\/p.yaml"/);
    bad('{', /failed decoding file "\/etc\/p.yaml"/);
    bad(file('- level: Everything\n'), /rules\[0\]\.level: Unsupported value: "Everything": supported values: "None", "Metadata", "Request", "RequestResponse"/);
    bad(file('- level: None\n  nonResourceURLs: ["healthz"]\n'), /non-resource URL rules must begin with a '\/' character/);
    bad(file('- level: None\n  nonResourceURLs: ["/a*b"]\n'), /non-resource URL wildcards '\*' must be the final character of the rule/);
    bad(file('- level: None\n  nonResourceURLs: ["/a"]\n  namespaces: [x]\n'), /rules cannot apply to both regular resources and non-resource URLs/);
    bad(file('- level: None\n  resources: [{resourceNames: [x]}]\n'), /using resourceNames requires at least one resource/);
    bad(file('- level: None\n  omitStages: [Sometime]\n'), /rules\[0\]\.omitStages\[0\]: Unsupported value: "Sometime"/);
  });
});
