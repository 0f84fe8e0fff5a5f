import assert from 'node:assert/strict';
import { it } from 'node:test';
import { untyped } from '../cel/values.js';
import { compilePolicy } from './validating-policy-compile.js';
import { OUT_OF_BUDGET, validatePolicy } from './validating-policy-evaluation.js';
import type { PolicySpec } from './validating-policy-types.js';

const run = (spec: PolicySpec, object: unknown) => validatePolicy(spec, compilePolicy(spec), { vars: { object: untyped(object), oldObject: null, request: untyped({ operation: 'CREATE' }), namespaceObject: null } });
const pod = { metadata: { name: 'p' }, spec: { serviceAccountName: 'default', containers: [{ name: 'c' }], replicas: 2 } };

it('messages: messageExpression, else message, else the expression; reason; runtime errors follow failurePolicy', async () => {
  const r = await run({
    validations: [
      { expression: "object.spec.serviceAccountName != 'default'", messageExpression: "'runs as ' + object.spec.serviceAccountName", reason: 'Forbidden' },
      { expression: 'object.spec.replicas < 2', message: ' too many ' },
      { expression: ' has(object.spec.automountServiceAccountToken) ' },
      { expression: 'object.spec.missing == 1' },
      { expression: 'object.spec.replicas == 2', messageExpression: "''" },
    ],
  }, pod);
  assert.deepEqual(r.decisions.map((d) => [d.action, d.evaluation, d.message, d.reason]), [
    ['deny', 'deny', 'runs as default', 'Forbidden'],
    ['deny', 'deny', 'too many', 'Invalid'],
    ['deny', 'deny', 'failed expression: has(object.spec.automountServiceAccountToken)', 'Invalid'],
    ['deny', 'error', "expression 'object.spec.missing == 1' resulted in error: no such key: missing", undefined],
    ['admit', 'admit', '', undefined],
  ]);
  const ignored = await run({ failurePolicy: 'Ignore', validations: [{ expression: 'object.spec.missing == 1' }] }, pod);
  assert.equal(ignored.decisions[0]!.action, 'admit');
});

it('match conditions: false skips, an error follows failurePolicy; variables are computed on first use', async () => {
  assert.deepEqual((await run({ matchConditions: [{ name: 'a', expression: 'false' }], validations: [{ expression: 'false' }] }, pod)).decisions, []);
  const err = await run({ matchConditions: [{ name: 'a', expression: 'object.nope == 1' }], validations: [{ expression: 'false' }] }, pod);
  assert.equal(err.decisions[0]!.message, "expression 'object.nope == 1' resulted in error: no such key: nope");
  const lazy = await run({ variables: [{ name: 'broken', expression: 'object.nope' }, { name: 'sa', expression: 'object.spec.serviceAccountName' }], validations: [{ expression: "variables.sa == 'default'" }] }, pod);
  assert.equal(lazy.decisions[0]!.action, 'admit');
});

it('a policy cannot stall the server: the per-call limit and the budget of the evaluation', async () => {
  const big = { items: Array.from({ length: 2000 }, (_, i) => i) };
  const heavy = 'object.items.all(x, object.items.all(y, x != y || true))';
  const r = await run({ validations: [{ expression: heavy }] }, big);
  assert.match(r.decisions[0]!.message, /resulted in error: operation cancelled: actual cost limit exceeded/);
  const many = await run({ validations: Array.from({ length: 12 }, () => ({ expression: 'object.items.map(x, x * 2).size() > 0 && object.items.all(x, object.items.exists(y, y == x))' })) }, big);
  assert.ok(many.decisions.some((d) => d.message === OUT_OF_BUDGET || d.message.includes('cost limit')));
});

it('audit annotations: strings published, null and empty excluded', async () => {
  const r = await run({ auditAnnotations: [{ key: 'sa', valueExpression: 'string(object.spec.serviceAccountName)' }, { key: 'none', valueExpression: 'null' }] }, pod);
  assert.deepEqual(r.auditAnnotations, [{ key: 'sa', action: 'publish', value: 'default' }, { key: 'none', action: 'exclude' }]);
});
