// Cases of cel-go ext/lists_test.go.
import { it } from 'node:test';
import { assertErrors, assertValues } from '../../testing/cel.js';

const truths: [string, unknown][] = [
  ['[1, 2, 3, 4].slice(0, 4)', [1n, 2n, 3n, 4n]],
  ['[1, 2, 3, 4].slice(0, 0)', []],
  ['[1, 2, 3, 4].slice(1, 1)', []],
  ['[1, 2, 3, 4].slice(4, 4)', []],
  ['[1, 2, 3, 4].slice(1, 3)', [2n, 3n]],
  // Kubernetes' literals are homogeneous: mixed elements are written through dyn().
  ['[dyn(1), dyn([dyn(2), dyn([3, 4])])].flatten()', [1n, 2n, [3n, 4n]]],
  ['[dyn(1), dyn([dyn(2), dyn([3, 4])])].flatten(2)', [1n, 2n, 3n, 4n]],
  ['[dyn(1), dyn([2])].flatten(0)', [1n, [2n]]],
  ['[[], [[1]], [[2, 3]]].flatten(2)', [1n, 2n, 3n]],
  ['[4, 3, 2, 1].sort()', [1n, 2n, 3n, 4n]],
  ["['d', 'a', 'b', 'c'].sort()", ['a', 'b', 'c', 'd']],
  ['[].sort()', []],
  ['[1, 2, 2, 3, 3, 3].distinct()', [1n, 2n, 3n]],
  ["['c', 'a', 'a', 'b', 'a', 'b', 'c', 'c'].distinct()", ['c', 'a', 'b']],
  ['[[1], [1], [2]].distinct()', [[1n], [2n]]],
  ['[5, 1, 2, 3].reverse()', [3n, 2n, 1n, 5n]],
  ['[].reverse()', []],
  ['lists.range(4)', [0n, 1n, 2n, 3n]],
  ['lists.range(0)', []],
];

it('slice, flatten, sort, distinct, reverse and lists.range answer as ext/lists_test.go', () => {
  assertValues(truths);
});

it('list errors are cel-go texts', () => {
  assertErrors([
    ['[1, 2, 3, 4].slice(3, 0)', 'cannot slice(3, 0), start index must be less than or equal to end index'],
    ['[1, 2, 3, 4].slice(0, 10)', 'cannot slice(0, 10), list is length 4'],
    ['[1, 2, 3, 4].slice(-5, 10)', 'cannot slice(-5, 10), negative indexes not supported'],
    ['[1, 2].flatten(-1)', 'level must be non-negative'],
  ]);
});
