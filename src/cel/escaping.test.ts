import assert from 'node:assert/strict';
import { it } from 'node:test';
import { escapeName } from './escaping.js';

it('escapes property names as Kubernetes does', () => {
  const cases: [string, string | undefined][] = [
    ['foo', 'foo'], ['namespace', '__namespace__'], ['if', '__if__'], ['true', '__true__'],
    ['a__b', 'a__underscores__b'], ['a.b', 'a__dot__b'], ['a-b', 'a__dash__b'], ['a/b', 'a__slash__b'],
    ['__x', '__underscores__x'], ['a___b', 'a__underscores___b'], ['1a', undefined], ['a:b', undefined], ['', undefined],
    ['-', '__dash__'], ['_a', '_a'],
  ];
  for (const [name, want] of cases) assert.equal(escapeName(name), want, name);
});
