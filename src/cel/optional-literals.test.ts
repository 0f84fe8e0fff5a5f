import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertValues, celEval } from '../testing/cel.js';

it('optional list elements and map entries are kept only when they have a value', () => {
  assertValues([
    ['[1, ?optional.of(2), ?optional.none(), 3]', [1n, 2n, 3n]],
    ['[?optional.none()].size()', 0n],
    ["{'a': 1, ?'b': optional.of(2), ?'c': optional.none()}", { a: 1n, b: 2n }],
    ["[?{'a': 1}.?a, ?{'a': 1}.?b]", [1n]],
    ["{?'k': {'x': 'y'}.?x} == {'k': 'y'}", true],
    ['[1, 2][?0].value()', 1n],
    ['true ? 1 : 2', 1n],
  ]);
  assert.deepEqual(celEval('l.map(x, [?optional.of(x), ?optional.none()])', { l: [1n] }), { value: [[1n]] });
  assert.deepEqual(celEval('[?x]', { x: 1n }), { error: 'optional element must be optional' });
});

it('a ? elsewhere, or on a value that is not optional, does not compile', () => {
  const compileError = (e: string) => (celEval(e) as { compileError: string }).compileError;
  assert.equal(compileError('size(?1)'), "ERROR: <input>:1:7: Syntax error: unexpected '?'\n | size(?1)\n | ......^");
  assert.equal(compileError("{'a': ?optional.of(1)}"), "ERROR: <input>:1:8: Syntax error: unexpected '?'\n | {'a': ?optional.of(1)}\n | .......^");
  assert.equal(compileError('[1, ?2]'), "ERROR: <input>:1:6: expected type 'optional_type' but found 'int'\n | [1, ?2]\n | .....^");
  assert.equal(compileError("[1, ?optional.of('a')]"), "ERROR: <input>:1:6: expected type 'int' but found 'string'\n | [1, ?optional.of('a')]\n | .....^");
});
