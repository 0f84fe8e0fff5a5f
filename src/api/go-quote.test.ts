import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goQuote, goQuoteList } from './go-quote.js';

describe("goQuote (Go's strconv.Quote)", () => {
  const cases: [string, string][] = [
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\x07\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\x00\x01\x7f', '"\\x00\\x01\\x7f"'],
    ['ᛄ Iñtërnâtiô 😀', '"ᛄ Iñtërnâtiô 😀"'],
    ['\u00a0\u200b\u2028\ufeff', '"\\u00a0\\u200b\\u2028\\ufeff"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['\ud800', '"\ufffd"'],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => assert.equal(goQuote(input), want));
  it('quotes a []string as %q does', () => assert.equal(goQuoteList(['', 'apps']), '["" "apps"]'));
});
