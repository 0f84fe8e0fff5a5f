// The examples of k8s.io/apiserver/pkg/cel/library/lists.go.
import { it } from 'node:test';
import { assertErrors, assertValues } from '../../testing/cel.js';

const truths: [string, unknown][] = [
  ['[1, 2, 3].isSorted()', true],
  ["['a', 'b', 'b', 'c'].isSorted()", true],
  ["['a', 'c', 'b'].isSorted()", false],
  ['[].isSorted()', true],
  ['[1, 2, 3].sum()', 6n],
  ['[1.0, 2.0, 3.0].sum()', 6],
  ['[].sum()', 0n],
  ["[duration('1s'), duration('1m')].sum() == duration('61s')", true],
  ['[1, 2, 3].min()', 1n],
  ["['d', 'a', 'b', 'c'].min()", 'a'],
  ['[1, 2, 3].max()', 3n],
  ["[timestamp('2020-01-01T00:00:00Z'), timestamp('2021-01-01T00:00:00Z')].max() == timestamp('2021-01-01T00:00:00Z')", true],
  ['[1, 2, 2, 3].indexOf(2)', 1n],
  ["['a', 'b', 'b', 'c'].indexOf('a')", 0n],
  ['[1.0].indexOf(1.1)', -1n],
  ['[].indexOf(1)', -1n],
  ['[1, 2, 2, 3].lastIndexOf(2)', 2n],
  ["['a', 'b', 'b', 'c'].lastIndexOf('b')", 2n],
  ['[1.0].lastIndexOf(1.1)', -1n],
];

it('isSorted, sum, min, max, indexOf, lastIndexOf answer as lists.go documents', () => {
  assertValues(truths);
});

it('min and max of an empty list fail', () => {
  assertErrors([
    ['[].min()', 'min called on empty list'],
    ['[].max()', 'max called on empty list'],
  ]);
});
