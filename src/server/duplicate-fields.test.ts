import assert from 'node:assert/strict';
import { it } from 'node:test';
import { duplicateFields } from './duplicate-fields.js';

it('finds keys that appear twice in one object, with their paths', () => {
  assert.deepEqual(duplicateFields('{"a":1,"b":{"c":"x","c":"y"},"a":2}'), ['b.c', 'a']);
  assert.deepEqual(duplicateFields('{"spec":{"containers":[{"name":"a","name":"b"}]}}'), ['spec.containers[0].name']);
  assert.deepEqual(duplicateFields('{"k":"a \\"quoted\\" } value","l":[1, 2, {"m":true}],"n":null}'), []);
  assert.deepEqual(duplicateFields('{}'), []);
});
