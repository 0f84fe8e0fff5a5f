import assert from 'node:assert/strict';
import { it } from 'node:test';
import { goCompare, utf8Length } from './utf8.js';

const SAMPLES = ['', 'a', 'ab', 'b', 'Z', '~', 'é', 'ß', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '😀', '𐀀', 'a😀', 'a\uffff', 'aé', 'a-b', 'a.b'];

it('orders strings as Go does, by their UTF-8 bytes', () => {
  for (const a of SAMPLES) for (const b of SAMPLES) assert.equal(Math.sign(goCompare(a, b)), Buffer.compare(Buffer.from(a), Buffer.from(b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

it('counts UTF-8 bytes', () => {
  for (const s of SAMPLES) assert.equal(utf8Length(s), Buffer.byteLength(s, 'utf8'), JSON.stringify(s));
});
