// The cluster's certificates: a CA, the API server's serving certificate and the admin's client
// certificate (group system:masters), made at first start and reused after. ECDSA P-256. All but
// the serving certificate may be shared by the servers of a cluster (server/cluster-identity.ts).
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FRONT_PROXY_CLIENT } from '../api/apiservices.js';
import { writePrivate, writePublic } from './files.js';
import { createCertificate, type Name } from './x509.js';

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface KeyPair {
  cert: string;
  key: string;
}

export interface ClusterPki {
  ca: KeyPair;
  serving: KeyPair;
  admin: KeyPair;
  /** The client certificate requests proxied to the servers behind APIServices come with (CN front-proxy-client). */
  frontProxyClient: KeyPair;
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

function newKey() {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

const pemKey = (k: ReturnType<typeof newKey>['privateKey']) => k.export({ type: 'pkcs8', format: 'pem' }) as string;

function createCa(now: Date): KeyPair {
  const { privateKey, publicKey } = newKey();
  const cert = createCertificate({
    subject: { commonName: `badge-ca@${Math.floor(now.getTime() / 1000)}` },
    publicKey,
    signingKey: privateKey,
    notBefore: now,
    notAfter: new Date(now.getTime() + TEN_YEARS_MS),
    ca: true,
  });
  return { cert, key: pemKey(privateKey) };
}

function issue(ca: KeyPair, subject: Name, usage: 'server' | 'client', now: Date, names?: { dns: string[]; ips: string[] }): KeyPair {
  const { privateKey, publicKey } = newKey();
  const cert = createCertificate({
    subject,
    publicKey,
    issuer: ca.cert,
    signingKey: createPrivateKey(ca.key),
    notBefore: now,
    notAfter: new Date(now.getTime() + TEN_YEARS_MS),
    usage,
    dnsNames: names?.dns,
    ips: names?.ips,
  });
  return { cert, key: pemKey(privateKey) };
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

const issuedBy = (pair: KeyPair, ca: KeyPair) => new X509Certificate(pair.cert).verify(new X509Certificate(ca.cert).publicKey);

/** Whether a certificate names all of these hosts (checkHost / checkIP as TLS clients do). */
function coversNames(pair: KeyPair, names: { dns: string[]; ips: string[] }): boolean {
  const cert = new X509Certificate(pair.cert);
  return names.dns.every((d) => cert.checkHost(d, { subject: 'never' }) !== undefined) && names.ips.every((ip) => cert.checkIP(ip) !== undefined);
}

/** The certificates every server of a cluster shares (all but the serving certificate), by file name. */
export const SHARED_PAIRS = ['ca', 'admin', 'front-proxy-client'] as const;

export type SharedPki = Record<(typeof SHARED_PAIRS)[number], KeyPair>;

/** The shared certificates in the pki dir `dir` (a pair whose files are not both there is left out). */
export function loadSharedPki(dir: string): Partial<SharedPki> {
  const found: Partial<SharedPki> = {};
  for (const name of SHARED_PAIRS) {
    const pair = load(dir, name);
    if (pair) found[name] = pair;
  }
  return found;
}

/** The shared certificates: those found, and new ones for what is missing (all new without a CA). */
export function completeSharedPki(found: Partial<SharedPki>, now: Date): SharedPki {
  const ca = found.ca ?? createCa(now);
  const kept = found.ca ? found : {};
  return {
    ca,
    admin: kept.admin ?? issue(ca, { commonName: ADMIN_USER, organizations: [ADMIN_GROUP] }, 'client', now),
    'front-proxy-client': kept['front-proxy-client'] ?? issue(ca, { commonName: FRONT_PROXY_CLIENT }, 'client', now),
  };
}

/** Loads the data dir's certificates, creating what is missing (and a serving cert for new names). */
export async function ensurePki(dataDir: string, now: Date, extraIps: string[] = []): Promise<ClusterPki> {
  const dir = join(dataDir, 'pki');
  const names = servingNames(extraIps);
  const found = loadSharedPki(dir);
  const shared = completeSharedPki(found, now);
  for (const name of SHARED_PAIRS) if (shared[name] !== found[name]) save(dir, name, shared[name]);
  // Each server issues its own serving certificate, for its own names, with the shared CA.
  let serving = load(dir, 'serving');
  if (!serving || !issuedBy(serving, shared.ca) || !coversNames(serving, names)) serving = save(dir, 'serving', issue(shared.ca, { commonName: 'kube-apiserver' }, 'server', now, names));
  return { ca: shared.ca, serving, admin: shared.admin, frontProxyClient: shared['front-proxy-client'], dir };
}
