// Cases from k8s.io/apiserver/pkg/storage/continue_test.go, and forged tokens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../api/errors.js';
import { decodeContinue, encodeContinue } from './continue-token.js';

const token = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const v1 = (rv: unknown, start: unknown) => token({ v: 'meta.k8s.io/v1', rv, start });

function refused(t: string, message: string): void {
  assert.throws(() => decodeContinue(t), (err: unknown) => err instanceof ApiError && err.code === 400 && err.message === `invalid continue token: ${message}`);
}

describe('continue tokens', () => {
  it('round-trips', () => assert.deepEqual(decodeContinue(encodeContinue(7, 'default/a\u0000')), { rv: 7, start: 'default/a\u0000' }));
  it('accepts the root path and a leading slash', () => {
    assert.deepEqual(decodeContinue(v1(1, '/')), { rv: 1, start: '' });
    assert.deepEqual(decodeContinue(v1(1, '/key')), { rv: 1, start: 'key' });
  });
  it('a negative revision (continue at the latest, after a compaction) is kept', () => assert.deepEqual(decodeContinue(v1(-1, 'k')), { rv: -1, start: 'k' }));
  it('refuses other versions', () => {
    refused(token({ v: '', rv: 1, start: 'key' }), 'continue key is not valid: server does not recognize this encoded version ');
    refused(token({ v: 'v1', rv: 1, start: 'key' }), 'continue key is not valid: server does not recognize this encoded version v1');
  });
  it('refuses a zero revision and an empty start key', () => {
    refused(v1(0, 'key'), 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    refused(v1(1, ''), 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  });
  it('refuses keys that path.Clean would change (path traversal)', () => {
    for (const start of ['../key', '/../key', 'a/../../key', 'a/./b', 'a//b', 'key/', '..']) refused(v1(1, start), `continue key is not valid: ${start}`);
  });
  it('refuses revisions that are not an int64, and fields of the wrong type', () => {
    refused(v1(1.5, 'k'), 'continue key is not valid: json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64');
    refused(v1(1e300, 'k'), 'continue key is not valid: json: cannot unmarshal number 1e+300 into Go struct field continueToken.rv of type int64');
    refused(v1('5', 'k'), 'continue key is not valid: json: cannot unmarshal string into Go struct field continueToken.rv of type int64');
    refused(v1(5, 7), 'continue key is not valid: json: cannot unmarshal number 7 into Go struct field continueToken.start of type string');
    refused(token([1]), 'continue key is not valid: json: cannot unmarshal array into Go value of type storage.continueToken');
    refused('%%%', 'continue key is not valid: illegal base64 data or malformed JSON');
  });
});
