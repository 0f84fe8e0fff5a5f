// Checked against jose, an independent JWS implementation.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { CompactSign, compactVerify } from 'jose';
import { ERR_CRYPTO_FAILURE, ERR_UNSUPPORTED_ALGORITHM, signCompact, verifyCompact } from './jws.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const payload = Buffer.from(JSON.stringify({ iss: 'https://kubernetes.default.svc.cluster.local', sub: 'system:serviceaccount:default:app' }));

const cases: [string, { privateKey: KeyObject; publicKey: KeyObject }][] = [
  ['RS256', rsa],
  ['RS512', rsa],
  ['PS256', rsa],
  ['ES256', p256],
  ['ES384', p384],
];

describe('jws', () => {
  for (const [alg, keys] of cases) {
    it(`${alg}: what it signs jose verifies, and what jose signs it verifies`, async () => {
      const token = await signCompact({ alg, kid: 'k1' }, payload, keys.privateKey);
      const [header] = token.split('.');
      assert.equal(Buffer.from(header!, 'base64url').toString(), `{"alg":"${alg}","kid":"k1"}`);
      const checked = await compactVerify(token, keys.publicKey, { algorithms: [alg] });
      assert.deepEqual(Buffer.from(checked.payload), payload);
      const theirs = await new CompactSign(payload).setProtectedHeader({ alg }).sign(keys.privateKey);
      verifyCompact(theirs, alg, keys.publicKey);
    });
  }

  it('a changed payload or signature fails as go-jose says', async () => {
    const token = await signCompact({ alg: 'ES256' }, payload, p256.privateKey);
    const [h, p, s] = token.split('.');
    const other = Buffer.from('{"sub":"system:serviceaccount:kube-system:admin"}').toString('base64url');
    assert.throws(() => verifyCompact(`${h}.${other}.${s}`, 'ES256', p256.publicKey), { message: ERR_CRYPTO_FAILURE });
    // The signature's first character changed (its last ones may carry padding bits only, or already be what they would be changed to).
    assert.throws(() => verifyCompact(`${h}.${p}.${s![0] === 'A' ? 'B' : 'A'}${s!.slice(1)}`, 'ES256', p256.publicKey), { message: ERR_CRYPTO_FAILURE });
    assert.throws(() => verifyCompact(`${h}.${p}.`, 'ES256', p256.publicKey), { message: ERR_CRYPTO_FAILURE });
    assert.throws(() => verifyCompact(`${h}.${p}.not base64!`, 'ES256', p256.publicKey), { message: ERR_CRYPTO_FAILURE });
    assert.throws(() => verifyCompact(token, 'ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey), { message: ERR_CRYPTO_FAILURE });
  });

  it('an algorithm the key cannot check is unsupported: none, HS256, a curve of another size, RSA for EC', async () => {
    const token = await signCompact({ alg: 'ES256' }, payload, p256.privateKey);
    for (const [alg, key] of [['none', p256.publicKey], ['HS256', p256.publicKey], ['ES384', p256.publicKey], ['RS256', p256.publicKey], ['ES256', rsa.publicKey]] as const) {
      assert.throws(() => verifyCompact(token, alg, key), { message: ERR_UNSUPPORTED_ALGORITHM }, alg);
    }
    await assert.rejects(signCompact({ alg: 'ES256' }, payload, rsa.privateKey), /unknown\/unsupported algorithm/);
  });
});
