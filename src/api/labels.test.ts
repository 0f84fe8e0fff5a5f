import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { errorText } from './field-errors.js';
import {
  formatLabelSelector,
  fromLabelSelectorObject,
  labelSelectorString,
  matchesLabels,
  parseLabelSelector,
  selectorObjectMatches,
  validateLabels,
  validateLabelSelectorObject,
} from './labels.js';

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('parseLabelSelector', () => {
  // [input, canonical String()] (selector_test.go TestSelectorParse / TestSetSelectorParser).
  const good: [string, string][] = [
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['', ''],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ', 'x='],
    ['x=,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1', 'x>1'],
    ['x>1,z<5', 'x>1,z<5'],
    ['x==a', 'x==a'],
    ['a=x,x=a', 'a=x,x=a'],
    ['x=a,a=x', 'a=x,x=a'],
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x in (abc,def)', 'x in (abc,def)'],
    ['x in (def,abc,abc)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x,y in (a)', 'x,y in (a)'],
    ['notin=in', 'notin=in'],
    ['x in (in,notin)', 'x in (in,notin)'],
  ];
  for (const [input, want] of good) {
    it(`parses ${JSON.stringify(input)}`, () => assert.equal(labelSelectorString(parseLabelSelector(input)), want));
  }

  // Messages as labels.Parse returns them (several seen verbatim in kubectl / client output).
  const bad: [string, string][] = [
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['app=(', "unable to parse requirement: found '(', expected: identifier"],
    ['env IN (a)', "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt"],
    ['type=app,versionv1.0.1)', "unable to parse requirement: found ')', expected: in, notin, =, ==, !=, gt, lt"],
    ['label0==label0, label0 in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['x in', "unable to parse requirement: found '' expected: '('"],
    ['x,', "found '', expected: identifier after ','"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${NAME_PART}`],
    ['*bar', `unable to parse requirement: <nil>: Invalid value: "*bar": ${NAME_PART}`],
    [
      'a/b/c ?=? def',
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    ['app=demo-{nginx}', `unable to parse requirement: values[0][app]: Invalid value: "demo-{nginx}": ${LABEL_VALUE}`],
    [
      'x in (c$,b$,a)',
      `unable to parse requirement: [values[1][x]: Invalid value: "b$": ${LABEL_VALUE}, values[2][x]: Invalid value: "c$": ${LABEL_VALUE}]`,
    ],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => assert.throws(() => parseLabelSelector(input), { message }));
  }
});

describe('matchesLabels', () => {
  // [selector, labels, match] (TestSelectorMatches, TestRequirementSelectorMatching).
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['z>1', { z: 'v2' }, false],
    ['x in (foo),y notin (alpha)', { x: 'foo', y: 'baz' }, true],
    ['x in (foo),y in (alpha)', { x: 'foo', y: 'baz' }, false],
    ['x notin (),y', { y: '' }, true],
    ['x notin (),!y', { y: '' }, false],
    ['x in ()', { y: 'baz' }, false],
    ['x>5', { x: '+7' }, true],
    ['x>5', { x: '99999999999999999999' }, false],
    ['constructor', {}, false],
  ];
  for (const [sel, labels, want] of cases) {
    it(`${JSON.stringify(sel)} on ${JSON.stringify(labels)} is ${want}`, () => assert.equal(matchesLabels(parseLabelSelector(sel), labels), want));
  }
  it('treats missing labels as none', () => {
    assert.equal(matchesLabels(parseLabelSelector('!a'), undefined), true);
    assert.equal(matchesLabels(parseLabelSelector('a'), undefined), false);
  });
});

describe('metav1.LabelSelector', () => {
  it('nil selects nothing, empty selects everything', () => {
    assert.equal(fromLabelSelectorObject(null), null);
    assert.deepEqual(fromLabelSelectorObject({}), []);
    assert.equal(selectorObjectMatches(undefined, { a: 'b' }), false);
    assert.equal(selectorObjectMatches({}, { a: 'b' }), true);
    assert.equal(selectorObjectMatches({ matchLabels: { a: 'b' } }, { a: 'b', c: 'd' }), true);
    assert.equal(selectorObjectMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['b'] }] }, { a: 'b' }), false);
  });

  // [selector, FormatLabelSelector] (kubectl get rs -o wide).
  const formats: [Parameters<typeof formatLabelSelector>[0], string][] = [
    [null, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { b: '1', a: '2' } }, 'a=2,b=1'],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, 'app=web,tier in (be,fe)'],
    [{ matchExpressions: [{ key: 'x', operator: 'Exists' }, { key: 'w', operator: 'DoesNotExist' }] }, '!w,x'],
    [{ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }, '<error>'],
    [{ matchExpressions: [{ key: 'x', operator: 'In' }] }, '<error>'],
  ];
  for (const [o, want] of formats) {
    it(`formats ${JSON.stringify(o)} as ${want}`, () => assert.equal(formatLabelSelector(o), want));
  }

  it('throws LabelSelectorAsSelector errors', () => {
    assert.throws(() => fromLabelSelectorObject({ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }), {
      message: '"Bogus" is not a valid label selector operator',
    });
    assert.throws(() => fromLabelSelectorObject({ matchExpressions: [{ key: 'x', operator: 'In' }] }), {
      message: "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    });
    assert.throws(() => fromLabelSelectorObject({ matchLabels: { 'a b': 'c' } }), { message: `key: Invalid value: "a b": ${NAME_PART}` });
  });
});

describe('validation', () => {
  const texts = (errs: ReturnType<typeof validateLabels>) => errs.map(errorText);

  it('validateLabels names the map, not the key', () => {
    assert.deepEqual(texts(validateLabels({ ok: 'fine', 'a b': 'x', c: 'v$' }, 'metadata.labels')), [
      `metadata.labels: Invalid value: "a b": ${NAME_PART}`,
      `metadata.labels: Invalid value: "v$": ${LABEL_VALUE}`,
    ]);
  });

  // [selector, messages] (metav1validation.ValidateLabelSelector).
  const cases: [Parameters<typeof validateLabelSelectorObject>[0], string[]][] = [
    [null, []],
    [{ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }, []],
    [{ matchExpressions: [{ key: 'k', operator: 'In' }] }, ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]],
    [
      { matchExpressions: [{ key: 'k', operator: 'Exists', values: ['v'] }] },
      ["spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ],
    [{ matchExpressions: [{ key: 'k', operator: 'in', values: ['v'] }] }, ['spec.selector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator']],
    [
      { matchExpressions: [{ key: '', operator: 'NotIn', values: ['-x'] }] },
      [
        'spec.selector.matchExpressions[0].key: Invalid value: "": name part must be non-empty',
        `spec.selector.matchExpressions[0].key: Invalid value: "": ${NAME_PART}`,
        `spec.selector.matchExpressions[0].values[0]: Invalid value: "-x": ${LABEL_VALUE}`,
      ],
    ],
    [{ matchLabels: { a: '-' } }, [`spec.selector.matchLabels: Invalid value: "-": ${LABEL_VALUE}`]],
  ];
  for (const [o, want] of cases) {
    it(`validates ${JSON.stringify(o)}`, () => assert.deepEqual(texts(validateLabelSelectorObject(o, 'spec.selector')), want));
  }
});
