import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { networkPolicies } from './networkpolicies.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const specOf = (o: KubeObject) => o.spec as Record<string, unknown>;
const netpol = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'default' }, spec });

describe('networkpolicies', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([networkPolicies]);
  });
  after(() => t.close());

  it('defaults policyTypes and port protocols, and prints the pod selector as kubectl 1.32 does', async () => {
    const store = t.store(networkPolicies);
    const deny = await store.create(t.ctx, 'default', netpol('deny', { podSelector: {} }));
    assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ['Ingress'] });
    assert.equal(deny.metadata.generation, 1);
    const web = await store.create(t.ctx, 'default', netpol('web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }] }], egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] }));
    assert.deepEqual(specOf(web).policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(specOf(web).ingress, [{ ports: [{ protocol: 'TCP', port: 80 }] }]);
    const egressOnly = await store.create(t.ctx, 'default', netpol('out', { podSelector: {}, policyTypes: ['Egress'] }));
    assert.deepEqual(specOf(egressOnly).policyTypes, ['Egress']);
    assert.deepEqual(networkPolicies.table!.columns.map((c) => c.name), ['Name', 'Pod-Selector', 'Age']);
    assert.deepEqual(networkPolicies.table!.cells(web, T0), ['web', 'app=web', '0s']);
    assert.deepEqual(networkPolicies.table!.cells(deny, T0), ['deny', '<none>', '0s']);
  });

  const peer = (p: Record<string, unknown>) => ({ podSelector: {}, ingress: [{ from: [p] }] });
  const port = (p: Record<string, unknown>) => ({ podSelector: {}, ingress: [{ ports: [p] }] });
  const invalid: [string, Record<string, unknown>, string][] = [
    ['an unknown protocol', port({ protocol: 'ICMP' }), 'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"'],
    ['port 0', port({ port: 0 }), 'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ['an endPort below port', port({ port: 80, endPort: 70 }), 'spec.ingress[0].ports[0].endPort: Invalid value: 70: must be greater than or equal to `port`'],
    ['an endPort out of range', port({ port: 80, endPort: 70000 }), 'spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ['an endPort with a named port', port({ port: 'http', endPort: 90 }), 'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric'],
    ['an endPort without a port', port({ endPort: 90 }), 'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified'],
    ['a bad port name', port({ port: 'my_port' }), 'spec.ingress[0].ports[0].port: Invalid value: "my_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ['an empty peer', peer({}), 'spec.ingress[0].from[0]: Required value: must specify a peer'],
    ['an ipBlock with a selector', peer({ podSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }), 'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer'],
    ['an ipBlock without a cidr', peer({ ipBlock: { cidr: '' } }), 'spec.ingress[0].from[0].ipBlock.cidr: Required value'],
    ['an invalid cidr', peer({ ipBlock: { cidr: '10.0.0.0' } }), 'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0": not a valid CIDR'],
    ['an invalid except', peer({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/33'] } }), 'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/33": not a valid CIDR'],
    ['an except outside the cidr', peer({ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }), 'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`'],
    ['an except as wide as the cidr', peer({ ipBlock: { cidr: 'fd00::/64', except: ['fd00::/64'] } }), 'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "fd00::/64": must be a strict subset of `cidr`'],
    ['an IPv6 except of an IPv4 cidr', peer({ ipBlock: { cidr: '10.0.0.0/8', except: ['::/96'] } }), 'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "::/96": must be a strict subset of `cidr`'],
    ['a bad selector value', peer({ namespaceSelector: { matchLabels: { team: 'a b' } } }), 'spec.ingress[0].from[0].namespaceSelector.matchLabels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'],
    ['an unknown policy type', { podSelector: {}, policyTypes: ['Both'] }, 'spec.policyTypes[0]: Unsupported value: "Both": supported values: "Ingress", "Egress"'],
    ['three policy types', { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }, 'spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes'],
  ];
  for (const [name, spec, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(networkPolicies).create(t.ctx, 'default', netpol('bad', spec))), `NetworkPolicy.networking.k8s.io "bad" is invalid: ${message}`);
    });
  }

  it('accepts IPv4 CIDRs with leading zeros and IPv6 CIDRs, and an except inside its cidr', async () => {
    const spec = { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '010.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48', '2001:db8::ffff:10.0.0.0/120'] } }] }] };
    await t.store(networkPolicies).create(t.ctx, 'default', netpol('cidrs', spec));
  });
});
