// The cluster's certificates: a CA, the API server's serving certificate and the admin's client
// certificate (group system:masters), made at first start and reused after.
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it loaded first
import { webcrypto } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { writePrivate, writePublic } from './files.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface KeyPair {
  cert: string;
  key: string;
}

export interface ClusterPki {
  ca: KeyPair;
  serving: KeyPair;
  admin: KeyPair;
  dir: string;
}

export const ADMIN_USER = 'badge-admin';
export const ADMIN_GROUP = 'system:masters';

/** The names the serving certificate covers: local names, the in-cluster service names, the host. */
export function servingNames(extraIps: string[] = []): { dns: string[]; ips: string[] } {
  const dns = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', hostname()];
  const ips = ['127.0.0.1', '::1', ...extraIps];
  return { dns: [...new Set(dns)], ips: [...new Set(ips)] };
}

async function pemKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return (await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])) as unknown as CryptoKey;
}

const newKeys = async () => (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

async function createCa(now: Date): Promise<KeyPair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=badge-ca@${Math.floor(now.getTime() / 1000)}`,
    notBefore: now,
    notAfter: new Date(now.getTime() + TEN_YEARS_MS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await pemKey(keys.privateKey) };
}

async function issue(ca: KeyPair, subject: string, usage: 'server' | 'client', now: Date, names?: { dns: string[]; ips: string[] }): Promise<KeyPair> {
  const caCert = new x509.X509Certificate(ca.cert);
  const keys = await newKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  if (names) {
    extensions.push(new x509.SubjectAlternativeNameExtension([...names.dns.map((value) => ({ type: 'dns' as const, value })), ...names.ips.map((value) => ({ type: 'ip' as const, value }))]));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + TEN_YEARS_MS),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: await importKey(ca.key),
    extensions,
  });
  return { cert: cert.toString('pem') + '\n', key: await pemKey(keys.privateKey) };
}

function load(dir: string, name: string): KeyPair | undefined {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  if (!existsSync(cert) || !existsSync(key)) return undefined;
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

function save(dir: string, name: string, pair: KeyPair): KeyPair {
  writePublic(join(dir, `${name}.crt`), pair.cert);
  writePrivate(join(dir, `${name}.key`), pair.key);
  return pair;
}

function coversNames(pair: KeyPair, names: { dns: string[]; ips: string[] }): boolean {
  const san = new x509.X509Certificate(pair.cert).getExtension(x509.SubjectAlternativeNameExtension);
  const have = new Set(san?.names.items.map((n) => n.value) ?? []);
  return [...names.dns, ...names.ips].every((n) => have.has(n));
}

/** Loads the data dir's certificates, creating what is missing (and a serving cert for new names). */
export async function ensurePki(dataDir: string, now: Date, extraIps: string[] = []): Promise<ClusterPki> {
  const dir = join(dataDir, 'pki');
  const names = servingNames(extraIps);
  let ca = load(dir, 'ca');
  const fresh = !ca;
  if (!ca) ca = save(dir, 'ca', await createCa(now));
  let serving = fresh ? undefined : load(dir, 'serving');
  if (!serving || !coversNames(serving, names)) serving = save(dir, 'serving', await issue(ca, 'CN=kube-apiserver', 'server', now, names));
  let admin = fresh ? undefined : load(dir, 'admin');
  if (!admin) admin = save(dir, 'admin', await issue(ca, `CN=${ADMIN_USER}, O=${ADMIN_GROUP}`, 'client', now));
  return { ca, serving, admin, dir };
}

/** A client certificate for another identity, signed by the cluster CA (tests, `badge` tooling). */
export function issueClientCert(ca: KeyPair, user: string, groups: string[], now: Date): Promise<KeyPair> {
  const subject = [`CN=${user}`, ...groups.map((g) => `O=${g}`)].join(', ');
  return issue(ca, subject, 'client', now);
}
