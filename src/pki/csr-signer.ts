// Issues the certificate of an approved CertificateSigningRequest with the cluster CA, as
// kube-controller-manager's local signer does (pkg/controller/certificates/authority: the
// PermissiveSigningPolicy): subject and subject alternative names from the request, the requested
// usages, not a CA, backdated 5 minutes unless short-lived (under 8 hours), never past the CA.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { OID, parseCertificateRequest, type NameAttribute } from '../api/certificate-request.js';
import { oid, printableOrUtf8, sequence, set, type Der } from './der.js';
import type { KeyPair } from './certs.js';
import { createCertificate } from './x509.js';

const BACKDATE_MS = 5 * 60_000;
const SHORT_MS = 8 * 3600_000;

/** keyUsage bits and extended key usage OIDs of each usage a request may name (authority/policies.go). */
const KEY_USAGE: Record<string, number> = {
  signing: 0,
  'digital signature': 0,
  'content commitment': 1,
  'key encipherment': 2,
  'key agreement': 4,
  'data encipherment': 3,
  'cert sign': 5,
  'crl sign': 6,
  'encipher only': 7,
  'decipher only': 8,
};
/** In Go's ExtKeyUsage order, which the certificate lists them in. */
const EXT_KEY_USAGE: [string[], string][] = [
  [['any'], '2.5.29.37.0'],
  [['server auth'], '1.3.6.1.5.5.7.3.1'],
  [['client auth'], '1.3.6.1.5.5.7.3.2'],
  [['code signing'], '1.3.6.1.5.5.7.3.3'],
  [['email protection', 's/mime'], '1.3.6.1.5.5.7.3.4'],
  [['ipsec end system'], '1.3.6.1.5.5.7.3.5'],
  [['ipsec tunnel'], '1.3.6.1.5.5.7.3.6'],
  [['ipsec user'], '1.3.6.1.5.5.7.3.7'],
  [['timestamping'], '1.3.6.1.5.5.7.3.8'],
  [['ocsp signing'], '1.3.6.1.5.5.7.3.9'],
  [['microsoft sgc'], '1.3.6.1.4.1.311.10.3.3'],
  [['netscape sgc'], '2.16.840.1.113730.4.1'],
];

/** The attribute types pkix.Name keeps, in the order its ToRDNSequence writes them. */
const NAME_ORDER = ['2.5.4.6', '2.5.4.8', '2.5.4.7', '2.5.4.9', '2.5.4.17', OID.organization, '2.5.4.11', OID.commonName, '2.5.4.5'];

/**
 * The subject as Go writes a pkix.Name: the known attributes in its order, all values of one type in
 * one RDN (a SET, sorted as DER sorts), only the last common name and serial number.
 */
function goSubject(attrs: NameAttribute[]): Der {
  const rdns: Der[] = [];
  for (const type of NAME_ORDER) {
    let values = attrs.filter((a) => a.oid === type).map((a) => a.value);
    if (type === OID.commonName || type === '2.5.4.5') values = values.slice(-1).filter((v) => v !== '');
    if (!values.length) continue;
    rdns.push(set(...values.map((v) => sequence(oid(type), printableOrUtf8(v))).sort(Buffer.compare)));
  }
  return sequence(...rdns);
}

/** A signer for the controller: (request PEM, usages, lifetime) → certificate PEM. `now` is the clock. */
export function csrSigner(ca: KeyPair, now: () => Date): (request: Buffer, usages: string[], ttlSeconds: number) => string {
  const caCert = new X509Certificate(ca.cert);
  const caKey = createPrivateKey(ca.key);
  return (request, usages, ttlSeconds) => {
    const req = parseCertificateRequest(request);
    const unrecognized = usages.filter((u) => KEY_USAGE[u] === undefined && !EXT_KEY_USAGE.some(([names]) => names.includes(u)));
    if (unrecognized.length) throw new Error(`unrecognized usage values: [${unrecognized.map((u) => JSON.stringify(u)).join(' ')}]`);
    const t = now().getTime();
    const ttl = ttlSeconds * 1000;
    const caNotAfter = new Date(caCert.validTo).getTime();
    const notBefore = t - BACKDATE_MS;
    if (notBefore >= caNotAfter) throw new Error(`the signer has expired: NotAfter=${caCert.validTo}`);
    const notAfter = Math.min(ttl < SHORT_MS ? t + ttl : notBefore + ttl, caNotAfter);
    return createCertificate({
      subject: { commonName: req.commonName },
      rawSubject: goSubject(req.subject),
      publicKey: createPublicKey({ key: req.publicKey, format: 'der', type: 'spki' }),
      issuer: ca.cert,
      signingKey: caKey,
      notBefore: new Date(notBefore),
      notAfter: new Date(notAfter),
      keyUsage: [...new Set(usages.map((u) => KEY_USAGE[u]).filter((b) => b !== undefined))].sort((a, b) => a - b),
      extKeyUsages: EXT_KEY_USAGE.filter(([names]) => names.some((n) => usages.includes(n))).map(([, id]) => id),
      dnsNames: req.dnsNames,
      emails: req.emailAddresses,
      ips: req.ipAddresses,
      uris: req.uris,
    });
  };
}
