// Two-variable comprehensions (cel-go ext/comprehensions_test.go), sortBy (ext/lists_test.go) and
// optional.ofNonZeroValue (cel-go's optional tests).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertErrors, assertValues, celEval } from '../../testing/cel.js';

const truths: [string, unknown][] = [
  ['[1, 2, 3].all(i, v, v > i)', true],
  ['[1, 2, 3].all(i, v, v > i + 1)', false],
  ["{'hello': 'world', 'hi': 'there'}.all(k, v, k.startsWith('h') && v.size() > 4)", true],
  ['[1, 2, 3].exists(i, v, i == 1 && v == 2)', true],
  ["{'hello': 'world', 'hi': 'there'}.exists(k, v, k.startsWith('hi') && v == 'there')", true],
  ['[1, 2, 3].existsOne(i, v, i == 1 || v == 2)', true],
  ['[1, 2, 2].exists_one(i, v, v == 2)', false],
  ["{'a': 1, 'b': 2}.existsOne(k, v, v == 2)", true],
  ['[1, 2, 3].transformList(i, v, i * v)', [0n, 2n, 6n]],
  ['[1, 2, 3].transformList(i, v, i % 2 == 0, v * 2)', [2n, 6n]],
  ["{'greeting': 'hello', 'farewell': 'goodbye'}.transformList(k, v, k + ': ' + v) == ['greeting: hello', 'farewell: goodbye']", true],
  ["[1, 2, 3].transformMap(i, v, v * 2) == {0: 2, 1: 4, 2: 6}", true],
  ["{'a': 1, 'b': 2}.transformMap(k, v, k == 'a', v + 1) == {'a': 2}", true],
  ["{'a': 'x', 'b': 'y'}.transformMapEntry(k, v, {v: k}) == {'x': 'a', 'y': 'b'}", true],
  ["{'a': 'x', 'b': 'y'}.transformMapEntry(k, v, k == 'b', {v: k}) == {'y': 'b'}", true],
  ["[{'a': [1, 2]}].all(i, m, m.all(k, l, l.all(j, x, x > j)))", true],
  ['[0, 1].exists(i, v, 1 / v > 0)', true],
  ['[0, 1].all(i, v, 1 / v > 5)', false],
  ["['c', 'a', 'b'].sortBy(s, s)", ['a', 'b', 'c']],
  ["[{'n': 'b', 'k': 'y'}, {'n': 'a', 'k': 'x'}, {'n': 'c', 'k': 'x'}].sortBy(e, e.k).map(e, e.n)", ['a', 'c', 'b']],
  ['[3, 1, 2].sortBy(x, -x)', [3n, 2n, 1n]],
  ['optional.ofNonZeroValue(0).hasValue()', false],
  ["optional.ofNonZeroValue('').hasValue()", false],
  ['optional.ofNonZeroValue([]).hasValue()', false],
  ['optional.ofNonZeroValue({}).hasValue()', false],
  ['optional.ofNonZeroValue(null).hasValue()', false],
  ["optional.ofNonZeroValue('a').value()", 'a'],
  ['optional.ofNonZeroValue([1]).value()', [1n]],
];

it('two-variable comprehensions, sortBy and optional.ofNonZeroValue answer as cel-go', () => {
  assertValues(truths);
});

it('macro argument errors and runtime errors are cel-go texts', () => {
  const compileError = (e: string) => (celEval(e) as { compileError: string }).compileError;
  assert.equal(compileError('[1, 2].all(i, i, true)'), 'ERROR: <input>:1:15: duplicate variable name: i\n | [1, 2].all(i, i, true)\n | ..............^');
  assert.equal(compileError('[1, 2].all(1, v, true)'), 'ERROR: <input>:1:12: argument must be a simple name\n | [1, 2].all(1, v, true)\n | ...........^');
  assert.equal(compileError('[1, 2].all(__result__, v, true)'), 'ERROR: <input>:1:12: iteration variable overwrites accumulator variable\n | [1, 2].all(__result__, v, true)\n | ...........^');
  assertErrors([
    ["{'a': 1, 'b': 1}.transformMapEntry(k, v, {v: k})", 'insert failed: key 1 already exists'],
    ['[0, 1].all(i, v, 1 / v > 0)', 'division by zero'],
  ]);
});

it('the bodies are metered: a nested comprehension over a big list stops at the cost limit', () => {
  const l = Array.from({ length: 3000 }, (_, i) => BigInt(i));
  const r = celEval('l.all(i, x, l.all(j, y, x + y >= 0))', { l });
  assert.deepEqual(r, { error: 'operation cancelled: actual cost limit exceeded' });
});
