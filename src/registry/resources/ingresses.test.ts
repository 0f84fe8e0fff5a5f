import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { ingresses } from './ingresses.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const ing = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default', annotations }, spec });
const BACKEND = { service: { name: 'web', port: { number: 80 } } };
const rule = (host: string, paths: unknown[] = [{ path: '/', pathType: 'Prefix', backend: BACKEND }]) => ({ host, http: { paths } });

describe('ingresses', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([ingresses]);
  });
  after(() => t.close());

  it('stores an Ingress with an empty load balancer status and prints it as kubectl 1.32 does', async () => {
    const store = t.store(ingresses);
    const created = await store.create(t.ctx, 'default', { ...ing('web', { ingressClassName: 'nginx', rules: [rule('a.example.com'), rule('*.example.com')] }), status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } });
    assert.deepEqual(created.status, { loadBalancer: {} });
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(ingresses.table!.columns.map((c) => c.name), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
    assert.deepEqual(ingresses.table!.cells(created, T0), ['web', 'nginx', 'a.example.com,*.example.com', '', '80', '0s']);
    const busy = {
      ...ing('busy', { tls: [{ hosts: ['a.example.com'] }], rules: [rule(''), rule('a.x'), rule('b.x'), rule('c.x'), rule('d.x')] }),
      status: { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.1' }] } },
    };
    assert.deepEqual(ingresses.table!.cells(busy, T0).slice(1, 5), ['<none>', 'a.x,b.x,c.x + 2 more...', '10.0.0.1,10.0...', '80, 443']);
    assert.deepEqual(ingresses.table!.cells(ing('any', { defaultBackend: BACKEND }), T0).slice(2, 3), ['*']);
  });

  it('warns of the deprecated class annotation when it stands in for ingressClassName', () => {
    assert.deepEqual(ingresses.warningsOnCreate!(ing('both', { defaultBackend: BACKEND, ingressClassName: 'nginx' }, { 'kubernetes.io/ingress.class': 'nginx' })), []);
    assert.deepEqual(ingresses.warningsOnCreate!(ing('old', { defaultBackend: BACKEND }, { 'kubernetes.io/ingress.class': 'nginx' })), [`annotation "kubernetes.io/ingress.class" is deprecated, please use 'spec.ingressClassName' instead`]);
  });

  it('validates the status: IPs and DNS names', async () => {
    const store = t.store(ingresses);
    const created = await store.create(t.ctx, 'default', ing('lb', { defaultBackend: BACKEND }));
    const status = (lb: unknown) => ({ ...created, status: { loadBalancer: { ingress: [lb] } } });
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'lb', status({ ip: 'web', hostname: '1.2.3.4' }), { subresource: 'status' })),
      'Ingress.networking.k8s.io "lb" is invalid: [status.loadBalancer.ingress[0].ip: Invalid value: "web": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), status.loadBalancer.ingress[0].hostname: Invalid value: "1.2.3.4": must be a DNS name, not an IP address]',
    );
    const { object } = await store.update(t.ctx, 'default', 'lb', status({ ip: '10.0.0.1' }), { subresource: 'status' });
    assert.deepEqual(object.status, { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } });
  });

  const path = (p: Record<string, unknown>) => ({ rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: BACKEND, ...p }] } }] });
  const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  const invalid: [string, Record<string, unknown>, string, Record<string, string>?][] = [
    ['no rules and no default backend', { rules: [] }, 'spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified'],
    ['an IP host', { rules: [rule('1.2.3.4')] }, 'spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address'],
    ['a bad host', { rules: [rule('A.com')] }, `spec.rules[0].host: Invalid value: "A.com": ${SUBDOMAIN}`],
    ['a bad wildcard host', { rules: [rule('*')] }, `spec.rules[0].host: Invalid value: "*": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`],
    ['http without paths', { rules: [{ host: 'a.example.com', http: { paths: [] } }] }, 'spec.rules[0].http.paths: Required value'],
    ['no pathType', path({ pathType: undefined }), 'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
    ['an unknown pathType', path({ pathType: 'Regex' }), 'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"'],
    ['a relative Prefix path', path({ path: 'web' }), 'spec.rules[0].http.paths[0].path: Invalid value: "web": must be an absolute path'],
    ['a path with //', path({ pathType: 'Exact', path: '/a//b' }), "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"],
    ['a path ending in /..', path({ path: '/a/..' }), "spec.rules[0].http.paths[0].path: Invalid value: \"/a/..\": cannot end with '/..'"],
    ['a relative ImplementationSpecific path', path({ pathType: 'ImplementationSpecific', path: 'x' }), 'spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path'],
    ['no backend', path({ backend: {} }), 'spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required'],
    ['both backends', { defaultBackend: { ...BACKEND, resource: { kind: 'Bucket', name: 'b' } } }, 'spec.defaultBackend: Invalid value: "": cannot set both resource and service backends'],
    ['a resource backend without kind', { defaultBackend: { resource: { apiGroup: 'example.com', name: 'b' } } }, 'spec.defaultBackend.resource.kind: Required value'],
    ['no service name', { defaultBackend: { service: { port: { number: 80 } } } }, 'spec.defaultBackend.service.name: Required value'],
    ['a service name with dots', { defaultBackend: { service: { name: 'a.b', port: { number: 80 } } } }, 'spec.defaultBackend.service.name: Invalid value: "a.b": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')'],
    ['a port name and number', { defaultBackend: { service: { name: 'web', port: { name: 'http', number: 80 } } } }, 'spec.defaultBackend: Invalid value: "": cannot set both port name & port number'],
    ['no port', { defaultBackend: { service: { name: 'web' } } }, 'spec.defaultBackend: Required value: port name or number is required'],
    ['a bad port number', { defaultBackend: { service: { name: 'web', port: { number: 70000 } } } }, 'spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ['a bad port name', { defaultBackend: { service: { name: 'web', port: { name: 'http_' } } } }, 'spec.defaultBackend.service.port.name: Invalid value: "http_": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ['a bad TLS host', { defaultBackend: BACKEND, tls: [{ hosts: ['A.com'] }] }, `spec.tls[0].hosts[0]: Invalid value: "A.com": ${SUBDOMAIN}`],
    ['a bad TLS secret name', { defaultBackend: BACKEND, tls: [{ secretName: 'Tls' }] }, `spec.tls[0].secretName: Invalid value: "Tls": ${SUBDOMAIN}`],
    ['a bad class name', { defaultBackend: BACKEND, ingressClassName: 'Nginx' }, `spec.ingressClassName: Invalid value: "Nginx": ${SUBDOMAIN}`],
    ['a class annotation that differs', { defaultBackend: BACKEND, ingressClassName: 'nginx' }, 'annotations.kubernetes.io/ingress.class: Invalid value: "other": must match `ingressClassName` when both are specified', { 'kubernetes.io/ingress.class': 'other' }],
  ];
  for (const [name, spec, message, annotations] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(ingresses).create(t.ctx, 'default', ing('bad', spec, annotations))), `Ingress.networking.k8s.io "bad" is invalid: ${message}`);
    });
  }
});
