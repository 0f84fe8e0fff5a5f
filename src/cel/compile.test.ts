import assert from 'node:assert/strict';
import { it } from 'node:test';
import { compileIn } from './compile.js';
import { checkingEnvironment } from './environment.js';

function compileError(source: string): string {
  const env = checkingEnvironment();
  env.registerType('Obj', { fields: { a: 'int', s: 'string' } });
  env.registerVariable('o', 'Obj');
  const c = compileIn(env, source);
  assert.ok('error' in c, source);
  return c.error;
}

it('every issue of an expression is reported, in source order, as cel-go prints them', () => {
  assert.equal(compileError('o.x == 1 && o.y == 2'), [
    "ERROR: <input>:1:2: undefined field 'x'\n | o.x == 1 && o.y == 2\n | .^",
    "ERROR: <input>:1:14: undefined field 'y'\n | o.x == 1 && o.y == 2\n | .............^",
  ].join('\n'));
  assert.equal(compileError('o.a + "s" > 1 || o.z'), [
    "ERROR: <input>:1:5: found no matching overload for '_+_' applied to '(int, string)'\n | o.a + \"s\" > 1 || o.z\n | ....^",
    "ERROR: <input>:1:19: undefined field 'z'\n | o.a + \"s\" > 1 || o.z\n | ..................^",
  ].join('\n'));
  assert.equal(compileError('[1].all(x, x.q)'), "ERROR: <input>:1:13: type 'int' does not support field selection\n | [1].all(x, x.q)\n | ............^");
  assert.equal(compileError('1 +'), 'ERROR: <input>:1:4: Syntax error: Unexpected token: EOF\n | 1 +\n | ...^');
});
