// NetworkPolicies, IngressClasses and Ingresses with the real kubectl: `kubectl create ingress`
// (given the default IngressClass by admission), classes and policies applied from YAML, the
// columns of `kubectl get netpol,ingress,ingressclass`, invalid objects refused with upstream's
// causes, and `kubectl explain networkpolicy.spec` from the served OpenAPI.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

describe('e2e: networking.k8s.io with the real kubectl', () => {
  let b: Badge;
  const refused = (manifest: string) => b.fails(['apply', '-f', '-'], manifest);

  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('applies a default IngressClass and a NetworkPolicy, creates Ingresses, and prints the three kinds', async () => {
    const manifests = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
  parameters:
    apiGroup: k8s.example.com
    kind: IngressParameters
    name: external
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - ipBlock:
        cidr: 10.0.0.0/8
    ports:
    - port: 80
  egress:
  - to:
    - namespaceSelector: {}
`;
    assert.equal(await b.ok(['apply', '-f', '-'], manifests), 'ingressclass.networking.k8s.io/nginx created\nnetworkpolicy.networking.k8s.io/web created\n');
    assert.equal(await b.ok(['create', 'ingress', 'simple', '--rule=foo.com/bar=svc1:8080,tls=my-cert']), 'ingress.networking.k8s.io/simple created\n');
    assert.equal(await b.ok(['create', 'ingress', 'catch-all', '--class=other', '--rule=/path=svc:http']), 'ingress.networking.k8s.io/catch-all created\n');
    const simple = JSON.parse(await b.ok(['get', 'ing', 'simple', '-o', 'json']));
    assert.equal(simple.spec.ingressClassName, 'nginx', 'the default class, given by admission');
    assert.deepEqual(simple.spec.rules[0].http.paths[0], { path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc1', port: { number: 8080 } } } });
    assert.deepEqual(simple.status, { loadBalancer: {} });
    const policy = JSON.parse(await b.ok(['get', 'netpol', 'web', '-o', 'json']));
    assert.deepEqual(policy.spec.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(policy.spec.ingress[0].ports, [{ protocol: 'TCP', port: 80 }]);

    const table = await b.ok(['get', 'netpol,ingress,ingressclass']);
    const [netpols, ingresses, classes] = table.split('\n\n');
    assert.match(netpols!, /^NAME\s+POD-SELECTOR\s+AGE\n/);
    assert.match(netpols!, row('networkpolicy.networking.k8s.io/web', 'app=web', '\\d+s'));
    assert.match(ingresses!, /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\n/);
    assert.match(ingresses!, row('ingress.networking.k8s.io/catch-all', 'other', '\\*', '80', '\\d+s'));
    assert.match(ingresses!, row('ingress.networking.k8s.io/simple', 'nginx', 'foo.com', '80, 443', '\\d+s'));
    assert.match(classes!, /^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE\n/);
    assert.match(classes!, row('ingressclass.networking.k8s.io/nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external', '\\d+s'));
  });

  it('refuses an invalid object of each kind with the causes kube-apiserver gives', async () => {
    const policy = await refused(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: bad
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock:
        cidr: 10.0.0.0/8
        except: [11.0.0.0/16]
    - {}
    ports:
    - port: http
      endPort: 90
`);
    assert.equal(
      policy,
      [
        'The NetworkPolicy "bad" is invalid: ',
        '* spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
        '* spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
        '* spec.ingress[0].from[1]: Required value: must specify a peer',
        '',
      ].join('\n'),
    );
    const cls = await refused(`apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: bad
spec:
  controller: nginx
  parameters:
    kind: Params
    name: p
    scope: Cluster
    namespace: default
`);
    assert.equal(
      cls,
      [
        'The IngressClass "bad" is invalid: ',
        '* spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
        "* spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
        '',
      ].join('\n'),
    );
    const ing = await refused(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bad
spec:
  rules:
  - host: 1.2.3.4
    http:
      paths:
      - path: /
        backend:
          service:
            name: web
            port:
              number: 80
`);
    assert.equal(
      ing,
      [
        'The Ingress "bad" is invalid: ',
        '* spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
        '* spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
        '',
      ].join('\n'),
    );
  });

  it('kubectl explain networkpolicy.spec', async () => {
    const text = await b.ok(['explain', 'networkpolicy.spec']);
    assert.match(text, /^GROUP:\s+networking\.k8s\.io\nKIND:\s+NetworkPolicy\nVERSION:\s+v1\n/);
    assert.match(text, /^FIELD: spec <NetworkPolicySpec>$/m);
    for (const field of ['egress\t<\\[\\]NetworkPolicyEgressRule>', 'ingress\t<\\[\\]NetworkPolicyIngressRule>', 'podSelector\t<LabelSelector>', 'policyTypes\t<\\[\\]string>']) {
      assert.match(text, new RegExp(`^  ${field}$`, 'm'));
    }
  });
});
