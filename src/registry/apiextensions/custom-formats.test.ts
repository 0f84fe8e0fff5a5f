// Unit tests of the string formats, with the samples of kube-openapi's strfmt tests
// (default_test.go, duration_test.go, time_test.go) and of the Go parsers behind them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorText } from '../../api/field-errors.js';
import { isSupportedFormat, matchesFormat } from './custom-formats.js';
import { validateCustomResource } from './custom-validate.js';
import { unrecognizedFormats } from './crd-schema.js';

const check = (format: string, valid: string[], invalid: string[]) => {
  for (const v of valid) assert.equal(matchesFormat(format, v), true, `${format} ${JSON.stringify(v)} should be valid`);
  for (const v of invalid) assert.equal(matchesFormat(format, v), false, `${format} ${JSON.stringify(v)} should be invalid`);
};

describe('string formats (kube-openapi strfmt)', () => {
  it('uri: url.ParseRequestURI', () => {
    check('uri', ['http://somewhere.com', 'http://somewhereelse.com', '/absolute/path', 'mailto:a@b.c', 'http://[::1]:80/x', 'http://u:p@h/x?q=%zz', '*', 'http://foo.bar/#com', 'http://host:/'], ['somewhere.com', '', 'http://a b/', 'rel/path', ':x', 'http://h/%zz', 'http://h:8x/', 'http://us er@h/', 'http://[::1/', 'a\tb:x']);
  });

  it('email: net/mail.ParseAddress', () => {
    check('email', ['somebody@somewhere.com', 'blah@gmail.com', 'test@d.verylongtoplevel', 'email+tag@gmail.com', '" "@example.com', '"Abc\\@def"@example.com', '"Fred Bloggs"@example.com', '"Joe\\\\Blow"@example.com', '"Abc@def"@example.com', 'customer/department=shipping@example.com', '$A12345@example.com', '!def!xyz%abc@example.com', '_somename@example.com', "!#$%&'*+-/=?^_`{}|~@example.com", "Miles.O'Brian@example.com", 'postmaster@☁→❄→☃→☀→☺→☂→☹→✝.ws', 'root@localhost', 'john@com', 'api@piston.ninja', 'Joe <joe@example.com>', 'a@[127.0.0.1]', 'g: a@b.c;', 'a@b.c (comment)'],
      ['somebody@somewhere@com', '', 'plain', '.a@b.c', 'a..b@c', 'a@b.', '<a@b.c', 'g: ;', 'g: a@b.c, d@e.f;', 'a@b.c x', 'a@[1.2.3]']);
  });

  it('hostname', () => {
    const long = 'a'.repeat(64);
    check('hostname', ['somewhere.com', '888.com', 'a.com', 'a.b.c.d.e.com', '1.2.3.4.com', '1wwworg.example.com', 'xn--bcher-kva.example.com', 'xn-80ak6aa92e.co', 'xn--ls8h.la', '☁→❄→☃→☀→☺→☂→☹→✝.ws', 'www.example.ôlà', 'ôlà.ôlà.ôlà', 'ex$ample', 'localhost', 'x', 'x-y', 'a.b.c.d.e.f.g.dot', 'ex=ample.com', '<foo>', 'www.example-hyphenated.org', 'www.詹姆斯.org', 'www.élégigôö.org', 'www.詹姆斯.london'],
      ['somewhere.com!', 'user@email.domain', '1.1.1.1', 'a'.repeat(256), `x.y.${long}`, 'www.example-.org', 'www.--example.org', '-www.example.org', 'www-.example.org', 'www.d-.org', 'www.-d.org', 'www-', '-www', 'www.ex ample.org', '_www.example.org', 'www.ex;ample.org', 'www.example_underscored.org', 'www.詹姆斯.x', 'a.b.c.d', '-xyz', 'xyz-', 'x.', 'a.b.c.dot-', 'a.b.c.é;ö']);
  });

  it('ipv4 and cidr tolerate leading zeros (ParseIPSloppy), ipv6 is net.ParseIP', () => {
    check('ipv4', ['192.168.254.1', '127.0.0.1', '192.168.1.01', '0.0.0.0', '::ffff:1.2.3.4'], ['198.168.254.2.2', '256.1.1.1', '1.2.3', '::1', '', '1.2.3.4 ']);
    check('ipv6', ['::1', '::2', '2001:db8::8a2e:370:7334', '::', '1:2:3:4:5:6:7:8', '::ffff:1.2.3.4', 'ABCD::'], ['127.0.0.1', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', '00001::', 'fe80::1%eth0', '::ffff:1.2.3.04', ':1::', '1::2:']);
    check('cidr', ['192.168.254.1/24', '192.0.2.1/24', '192.0.02.1/24', '2001:db8:a0b:12f0::1/32', '10.0.0.0/032'], ['198.168.254.2', '2001:db8:a0b:12f0::1', '1.2.3.4/33', '::/129', '1.2.3.4/', '1.2.3.4/a']);
  });

  it('mac: net.ParseMAC', () => {
    check('mac', ['01:02:03:04:05:06', '06:05:04:03:02:01', '01-23-45-67-89-ab', '0123.4567.89ab', '01:23:45:67:89:ab:cd:ef', '0123.4567.89ab.cdef'], ['01:02:03:04:05', '01:02:03-04:05:06', '0123.4567.89a', '01:02:03:04:05:0g', '01:02:03:04:05:06:07']);
  });

  it('uuids (case-insensitive, dashes optional)', () => {
    check('uuid', ['f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'F81D4FAE7DEC11D0A76500A0C91E6BF6'], ['not-a-uuid', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf']);
    check('uuid3', ['a3bb189e-8bf9-3888-9912-ace4e6543002'], ['not-a-uuid', 'a3bb189e-8bf9-4888-9912-ace4e6543002']);
    check('uuid4', ['16fd2706-8baf-433b-82eb-8c7fada847da'], ['not-a-uuid', '16fd2706-8baf-433b-c2eb-8c7fada847da']);
    check('uuid5', ['886313e1-3b8a-5372-9b90-0c9aee199e5d'], ['not-a-uuid', '886313e1-3b8a-4372-9b90-0c9aee199e5d']);
  });

  it('isbn, credit card, ssn, colours, byte, password, bsonobjectid', () => {
    check('isbn', ['0321751043', '978-0321751041'], ['836217463']);
    check('isbn10', ['0321751043', '0-321-75104-3', '080442957X'], ['836217463', '978-0321751041']);
    check('isbn13', ['978-0321751041', '978 0321751041'], ['978-0321751042', '0321751043']);
    check('creditcard', ['4111-1111-1111-1111', '4012-8888-8888-1881', '4111 1111 1111 1111', 'x4111x1111x1111x1111'], ['9999-9999-9999-999', '4111-1111-1111-1112']);
    check('ssn', ['111-11-1111', '999 99 9999'], ['999 99 999', '111111111', '111-11-11111']);
    check('hexcolor', ['#FFFFFF', '#000000', 'fff', '#abc'], ['#fffffffz', '#ff', 'ggg']);
    check('rgbcolor', ['rgb(255,255,255)', 'rgb(0,0,0)', 'rgb( 1 , 2 , 3 )'], ['rgb(300,0,0)', 'rgb(0,0)', 'rgb(01,0,0)']);
    check('byte', ['VGhpcyBpcyBh', 'ZWxpemFiZXRocG9zZXk=', 'YQ==', 'a+/='], ['ZWxpemFiZXRocG9zZXk', '', 'YQ=', 'YQ=a', 'a-_=']);
    check('password', ['super secret stuff here', ''], []);
    check('bsonobjectid', ['507f1f77bcf86cd799439011'], ['507f1f77bcf86cd79943901', '507f1f77bcf86cd79943901g']);
  });

  it('date, date-time (datetime) and duration', () => {
    check('date', ['2012-02-29', '2006-01-02', '0000-02-29'], ['2011-02-29', '2006-1-02', '2006-13-01', '2006-04-31', '2006-01-02T00:00:00Z', '']);
    check('date-time', ['2014-12-15T19:30:20.000Z', '2012-03-29T10:00:45-05:00', '2012-03-29t10:00:45.5+01:00', '2006-01-02T15:04:05Z', '2006-01-02T15:04:05Ztrailer'], ['2014-12-15 19:30:20Z', '2014-12-15T24:00:00Z', '2014-12-15T19:60:00Z', '2014-12-15T19:30:20', '2014-13-15T19:30:20Z', 'abc', '']);
    assert.equal(matchesFormat('datetime', '2014-12-15T19:30:20Z'), true);
    check('duration', ['1ms', '1.5h', '-2m3.4s', '0', '1 ms', '22 ns', '3 days', '1 week 2 hours', '5 minutes', '2 hr', '10 sec', '7µs', '1 foo 2 s', '9999999999h'], ['', '1', 'ms', '1 foo', '1x', '1.5 hours', '99999999999999999999 ns', '9999999999999999999999h', '-', '.s']);
  });

  it('bounds the work of hostile values', () => {
    const big = 'a-'.repeat(100_000);
    const start = Date.now();
    for (const f of ['hostname', 'uri', 'email', 'duration', 'byte', 'ipv6', 'cidr', 'creditcard', 'isbn', 'date-time', 'rgbcolor']) {
      matchesFormat(f, big);
      matchesFormat(f, `${'1'.repeat(200_000)}x`);
      matchesFormat(f, `rgb(${' '.repeat(100_000)}`);
    }
    assert.ok(Date.now() - start < 2000);
  });
});

describe('which formats are kept', () => {
  it('keeps string formats by their dashless name, numeric formats by type, nothing else', () => {
    assert.equal(isSupportedFormat('string', 'date-time'), true);
    assert.equal(isSupportedFormat(undefined, 'uuid'), true);
    assert.equal(isSupportedFormat('string', 'i-p-v-4'), true);
    assert.equal(isSupportedFormat('string', 'int32'), false);
    assert.equal(isSupportedFormat('string', 'quantity'), false);
    assert.equal(isSupportedFormat('integer', 'int32'), true);
    assert.equal(isSupportedFormat('integer', 'uuid'), false);
    assert.equal(isSupportedFormat('number', 'double'), true);
    assert.equal(isSupportedFormat('boolean', 'byte'), false);
  });

  it('warns on create about the formats that are dropped', () => {
    const warnings = unrecognizedFormats({ type: 'object', properties: { a: { type: 'string', format: 'date-time' }, b: { type: 'string', format: 'k8s-short-name' }, c: { type: 'integer', format: 'uuid' }, d: { type: 'number', format: 'float' } } });
    assert.deepEqual(warnings, ['unrecognized format "k8s-short-name"', 'unrecognized format "uuid"']);
  });

  it('reports a bad value with the format as written and the value Go-quoted; skips dropped formats', () => {
    const s = { type: 'object', properties: { when: { type: 'string', format: 'date-time' }, ip: { type: 'string', format: 'ipv6' }, odd: { type: 'string', format: 'madeup' }, n: { type: 'integer', format: 'uuid' } } } as any;
    const errs = validateCustomResource({ when: 'yesterday', ip: 'x\ty', odd: '??', n: 3 }, s, '', undefined, {}).map(errorText);
    assert.deepEqual(errs, ['when: Invalid value: "yesterday": when in body must be of type date-time: "yesterday"', 'ip: Invalid value: "x\\ty": ip in body must be of type ipv6: "x\\ty"']);
  });
});
