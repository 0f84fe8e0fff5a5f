import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { escapeFieldValue, fieldSelectorString, matchesFields, parseFieldSelector, requiredValue } from './fields.js';

describe('parseFieldSelector', () => {
  // [input, String()] (fields/selector_test.go TestSelectorParse and escaping cases).
  const good: [string, string][] = [
    ['', ''],
    ['a=b', 'a=b'],
    ['a==b', 'a=b'],
    ['a!=b', 'a!=b'],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['z=c,x=a,y=b', 'x=a,y=b,z=c'],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ', 'x= '],
    ['x=,z= ', 'x=,z= '],
    ['x= ,z= ', 'x= ,z= '],
    ['a=b,', 'a=b'],
    [',a=b', 'a=b'],
    ['a=\\,', 'a=\\,'],
    ['a=\\=\\\\', 'a=\\=\\\\'],
    ['metadata.name=foo\\,bar', 'metadata.name=foo\\,bar'],
  ];
  for (const [input, want] of good) {
    it(`parses ${JSON.stringify(input)}`, () => assert.equal(fieldSelectorString(parseFieldSelector(input)), want));
  }

  it('unescapes values', () => {
    assert.deepEqual(parseFieldSelector('a=b\\,c,d!=\\=\\\\'), [
      { field: 'a', operator: '=', value: 'b,c' },
      { field: 'd', operator: '!=', value: '=\\' },
    ]);
  });

  const bad: [string, string][] = [
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['field,', "invalid selector: 'field,'; can't understand 'field'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => assert.throws(() => parseFieldSelector(input), { message }));
  }
});

describe('matching', () => {
  const fields: Record<string, string> = { 'metadata.name': 'foo', 'metadata.namespace': 'ns', 'spec.nodeName': '' };
  const get = (f: string) => fields[f];
  const cases: [string, boolean][] = [
    ['', true],
    ['metadata.name=foo', true],
    ['metadata.name==foo', true],
    ['metadata.name!=foo', false],
    ['metadata.name=bar', false],
    ['metadata.name=foo,metadata.namespace=ns', true],
    ['metadata.name=foo,metadata.namespace!=ns', false],
    ['spec.nodeName=', true],
    ['status.phase=', true],
    ['status.phase!=Running', true],
  ];
  for (const [sel, want] of cases) {
    it(`${JSON.stringify(sel)} is ${want}`, () => assert.equal(matchesFields(parseFieldSelector(sel), get), want));
  }

  it('requiredValue finds exact matches only', () => {
    assert.equal(requiredValue(parseFieldSelector('metadata.name=foo,metadata.namespace=ns'), 'metadata.name'), 'foo');
    assert.equal(requiredValue(parseFieldSelector('metadata.name==foo'), 'metadata.name'), 'foo');
    assert.equal(requiredValue(parseFieldSelector('metadata.name!=foo'), 'metadata.name'), undefined);
    assert.equal(requiredValue(parseFieldSelector('metadata.namespace=ns'), 'metadata.name'), undefined);
  });

  it('escapes values', () => assert.equal(escapeFieldValue('a,b=c\\d'), 'a\\,b\\=c\\\\d'));
});
