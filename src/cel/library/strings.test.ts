// Cases of cel-go ext/strings_test.go for the functions this layer adds to cel-js.
import { it } from 'node:test';
import { assertErrors, assertValues } from '../../testing/cel.js';

const truths: [string, unknown][] = [
  ["'tacocat'.charAt(3)", 'o'],
  ["'tacocat'.charAt(7)", ''],
  ["'©αT'.charAt(0) == '©' && '©αT'.charAt(1) == 'α' && '©αT'.charAt(2) == 'T'", true],
  ["'12 days 12 hours'.replace('{0}', '2')", '12 days 12 hours'],
  ["'{0} days {0} hours'.replace('{0}', '2')", '2 days 2 hours'],
  ["'{0} days {0} hours'.replace('{0}', '2', 1).replace('{0}', '23')", '2 days 23 hours'],
  ["'1 ©αT taco'.replace('αT', 'o©α')", '1 ©o©α taco'],
  ["'hello hello'.replace('he', 'we', 0)", 'hello hello'],
  ["'gums'.reverse()", 'smug'],
  ["'John Smith'.reverse()", 'htimS nhoJ'],
  ["'u270c'.reverse()", 'c072u'],
  ["'\\u270c'.reverse()", '\u270c'],
  ["strings.quote('first\\nsecond')", '"first\\nsecond"'],
  ["strings.quote('bell\\a')", '"bell\\a"'],
  ["strings.quote('printable unicode😀')", '"printable unicode😀"'],
  ["strings.quote('mid-string \\\" quote')", '"mid-string \\" quote"'],
  ["'%s %s'.format(['hello', 'world'])", 'hello world'],
  ["'%d items'.format([42])", '42 items'],
  ["'%.3f'.format([1.2345])", '1.234'],
  ["'%f'.format([1.0])", '1.000000'],
  ["'%e'.format([1234.5])", '1.234500e+03'],
  ["'%x'.format([30])", '1e'],
  ["'%X'.format(['Hello world!'])", '48656C6C6F20776F726C6421'],
  ["'%o'.format([8])", '10'],
  ["'%b'.format([5])", '101'],
  ["'%s'.format([[1, 2, 3]])", '[1, 2, 3]'],
  ["'%s'.format([null])", 'null'],
  ["'%s'.format([true])", 'true'],
  ["'%%'.format([])", '%'],
];

it('charAt, replace, reverse, strings.quote and format answer as ext/strings_test.go', () => {
  assertValues(truths);
});

it('string errors are cel-go texts', () => {
  assertErrors([
    ["'tacocat'.charAt(30)", 'index out of range: 30'],
    ["'%d'.format(['a'])", 'error during formatting: decimal clause can only be used on integers, was given string'],
  ]);
});
