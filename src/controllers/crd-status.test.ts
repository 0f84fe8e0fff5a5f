import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findCrdCondition, type CustomResourceDefinition } from '../api/crd.js';
import { customResourceDefinitions } from '../registry/resources/customresourcedefinitions.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { approvalCondition, CRDS, crdStatusController, namesAndConditions } from './crd-status.js';

interface Names {
  plural: string;
  kind: string;
  singular?: string;
  shortNames?: string[];
  listKind?: string;
}

/** A definition of `group` asking for `names`, and having been given `accepted` (none yet by default). */
function crd(group: string, names: Names, accepted?: Names, annotations?: Record<string, string>): CustomResourceDefinition {
  const full = { singular: names.kind.toLowerCase(), listKind: `${names.kind}List`, ...names };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${group}`, ...(annotations ? { annotations } : {}) },
    spec: { group, scope: 'Namespaced', names: full, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
    status: { acceptedNames: accepted ? { singular: accepted.kind.toLowerCase(), listKind: `${accepted.kind}List`, ...accepted } : { plural: '', kind: '' }, storedVersions: ['v1'] },
  };
}

const condition = (c: { type: string; status: string; reason?: string; message?: string }) => [c.type, c.status, c.reason, c.message];

describe('CRD names and conditions (naming controller)', () => {
  const apples = crd('fruit.example.com', { plural: 'apples', kind: 'Apple', shortNames: ['ap'] }, { plural: 'apples', kind: 'Apple', shortNames: ['ap'] });

  it('accepts names no other definition of the group holds, and is Established at once', () => {
    const pears = crd('fruit.example.com', { plural: 'pears', kind: 'Pear', shortNames: ['pe'], categories: ['all'] } as Names);
    const { names, accepted, established } = namesAndConditions(pears, [apples, pears]);
    assert.deepEqual(names, { plural: 'pears', singular: 'pear', shortNames: ['pe'], kind: 'Pear', listKind: 'PearList', categories: ['all'] });
    assert.deepEqual(condition(accepted), ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found']);
    assert.deepEqual(condition(established), ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted']);
  });

  it('refuses each name another definition of the group accepted, with the upstream reason', () => {
    const cases: [Names, string, string][] = [
      [{ plural: 'pears', singular: 'apples', kind: 'Pear' }, 'SingularConflict', '"apples" is already in use'],
      [{ plural: 'pears', singular: 'pear', kind: 'Pear', shortNames: ['ap'] }, 'ShortNamesConflict', '"ap" is already in use'],
      [{ plural: 'pears', kind: 'Pear', shortNames: ['apple', 'ap', 'apples'] }, 'ShortNamesConflict', '["apple" is already in use, "ap" is already in use, "apples" is already in use]'],
      [{ plural: 'pears', kind: 'Apple', listKind: 'PearList' }, 'KindConflict', '"Apple" is already in use'],
      [{ plural: 'pears', kind: 'Pear', listKind: 'AppleList' }, 'ListKindConflict', '"AppleList" is already in use'],
      [{ plural: 'ap', kind: 'Pear' }, 'PluralConflict', '"ap" is already in use'],
    ];
    for (const [names, reason, message] of cases) {
      const other = crd('fruit.example.com', names);
      const r = namesAndConditions(other, [apples, other]);
      assert.deepEqual(condition(r.accepted), ['NamesAccepted', 'False', reason, message], reason);
      assert.deepEqual(condition(r.established), ['Established', 'False', 'NotAccepted', 'not all names are accepted'], reason);
    }
  });

  it('keeps the names it holds, takes the others it can, and reports the last conflict', () => {
    const pears = crd('fruit.example.com', { plural: 'pears', singular: 'apples', kind: 'Apple' });
    const { names, accepted } = namesAndConditions(pears, [apples, pears]);
    assert.deepEqual(names, { plural: 'pears', kind: '' });
    assert.deepEqual(condition(accepted), ['NamesAccepted', 'False', 'ListKindConflict', '"AppleList" is already in use']);
  });

  it('ignores other groups; counts its own accepted names; never takes Established back', () => {
    const elsewhere = crd('veg.example.com', { plural: 'apples', kind: 'Apple' });
    assert.equal(namesAndConditions(elsewhere, [apples, elsewhere]).accepted.status, 'True');
    // A singular changed to a name the definition itself holds as a short name is in use (upstream lists the definition too).
    const renamed = crd('fruit.example.com', { plural: 'apples', singular: 'ap', kind: 'Apple', shortNames: ['ap'] }, { plural: 'apples', kind: 'Apple', shortNames: ['ap'] });
    assert.deepEqual(condition(namesAndConditions(renamed, [renamed]).accepted), ['NamesAccepted', 'False', 'SingularConflict', '"ap" is already in use']);
    const established = crd('fruit.example.com', { plural: 'pears', kind: 'Apple' }, { plural: 'pears', kind: 'Pear' });
    established.status!.conditions = [{ type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }];
    const r = namesAndConditions(established, [apples, established]);
    assert.equal(r.accepted.status, 'False');
    assert.equal(r.names.kind, 'Pear', 'the accepted kind stays');
    assert.deepEqual(condition(r.established), ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted']);
  });
});

describe('KubernetesAPIApprovalPolicyConformant', () => {
  const see = 'see https://github.com/kubernetes/enhancements/pull/1111';
  const of = (group: string, value?: string) => approvalCondition(crd(group, { plural: 'things', kind: 'Thing' }, undefined, value === undefined ? undefined : { 'api-approved.kubernetes.io': value }));

  it('is set for protected groups only, with the apiapproval controller reasons', () => {
    assert.equal(of('example.com'), undefined);
    assert.equal(of('k8s.io.example.com'), undefined);
    assert.deepEqual(condition(of('x.k8s.io', 'https://github.com/kubernetes/kubernetes/pull/78458')!), ['KubernetesAPIApprovalPolicyConformant', 'True', 'ApprovedAnnotation', 'approved in https://github.com/kubernetes/kubernetes/pull/78458']);
    assert.deepEqual(condition(of('kubernetes.io', 'unapproved, experimental')!), ['KubernetesAPIApprovalPolicyConformant', 'False', 'UnapprovedAnnotation', 'not approved: "unapproved, experimental"']);
    assert.deepEqual(condition(of('a.b.kubernetes.io', 'yes')!), ['KubernetesAPIApprovalPolicyConformant', 'False', 'InvalidAnnotation', `protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", ${see}`]);
    assert.deepEqual(condition(of('x.k8s.io')!), ['KubernetesAPIApprovalPolicyConformant', 'False', 'MissingAnnotation', `protected groups must have approval annotation "api-approved.kubernetes.io", ${see}`]);
  });
});

