// Sealing data with a passphrase (the cluster token): AES-256-GCM under a key derived from the
// passphrase with scrypt (N 2^15, r 8, p 1: about 32 MiB and a few tens of milliseconds a try,
// where k3s uses PBKDF2-SHA1 with 4096 rounds), a random 16-byte salt and 12-byte nonce per seal.
// `context` is authenticated too (GCM's additional data): the sealed text opens only where it was
// sealed for (the storage key). The sealed form is JSON naming its parameters, so they may grow.
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';

const KDF = { name: 'scrypt', N: 2 ** 15, r: 8, p: 1 } as const;
const CIPHER = 'AES-256-GCM';
const TAG_BYTES = 16;

interface Sealed {
  kdf: { name: string; N: number; r: number; p: number; salt: string };
  cipher: string;
  nonce: string;
  /** The ciphertext followed by the GCM tag, base64. */
  sealed: string;
}

export class UnsealError extends Error {
  readonly code = 'Unseal';
}

function deriveKey(passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }): Promise<Buffer> {
  const opts: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r };
  return new Promise((resolve, reject) => scrypt(passphrase, salt, 32, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function seal(passphrase: string, context: string, plaintext: string): Promise<string> {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt, KDF), nonce);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const sealed: Sealed = { kdf: { ...KDF, salt: salt.toString('base64') }, cipher: CIPHER, nonce: nonce.toString('base64'), sealed: body.toString('base64') };
  return JSON.stringify(sealed);
}

/** The plaintext; throws UnsealError when the passphrase or context is not the one it was sealed with, or the text was changed. */
export async function unseal(passphrase: string, context: string, text: string): Promise<string> {
  let s: Sealed;
  try {
    s = JSON.parse(text) as Sealed;
    if (s.kdf.name !== KDF.name || s.cipher !== CIPHER || ![s.kdf.N, s.kdf.r, s.kdf.p].every(Number.isSafeInteger) || s.kdf.N > 2 ** 20) throw new Error('unknown parameters');
  } catch (err) {
    throw new UnsealError(`not sealed data this program can read (${(err as Error).message})`);
  }
  const key = await deriveKey(passphrase, Buffer.from(s.kdf.salt, 'base64'), s.kdf);
  const body = Buffer.from(s.sealed, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.nonce, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new UnsealError('the passphrase does not open it (or it was changed)');
  }
}
