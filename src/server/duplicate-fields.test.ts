import assert from 'node:assert/strict';
import { it } from 'node:test';
import { duplicateFields } from './duplicate-fields.js';

it('finds keys that appear twice in one object, with their paths', () => {
  assert.deepEqual(duplicateFields('{"a":1,"b":{"c":"x","c":"y"},"a":2}'), ['b.c', 'a']);
  assert.deepEqual(duplicateFields('{"spec":{"containers":[{"name":"a","name":"b"}]}}'), ['spec.containers[0].name']);
  assert.deepEqual(duplicateFields('{"k":"a \\"quoted\\" } value","l":[1, 2, {"m":true}],"n":null}'), []);
  assert.deepEqual(duplicateFields('{}'), []);
});

it('reads escaped keys as JSON does, and paths through arrays of arrays', () => {
  assert.deepEqual(duplicateFields('{"a\\u0062":1,"ab":2}'), ['ab']);
  assert.deepEqual(duplicateFields('{"x":[[{"k":1,"k":2}],[]],"y":{"z":{"q":1,"q":2}}}'), ['x[0][0].k', 'y.z.q']);
  assert.deepEqual(duplicateFields(' { "a" : [ 1 , 2 ] , "b" : -1.5e3 , "a" : false } '), ['a']);
});
