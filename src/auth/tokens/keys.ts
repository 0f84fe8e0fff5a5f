// ServiceAccount token keys: one signing key in the data dir (RS256 by default, ES256 as an
// option), plus any number of verification keys, so keys can be rotated without invalidating
// tokens. A key's `kid` is derived from its public key as Kubernetes derives it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivate } from '../../pki/files.js';

export type SigningAlg = 'RS256' | 'ES256';

export interface VerificationKey {
  alg: string;
  kid: string;
  publicKey: KeyObject;
}

export interface SigningKey extends VerificationKey {
  privateKey: KeyObject;
}

/** base64url (no padding) of the SHA-256 of the public key's SPKI DER (keyIDFromPublicKey). */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

/** The JWS algorithm Kubernetes uses for a key: RS256 for RSA, ES256/384/512 by curve. */
export function algOf(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ES256';
    if (curve === 'secp384r1') return 'ES384';
    if (curve === 'secp521r1') return 'ES512';
    throw new Error('unknown private key curve, must be 256, 384, or 521');
  }
  throw new Error(`unsupported service account key type ${key.asymmetricKeyType}`);
}

const verification = (publicKey: KeyObject): VerificationKey => ({ alg: algOf(publicKey), kid: keyId(publicKey), publicKey });

/** The public keys in a PEM file of private keys, public keys or certificates. */
export function readKeyFile(path: string): VerificationKey[] {
  const text = readFileSync(path, 'utf8');
  const blocks = text.match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g) ?? [];
  if (!blocks.length) throw new Error(`data does not contain any valid RSA or ECDSA public keys: ${path}`);
  try {
    return blocks.map((pem) => {
      if (pem.includes('PRIVATE KEY-----')) return verification(createPublicKey(createPrivateKey(pem)));
      if (pem.includes('CERTIFICATE-----')) return verification(new X509Certificate(pem).publicKey);
      return verification(createPublicKey(pem));
    });
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}

/** The file in `dir` that holds the signing key for `alg`. */
export const signingKeyFile = (dir: string, alg: SigningAlg) => join(dir, `sa-${alg.toLowerCase()}.key`);

/** The service account key files in `dir` (the signing key and those of other algorithms). */
export const keyFilesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []).filter((name) => /^sa-[a-z0-9]+\.key$/.test(name)).map((name) => join(dir, name));

const generate = promisify(generateKeyPair);

/** Made in the thread pool: an RSA key takes long enough to matter for start-up. */
async function generateKey(alg: SigningAlg): Promise<KeyObject> {
  const pair = alg === 'RS256' ? await generate('rsa', { modulusLength: 2048 }) : await generate('ec', { namedCurve: 'prime256v1' });
  return pair.privateKey;
}

/**
 * Starts making a signing key when `pkiDir` has none for `alg` yet, so that it is ready by the
 * time the server (which alone writes it, holding the data dir's lock) needs one.
 */
export function startSigningKey(pkiDir: string, alg: SigningAlg): Promise<KeyObject> | undefined {
  if (existsSync(signingKeyFile(pkiDir, alg))) return undefined;
  const key = generateKey(alg);
  key.catch(() => undefined);
  return key;
}

/** A new signing key for `alg` (`started`, when one is being made already), as the PEM its file holds. */
export async function newSigningKeyPem(alg: SigningAlg, started?: Promise<KeyObject>): Promise<string> {
  const privateKey = await (started ?? generateKey(alg));
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

async function loadOrCreate(dir: string, alg: SigningAlg, started?: Promise<KeyObject>): Promise<SigningKey> {
  const file = signingKeyFile(dir, alg);
  if (!existsSync(file)) writePrivate(file, await newSigningKeyPem(alg, started));
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  return { ...verification(createPublicKey(privateKey)), privateKey };
}

export interface ServiceAccountKeys {
  signing: SigningKey;
  /** Every key a token may be signed with: the signing key, earlier signing keys, extra key files. */
  verification: VerificationKey[];
}

/**
 * The signing key for `alg` (made on first use, or `started` before) in `pkiDir`, and as verification keys all the
 * service account keys there plus those in `extraKeyFiles` (--service-account-key-file).
 */
export async function serviceAccountKeys(pkiDir: string, alg: SigningAlg, extraKeyFiles: string[] = [], started?: Promise<KeyObject>): Promise<ServiceAccountKeys> {
  const signing = await loadOrCreate(pkiDir, alg, started);
  const keys = new Map<string, VerificationKey>([[signing.kid, signing]]);
  for (const file of keyFilesIn(pkiDir)) for (const k of readKeyFile(file)) keys.set(k.kid, k);
  for (const file of extraKeyFiles) for (const k of readKeyFile(file)) keys.set(k.kid, k);
  return { signing, verification: [...keys.values()] };
}
