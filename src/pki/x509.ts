// Writes X.509 v3 certificates with ECDSA P-256 keys, using only node:crypto and a small DER
// encoder: a CA, serving certificates with subject alternative names, client certificates.
import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { derChildren, readDer } from '../api/certificate-request.js';
import { bitString, boolean, explicit, integer, octetString, oid, sequence, set, tlv, time, unsignedInteger, utf8, type Der } from './der.js';

const ECDSA_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const CN = '2.5.4.3';
const O = '2.5.4.10';

export interface Name {
  commonName: string;
  organizations?: string[];
}

export interface CertificateSpec {
  subject: Name;
  publicKey: KeyObject;
  /** The issuer's certificate (PEM); absent for a self-signed CA. */
  issuer?: string;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca?: boolean;
  usage?: 'server' | 'client';
  /** The extended key usages (OIDs), instead of the one `usage` names. */
  extKeyUsages?: string[];
  /** The keyUsage bits (digitalSignature is 0 … decipherOnly 8), instead of the defaults; none: no keyUsage extension. */
  keyUsage?: number[];
  /** The subject as DER (a Name), instead of `subject`. */
  rawSubject?: Der;
  dnsNames?: string[];
  ips?: string[];
  emails?: string[];
  uris?: string[];
}

function name(n: Name): Der {
  const rdn = (type: string, value: string) => set(sequence(oid(type), utf8(value)));
  return sequence(...(n.organizations ?? []).map((o) => rdn(O, o)), rdn(CN, n.commonName));
}

const extension = (id: string, critical: boolean, value: Der) => sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));

/** keyUsage bits (digitalSignature 0, keyEncipherment 2, keyCertSign 5, … decipherOnly 8), in as few bytes as they need. */
function keyUsage(bits: number[]): Der {
  const last = Math.max(...bits);
  const bytes = Buffer.alloc((last >> 3) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return tlv(0x03, Buffer.concat([Buffer.from([7 - (last & 7)]), bytes]));
}

const EXT_KEY_USAGE = { server: '1.3.6.1.5.5.7.3.1', client: '1.3.6.1.5.5.7.3.2' };

/**
 * An iPAddress name: 4 bytes for IPv4, 16 for IPv6, except that an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is written as its 4-byte IPv4 address, as Go's crypto/x509 writes it (To4).
 * Go refuses a certificate with an iPAddress of any other length.
 */
function ipBytes(ip: string): Buffer {
  const version = isIP(ip);
  if (!version || ip.includes('%')) throw new Error(`${JSON.stringify(ip)} is not an IP address`);
  if (version === 4) return Buffer.from(ip.split('.').map(Number));
  // A trailing dotted quad is the last two groups.
  const hex = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`);
  const [head, tail] = hex.split('::') as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const bytes = Buffer.concat(all.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.subarray(12) : bytes;
}

const keyIdentifier = (spki: Buffer) => createHash('sha1').update(spki).digest();

/** Issues a certificate as PEM. */
export function createCertificate(spec: CertificateSpec): string {
  const spki = spec.publicKey.export({ type: 'spki', format: 'der' });
  const issuerCert = spec.issuer ? new X509Certificate(spec.issuer) : undefined;
  const subject = spec.rawSubject ?? name(spec.subject);
  const issuerName = issuerCert ? subjectOf(issuerCert.raw) : subject;
  const issuerSpki = issuerCert ? issuerCert.publicKey.export({ type: 'spki', format: 'der' }) : spki;
  const keyUsageBits = spec.keyUsage ?? (spec.ca ? [0, 2, 5] : [0, 2]);
  const extKeyUsages = spec.extKeyUsages ?? (spec.usage ? [EXT_KEY_USAGE[spec.usage]] : []);
  const extensions: Der[] = [
    ...(keyUsageBits.length ? [extension('2.5.29.15', true, keyUsage(keyUsageBits))] : []),
    ...(extKeyUsages.length ? [extension('2.5.29.37', false, sequence(...extKeyUsages.map(oid)))] : []),
    extension('2.5.29.19', true, spec.ca ? sequence(boolean(true)) : sequence()),
    extension('2.5.29.14', false, octetString(keyIdentifier(subjectPublicKeyBits(spki)))),
    ...(issuerCert ? [extension('2.5.29.35', false, sequence(tlv(0x80, keyIdentifier(subjectPublicKeyBits(issuerSpki)))))] : []),
  ];
  // GeneralNames in Go's order: DNS names, e-mail addresses, IP addresses, URIs.
  const sans = [
    ...(spec.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d))),
    ...(spec.emails ?? []).map((e) => tlv(0x81, Buffer.from(e))),
    ...(spec.ips ?? []).map((ip) => tlv(0x87, ipBytes(ip))),
    ...(spec.uris ?? []).map((u) => tlv(0x86, Buffer.from(u))),
  ];
  if (sans.length) extensions.push(extension('2.5.29.17', false, sequence(...sans)));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = sequence(
    explicit(0, integer(2)),
    unsignedInteger(serial),
    ECDSA_SHA256,
    issuerName,
    sequence(time(spec.notBefore), time(spec.notAfter)),
    subject,
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, { key: spec.signingKey, dsaEncoding: 'der' });
  const der = sequence(tbs, ECDSA_SHA256, bitString(signature));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** The BIT STRING content (the key itself) of a SubjectPublicKeyInfo, as key identifiers hash it. */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  const [, bits] = derChildren(readDer(spki).content);
  return bits!.content.subarray(1);
}

/** The subject Name of a certificate, DER: version [0], serial, signature algorithm, issuer, validity, subject. */
function subjectOf(cert: Buffer): Der {
  const [tbs] = derChildren(readDer(cert).content);
  return Buffer.from(derChildren(tbs!.content)[5]!.raw);
}
