import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJson } from './body.js';
import { DecodeError, parseYamlText as parseYaml } from './yaml-text.js';

const nested = (depth: number, open: string, close: string, inner = '') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

describe('request bodies', () => {
  it('parse JSON nested 1000 deep, and refuse deeper in the words of Go\'s scanner', () => {
    assert.ok(parseJson(nested(1000, '[', ']')));
    assert.throws(() => parseJson(nested(1001, '[', ']')), new DecodeError("json parse error: invalid character '[' exceeded max depth"));
    assert.throws(() => parseJson(nested(5000, '{"b":', '}', '1')), new DecodeError("json parse error: invalid character '{' exceeded max depth"));
  });

  it('refuse YAML whose aliases expand into a huge document', () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (const [prev, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) text += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    assert.throws(() => parseYaml(text), new DecodeError('yaml: document contains excessive aliasing'));
    assert.deepEqual(parseYaml('a: &x [1]\nb: *x\n'), { a: [1], b: [1] });
  });
});