describe('the CRD status controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof crdStatusController>;
  const get = (name: string) => t.client.get(CRDS, '', name);
  const conditionOf = async (name: string, type: string) => {
    const c = findCrdCondition(await get(name), type);
    return c ? [c.status, c.reason, c.message] : undefined;
  };

  before(async () => {
    t = await testCluster();
    t.registry.setDynamic('apiextensions', [customResourceDefinitions()]);
    controller = crdStatusController({ client: t.client, informers: t.informers, clock: t.clock });
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('accepts the first definition of a kind; a second one of the group conflicts until the first goes', async () => {
    await t.client.create(CRDS, '', crd('shop.example.com', { plural: 'orders', kind: 'Order' }));
    await t.until('orders established', async () => (await conditionOf('orders.shop.example.com', 'Established'))?.[0] === 'True');
    const orders = await get('orders.shop.example.com');
    assert.deepEqual(orders.status!.acceptedNames, { plural: 'orders', singular: 'order', kind: 'Order', listKind: 'OrderList' });
    assert.deepEqual(
      orders.status!.conditions!.map((c) => [c.type, c.status, c.reason, c.lastTransitionTime]),
      [
        ['NamesAccepted', 'True', 'NoConflicts', '2024-05-01T10:00:00Z'],
        ['Established', 'True', 'InitialNamesAccepted', '2024-05-01T10:00:00Z'],
      ],
    );

    await t.client.create(CRDS, '', crd('shop.example.com', { plural: 'purchases', singular: 'purchase', kind: 'Order', listKind: 'PurchaseList' }));
    await t.until('a kind conflict', async () => (await conditionOf('purchases.shop.example.com', 'NamesAccepted'))?.[0] === 'False');
    assert.deepEqual(await conditionOf('purchases.shop.example.com', 'NamesAccepted'), ['False', 'KindConflict', '"Order" is already in use']);
    assert.deepEqual(await conditionOf('purchases.shop.example.com', 'Established'), ['False', 'NotAccepted', 'not all names are accepted']);
    assert.deepEqual((await get('purchases.shop.example.com')).status!.acceptedNames, { plural: 'purchases', singular: 'purchase', kind: '', listKind: 'PurchaseList' });

    // The first one gone (no finalizer runs here: it is removed by hand), the second takes the kind.
    await t.client.delete(CRDS, '', 'orders.shop.example.com');
    await t.client.mutate(CRDS, '', 'orders.shop.example.com', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
    await t.until('purchases established', async () => (await conditionOf('purchases.shop.example.com', 'Established'))?.[0] === 'True');
    assert.deepEqual(await conditionOf('purchases.shop.example.com', 'NamesAccepted'), ['True', 'NoConflicts', 'no conflicts found']);
    assert.equal((await get('purchases.shop.example.com')).status!.acceptedNames!.kind, 'Order');
  });

  it('sets the approval condition of a protected group', async () => {
    await t.client.create(CRDS, '', crd('widgets.k8s.io', { plural: 'widgets', kind: 'Widget' }, undefined, { 'api-approved.kubernetes.io': 'unapproved, testing only' }));
    await t.until('approval condition', () => conditionOf('widgets.widgets.k8s.io', 'KubernetesAPIApprovalPolicyConformant'));
    assert.deepEqual(await conditionOf('widgets.widgets.k8s.io', 'KubernetesAPIApprovalPolicyConformant'), ['False', 'UnapprovedAnnotation', 'not approved: "unapproved, testing only"']);
    await t.client.mutate(CRDS, '', 'widgets.widgets.k8s.io', (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/1111' } } }));
    await t.until('approved', async () => (await conditionOf('widgets.widgets.k8s.io', 'KubernetesAPIApprovalPolicyConformant'))?.[0] === 'True');
    assert.deepEqual(await conditionOf('widgets.widgets.k8s.io', 'KubernetesAPIApprovalPolicyConformant'), ['True', 'ApprovedAnnotation', 'approved in https://github.com/kubernetes/enhancements/pull/1111']);
  });
});
