import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seal, unseal, UnsealError } from './seal.js';

const TOKEN = 'a-cluster-token-of-some-length';

describe('seal', () => {
  it('opens with the passphrase and context it was sealed with', async () => {
    const sealed = await seal(TOKEN, '/bootstrap/identity', 'the CA key');
    assert.equal(await unseal(TOKEN, '/bootstrap/identity', sealed), 'the CA key');
    const s = JSON.parse(sealed);
    assert.deepEqual({ ...s.kdf, salt: undefined }, { name: 'scrypt', N: 32768, r: 8, p: 1, salt: undefined });
    assert.equal(s.cipher, 'AES-256-GCM');
    assert.ok(!sealed.includes('CA key') && !sealed.includes(TOKEN));
  });

  it('uses a new salt and nonce every time', async () => {
    const [a, b] = [JSON.parse(await seal(TOKEN, 'k', 'x')), JSON.parse(await seal(TOKEN, 'k', 'x'))];
    assert.notEqual(a.kdf.salt, b.kdf.salt);
    assert.notEqual(a.nonce, b.nonce);
    assert.notEqual(a.sealed, b.sealed);
  });

  it('does not open with another passphrase, another context, or once changed', async () => {
    const sealed = await seal(TOKEN, 'k', 'secret');
    const refused = (p: Promise<string>) => assert.rejects(p, (err: unknown) => err instanceof UnsealError && /does not open it/.test(err.message));
    await refused(unseal(`${TOKEN}x`, 'k', sealed));
    await refused(unseal(TOKEN, 'other', sealed));
    const s = JSON.parse(sealed);
    const body = Buffer.from(s.sealed, 'base64');
    body[0]! ^= 1;
    await refused(unseal(TOKEN, 'k', JSON.stringify({ ...s, sealed: body.toString('base64') })));
    await refused(unseal(TOKEN, 'k', JSON.stringify({ ...s, sealed: '' })));
  });

  it('refuses what it cannot read, without trying', async () => {
    for (const text of ['not json', '{}', JSON.stringify({ kdf: { name: 'pbkdf2' }, cipher: 'AES-256-GCM' }), JSON.stringify({ kdf: { name: 'scrypt', N: 2 ** 30, r: 8, p: 1 }, cipher: 'AES-256-GCM' })]) {
      await assert.rejects(unseal(TOKEN, 'k', text), (err: unknown) => err instanceof UnsealError && /^not sealed data this program can read/.test(err.message));
    }
  });
});
