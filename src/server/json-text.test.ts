import assert from 'node:assert/strict';
import { it } from 'node:test';
import { scanJsonText } from './json-text.js';

const duplicateFields = (text: string) => scanJsonText(text).duplicates;

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

it('scans text nested as deep as the decoder allows, without recursion', () => {
  assert.deepEqual(duplicateFields(`{"a":${'['.repeat(10000)}${']'.repeat(10000)},"b":${'{"k":'.repeat(10000)}1${'}'.repeat(10000)},"a":1}`), ['a']);
});

it('keeps the number literals a JS number cannot tell apart, by path', () => {
  const { numbers } = scanJsonText('{"a":1,"b":1.0,"c":[1e3,-2,12345678901234567890],"d":"1.5","e":true,"f":-0.5E2}');
  assert.deepEqual([...numbers], [['b', '1.0'], ['c[0]', '1e3'], ['c[2]', '12345678901234567890'], ['f', '-0.5E2']]);
});
