import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type AuthzCheck, type AuthzDecision, compileExpression, evaluate } from './admission.js';

it('compiles against declared variables, with cel-go error texts', () => {
  const r = compileExpression('object.spec.replicas > 1', { object: { fields: { spec: { fields: { replicas: 'int' } } } } });
  assert.ok('program' in r && r.program.type === 'bool');
  const bad = compileExpression('object.spec.foo > 1', { object: { fields: { spec: { fields: { replicas: 'int' } } } } });
  assert.ok('error' in bad);
  assert.equal(bad.error, "ERROR: <input>:1:12: undefined field 'foo'\n | object.spec.foo > 1\n | ...........^");
  const undeclared = compileExpression('x > 1', {});
  assert.ok('error' in undeclared && undeclared.error.startsWith("ERROR: <input>:1:1: undeclared reference to 'x' (in container '')"));
});

it('evaluates with the authorizer in rounds, asking each check once', async () => {
  const asked: AuthzCheck[] = [];
  const authorize = async (c: AuthzCheck): Promise<AuthzDecision> => (asked.push(c), { decision: c.verb === 'get' ? 'Allow' : 'Deny', reason: `r-${c.verb}` });
  const c = compileExpression(
    'authorizer.group("apps").resource("deployments").namespace("ns").check("get").allowed() && !authorizer.path("/healthz").check("post").allowed() && authorizer.requestResource.check("get").reason() == "r-get" && authorizer.serviceAccount("ns", "sa").group("").resource("pods").check("list").reason() == "r-list"',
    {},
    { authorizer: true },
  );
  assert.ok('program' in c, 'error' in c ? c.error : '');
  const out = await evaluate(c.program, { vars: {}, authorizer: { authorize, requestResource: { group: '', resource: 'pods', namespace: 'ns' } } });
  assert.deepEqual('value' in out && out.value, true);
  assert.deepEqual(asked.map((a) => a.verb), ['get', 'post', 'get', 'list']);
  assert.equal(asked[3]!.user, 'system:serviceaccount:ns:sa');
});

it('a budget bounds the evaluation', async () => {
  const c = compileExpression('object.l.all(x, object.l.all(y, x != y || true))', { object: 'dyn' });
  assert.ok('program' in c);
  const out = await evaluate(c.program, { vars: { object: { l: Array.from({ length: 3000 }, (_, i) => i) } } }, 100_000);
  assert.ok('error' in out && out.costLimit);
});
