// Cases from k8s.io/apiserver/pkg/endpoints/filters/warning_test.go, with the limits scaled by
// the texts' lengths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { warningHeaders } from './warnings.js';

const utf8 = (headers: string[]) => headers.map((h) => Buffer.from(h, 'latin1').toString('utf8'));

describe('Warning headers', () => {
  it('one per distinct text, in order, with " and \\ escaped', () => {
    assert.deepEqual(utf8(warningHeaders(['mytext1', 'mytext2', 'mytext1', '', 'a "quoted" \\ text'])), ['299 - "mytext1"', '299 - "mytext2"', '299 - "a \\"quoted\\" \\\\ text"']);
  });

  it('drops texts with control characters', () => {
    assert.deepEqual(warningHeaders(['my\ntext', 'ok']), ['299 - "ok"']);
  });

  it('carries UTF-8 as latin1 characters (bytes on the wire)', () => {
    assert.deepEqual(warningHeaders(['ᛄ']), [Buffer.from('299 - "ᛄ"').toString('latin1')]);
  });

  it('past 4 Ki runes in all, cuts every text to 256 runes and stops adding once full', () => {
    const long = (c: string) => c.repeat(1000);
    const texts = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r'].map(long);
    const out = utf8(warningHeaders(['Iñtërnâtiô', ...texts]));
    // Iñtërnâtiô (10) + 16 texts of 256 = 4106 ≥ 4096: the 17th and later are not added.
    assert.equal(out.length, 17);
    assert.equal(out[0], '299 - "Iñtërnâtiô"');
    assert.ok(out.slice(1).every((h, i) => h === `299 - "${String.fromCharCode(97 + i).repeat(256)}"`));
  });

  it('under the limit, texts stay whole', () => {
    assert.deepEqual(utf8(warningHeaders(['x'.repeat(4000), 'y'.repeat(96)])), [`299 - "${'x'.repeat(4000)}"`, `299 - "${'y'.repeat(96)}"`]);
  });
});
