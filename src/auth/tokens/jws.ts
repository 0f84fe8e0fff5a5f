// Compact JWS (RFC 7515) signing and verification with node:crypto, for the algorithms
// ServiceAccount keys use. Verification follows go-jose v2 as Kubernetes calls it: the key's type
// decides which algorithms it can check, and the errors read as go-jose's.
import { constants, sign, verify, type KeyObject } from 'node:crypto';

export const ERR_CRYPTO_FAILURE = 'go-jose/go-jose: error in cryptographic primitive';
export const ERR_UNSUPPORTED_ALGORITHM = 'go-jose/go-jose: unknown/unsupported algorithm';

interface Algorithm {
  hash: string;
  /** RSA keys: PKCS #1 v1.5 or PSS padding; EC keys: the curve's size. */
  key: 'rsa' | 'rsa-pss' | 'ec';
  curve?: string;
}

const ALGORITHMS: Record<string, Algorithm> = {
  RS256: { hash: 'sha256', key: 'rsa' },
  RS384: { hash: 'sha384', key: 'rsa' },
  RS512: { hash: 'sha512', key: 'rsa' },
  PS256: { hash: 'sha256', key: 'rsa-pss' },
  PS384: { hash: 'sha384', key: 'rsa-pss' },
  PS512: { hash: 'sha512', key: 'rsa-pss' },
  ES256: { hash: 'sha256', key: 'ec', curve: 'prime256v1' },
  ES384: { hash: 'sha384', key: 'ec', curve: 'secp384r1' },
  ES512: { hash: 'sha512', key: 'ec', curve: 'secp521r1' },
};

/** How node:crypto is to sign or check with `key` for `alg`: undefined when the key cannot. */
function keyFor(alg: string, key: KeyObject) {
  const a = ALGORITHMS[alg];
  if (!a) return undefined;
  if (a.key === 'ec') {
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== a.curve) return undefined;
    return { hash: a.hash, options: { key, dsaEncoding: 'ieee-p1363' as const } };
  }
  if (key.asymmetricKeyType !== 'rsa') return undefined;
  const padding = a.key === 'rsa-pss' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : {};
  return { hash: a.hash, options: { key, ...padding } };
}

/**
 * `header` and `payload` as a compact JWS signed with `key`. The signature is made in the thread
 * pool: an RSA signature takes most of a millisecond, which the event loop spends on other requests.
 */
export async function signCompact(header: { alg: string } & Record<string, unknown>, payload: Buffer, key: KeyObject): Promise<string> {
  const how = keyFor(header.alg, key);
  if (!how) throw new Error(`${ERR_UNSUPPORTED_ALGORITHM}: ${header.alg} with a ${key.asymmetricKeyType} key`);
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload.toString('base64url')}`;
  const signature = await new Promise<Buffer>((resolve, reject) => sign(how.hash, Buffer.from(input), how.options, (err, sig) => (err ? reject(err) : resolve(sig))));
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * Checks the signature of a compact JWS whose header names `alg`; throws with go-jose's message
 * when the key cannot check that algorithm or the signature does not match.
 */
export function verifyCompact(token: string, alg: string, key: KeyObject): void {
  const how = keyFor(alg, key);
  if (!how) throw new Error(ERR_UNSUPPORTED_ALGORITHM);
  const dot = token.lastIndexOf('.');
  const signature = token.slice(dot + 1);
  if (dot < 0 || !/^[A-Za-z0-9_-]*$/.test(signature)) throw new Error(ERR_CRYPTO_FAILURE);
  let ok = false;
  try {
    ok = verify(how.hash, Buffer.from(token.slice(0, dot)), how.options, Buffer.from(signature, 'base64url'));
  } catch {
    ok = false;
  }
  if (!ok) throw new Error(ERR_CRYPTO_FAILURE);
}
