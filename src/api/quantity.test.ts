import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatQuantity, parseQuantity } from './quantity.js';

describe('quantities', () => {
  for (const [input, canonical] of [
    ['0.5', '500m'],
    [0.5, '500m'],
    [1, '1'],
    ['1000m', '1'],
    ['100m', '100m'],
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['2000', '2k'],
    ['1024', '1024'],
    ['128Mi', '128Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['1Ki', '1Ki'],
    ['512', '512'],
    ['1G', '1G'],
    ['1e3', '1e3'],
    ['12e6', '12e6'],
    ['0', '0'],
    ['0Mi', '0'],
    ['+5', '5'],
    ['-1', '-1'],
  ] as const) {
    it(`canonicalizes ${JSON.stringify(input)} to ${canonical}`, () => {
      const q = parseQuantity(input);
      assert.ok(q);
      assert.equal(formatQuantity(q), canonical);
    });
  }

  for (const bad of ['', 'abc', '1Qi', '1.2.3', '5 Mi', null, true]) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseQuantity(bad), null));
  }
});
