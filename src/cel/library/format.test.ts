// Cases of k8s.io/apiserver/pkg/cel/library/format_test.go.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { celValue } from '../../testing/cel.js';

const none = (expr: string) => celValue(`!${expr}.hasValue()`);
const errorsOf = (expr: string) => celValue(`${expr}.value()`);

it('valid values give optional.none()', () => {
  for (const e of [
    'format.dns1123LabelPrefix().validate("my-label-prefix-")',
    'format.dns1123SubdomainPrefix().validate("mysubdomain.prefix.-")',
    'format.dns1035LabelPrefix().validate("my-label-prefix-")',
    'format.uri().validate("http://example.com")',
    'format.uuid().validate("123e4567-e89b-12d3-a456-426614174000")',
    'format.byte().validate("aGVsbG8=")',
    'format.date().validate("2021-01-01")',
    'format.datetime().validate("2021-01-01T00:00:00Z")',
    'format.dns1123Label().validate("my-label-name")',
    'format.dns1123Subdomain().validate("example.com")',
    'format.dns1035Label().validate("my-label-name")',
    'format.qualifiedName().validate("my.name")',
    'format.labelValue().validate("my-cool-label-Value")',
  ]) assert.equal(none(e), true, e);
});

it('invalid values give the validation messages', () => {
  const label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  const subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  const dns1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
  assert.deepEqual(errorsOf('format.dns1123Label().validate("contains a space")'), [label]);
  assert.deepEqual(errorsOf('format.dns1123Subdomain().validate("contains a space")'), [subdomain]);
  assert.deepEqual(errorsOf('format.dns1035Label().validate("contains a space")'), [dns1035]);
  assert.deepEqual(errorsOf('format.qualifiedName().validate("contains a space")'), [
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
  assert.deepEqual(errorsOf('format.dns1123LabelPrefix().validate("contains a space-")'), [label]);
  assert.deepEqual(errorsOf('format.dns1123SubdomainPrefix().validate("contains a space-")'), [subdomain]);
  assert.deepEqual(errorsOf('format.dns1035LabelPrefix().validate("contains a space-")'), [dns1035]);
  assert.deepEqual(errorsOf('format.byte().validate("aGVsbG8")'), ['invalid base64']);
  assert.deepEqual(errorsOf('format.date().validate("2020-01-32")'), ['invalid date']);
  assert.deepEqual(errorsOf('format.datetime().validate("2020-01-32T00:00:00Z")'), ['invalid datetime']);
  assert.deepEqual(errorsOf('format.labelValue().validate("my-cool-label-Value!!\\n\\n!!!")'), [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
});

it('named formats are found and compare by name', () => {
  assert.equal(celValue('format.named("unknown").hasValue()'), false);
  const names = ['dns1123Label', 'dns1123Subdomain', 'dns1035Label', 'qualifiedName', 'dns1123LabelPrefix', 'dns1123SubdomainPrefix', 'dns1035LabelPrefix', 'labelValue', 'uri', 'uuid', 'byte', 'date', 'datetime'];
  for (const a of names) {
    assert.equal(celValue(`format.named("${a}").hasValue()`), true, a);
    assert.equal(celValue(`format.named("${a}").value() == format.${a}()`), true, a);
    assert.equal(celValue(`format.${a}() == format.${a === 'uri' ? 'uuid' : 'uri'}()`), false, a);
  }
});
