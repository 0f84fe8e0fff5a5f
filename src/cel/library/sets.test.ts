// Cases of cel-go ext/sets_test.go.
import { it } from 'node:test';
import { assertValues } from '../../testing/cel.js';

const truths: [string, unknown][] = [
  ['sets.contains([], [])', true],
  ['sets.contains([1], [])', true],
  ['sets.contains([1], [1])', true],
  ['sets.contains([1], [1, 1])', true],
  ['sets.contains([1, 1], [1])', true],
  ['sets.contains([2, 1], [1])', true],
  ['sets.contains([1], [2])', false],
  ['sets.contains([1, 2], [2, 3])', false],
  ["sets.contains([[1], [2, 3]], [[2, 3]])", true],
  ["sets.contains([{'a': 1}], [{'a': 1}])", true],
  ['sets.equivalent([], [])', true],
  ['sets.equivalent([1], [1, 1])', true],
  ['sets.equivalent([1, 2], [2, 2, 1])', true],
  ['sets.equivalent([1, 2, 3], [3, 2, 1])', true],
  ['sets.equivalent([2, 1], [1])', false],
  ['sets.intersects([1], [1])', true],
  ['sets.intersects([1], [1, 1])', true],
  ['sets.intersects([2, 1], [1])', true],
  ['sets.intersects([], [])', false],
  ['sets.intersects([1], [])', false],
  ['sets.intersects([1], [2])', false],
];

it('sets.contains, sets.equivalent and sets.intersects answer as ext/sets_test.go', () => {
  assertValues(truths);
});
