// PKCS#10 certificate signing requests (RFC 2986), parsed and their self-signature checked as
// Go's crypto/x509 ParseCertificateRequest and CheckSignature do, with node:crypto for the
// signature and a small DER reader: no dependency, and nothing loaded before a CSR is written.
// Errors carry Go's texts where a client sees them (spec.request of a CertificateSigningRequest).
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** One DER element: its tag, its content, and where it ends in the buffer it was read from. */
export interface DerElement {
  tag: number;
  content: Buffer;
  /** The whole element (tag, length and content). */
  raw: Buffer;
  end: number;
}

export class CertificateRequestError extends Error {}

const truncated = () => new CertificateRequestError('asn1: syntax error: data truncated');

/** Reads the DER element at `pos` (definite lengths only, as DER has). */
export function readDer(buf: Buffer, pos = 0): DerElement {
  if (pos + 2 > buf.length) throw truncated();
  const tag = buf[pos]!;
  let len = buf[pos + 1]!;
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) throw new CertificateRequestError('asn1: structure error: length too large');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > buf.length) throw truncated();
  return { tag, content: buf.subarray(start, end), raw: buf.subarray(pos, end), end };
}

/** The elements inside a constructed element's content. */
export function derChildren(content: Buffer): DerElement[] {
  const out: DerElement[] = [];
  for (let pos = 0; pos < content.length; ) {
    const e = readDer(content, pos);
    out.push(e);
    pos = e.end;
  }
  return out;
}

/** An OBJECT IDENTIFIER's content in dotted form. */
export function readOid(content: Buffer): string {
  const parts: number[] = [];
  let v = 0;
  for (const b of content) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (!parts.length) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** A name attribute (type OID and its string value), in the order the request holds them. */
export interface NameAttribute {
  oid: string;
  value: string;
}

export interface CertificateRequest {
  /** The subject's attributes, RDN by RDN. */
  subject: NameAttribute[];
  /** pkix.Name's CommonName (the last CN) and Organization (every O). */
  commonName: string;
  organizations: string[];
  /** SubjectPublicKeyInfo, DER. */
  publicKey: Buffer;
  dnsNames: string[];
  emailAddresses: string[];
  ipAddresses: string[];
  uris: string[];
}

export const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
};

const STRING_TAGS = new Set([0x0c, 0x13, 0x16, 0x14, 0x1e, 0x1c, 0x12]);

function attributeValue(e: DerElement): string {
  if (!STRING_TAGS.has(e.tag)) return e.content.toString('latin1');
  if (e.tag === 0x1e) {
    // BMPString: UTF-16 big-endian.
    const swapped = Buffer.from(e.content);
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return e.content.toString(e.tag === 0x0c ? 'utf8' : 'latin1');
}

function parseName(name: DerElement): NameAttribute[] {
  const attrs: NameAttribute[] = [];
  for (const rdn of derChildren(name.content)) {
    for (const atv of derChildren(rdn.content)) {
      const [type, value] = derChildren(atv.content);
      if (!type || !value || type.tag !== 0x06) throw new CertificateRequestError('x509: invalid RDNSequence');
      attrs.push({ oid: readOid(type.content), value: attributeValue(value) });
    }
  }
  return attrs;
}

/** An iPAddress name as Go's net.IP prints it (IPv6 compressed, as the URL parser writes it). */
function ipText(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) throw new CertificateRequestError(`x509: cannot parse IP address of length ${b.length}`);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function readSans(value: Buffer, req: CertificateRequest): void {
  const [seq] = derChildren(value);
  if (!seq) return;
  for (const n of derChildren(seq.content)) {
    const text = n.content.toString('latin1');
    switch (n.tag) {
      case 0x81:
        req.emailAddresses.push(text);
        break;
      case 0x82:
        req.dnsNames.push(text);
        break;
      case 0x86:
        req.uris.push(text);
        break;
      case 0x87:
        req.ipAddresses.push(ipText(n.content));
        break;
    }
  }
}

/** The extensions of the extensionRequest attribute: the subject alternative names are read. */
function readAttributes(attrs: DerElement, req: CertificateRequest): void {
  for (const attr of derChildren(attrs.content)) {
    const [type, values] = derChildren(attr.content);
    if (!type || !values || readOid(type.content) !== OID.extensionRequest) continue;
    for (const exts of derChildren(values.content)) {
      for (const ext of derChildren(exts.content)) {
        const parts = derChildren(ext.content);
        const id = readOid(parts[0]!.content);
        const value = parts[parts.length - 1]!;
        if (id === OID.subjectAltName && value.tag === 0x04) readSans(value.content, req);
      }
    }
  }
}

interface Algorithm {
  hash: string | null;
  kind: 'rsa' | 'rsa-pss' | 'ecdsa' | 'ed25519';
}

const HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const ALGORITHMS: Record<string, Algorithm> = {
  '1.2.840.113549.1.1.5': { hash: 'sha1', kind: 'rsa' },
  '1.2.840.113549.1.1.11': { hash: 'sha256', kind: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', kind: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', kind: 'rsa' },
  '1.2.840.10045.4.1': { hash: 'sha1', kind: 'ecdsa' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', kind: 'ecdsa' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', kind: 'ecdsa' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', kind: 'ecdsa' },
  '1.3.101.112': { hash: null, kind: 'ed25519' },
};
const RSA_PSS = '1.2.840.113549.1.1.10';

/** The signature algorithm; RSASSA-PSS only with SHA-256/384/512 and their own hash as MGF1's (as Go accepts it). */
function signatureAlgorithm(alg: DerElement): Algorithm | undefined {
  const [id, params] = derChildren(alg.content);
  const oid = readOid(id!.content);
  if (oid !== RSA_PSS) return ALGORITHMS[oid];
  const hashAlg = params && derChildren(params.content).find((p) => p.tag === 0xa0);
  const hashOid = hashAlg && readOid(derChildren(derChildren(hashAlg.content)[0]!.content)[0]!.content);
  const hash = hashOid ? HASHES[hashOid] : undefined;
  return hash ? { hash, kind: 'rsa-pss' } : undefined;
}

const VERIFY_FAILURE: Record<Algorithm['kind'], string> = {
  rsa: 'crypto/rsa: verification error',
  'rsa-pss': 'crypto/rsa: verification error',
  ecdsa: 'x509: ECDSA verification failure',
  ed25519: 'x509: Ed25519 verification failure',
};

function checkSignature(alg: Algorithm, key: KeyObject, signed: Buffer, signature: Buffer): void {
  const keyType = key.asymmetricKeyType;
  const matches = alg.kind === 'ecdsa' ? keyType === 'ec' : alg.kind === 'ed25519' ? keyType === 'ed25519' : keyType === 'rsa' || keyType === 'rsa-pss';
  if (!matches) throw new CertificateRequestError('x509: signature algorithm specifies an ' + (alg.kind === 'ecdsa' ? 'ECDSA' : alg.kind === 'ed25519' ? 'Ed25519' : 'RSA') + ' public key, but have public key of type ' + keyGoType(keyType));
  let ok = false;
  try {
    if (alg.kind === 'rsa-pss') ok = verify(alg.hash, signed, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: -1 /* RSA_PSS_SALTLEN_DIGEST */ }, signature);
    else ok = verify(alg.hash, signed, alg.kind === 'ecdsa' ? { key, dsaEncoding: 'der' } : key, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new CertificateRequestError(VERIFY_FAILURE[alg.kind]);
}

const keyGoType = (t: string | undefined) => ({ ec: '*ecdsa.PublicKey', rsa: '*rsa.PublicKey', ed25519: 'ed25519.PublicKey' })[t ?? ''] ?? 'unknown';

/** certificates.ParseCSR: the first PEM block, which must be a CERTIFICATE REQUEST. */
function pemBlock(pem: Buffer): Buffer {
  const text = pem.toString('latin1');
  const m = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m || m[1] !== 'CERTIFICATE REQUEST' || /^[\w-]+:/m.test(m[2]!)) throw new CertificateRequestError('PEM block type must be CERTIFICATE REQUEST');
  return Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
}

/**
 * Parses a PEM CERTIFICATE REQUEST and checks its self-signature (ParseCSR, then CheckSignature,
 * as CertificateSigningRequest validation does). Throws a CertificateRequestError with Go's text.
 */
export function parseCertificateRequest(pem: Buffer): CertificateRequest {
  const der = pemBlock(pem);
  const outer = readDer(der);
  if (outer.tag !== 0x30) throw new CertificateRequestError('asn1: structure error: tags don\'t match');
  if (outer.end !== der.length) throw new CertificateRequestError('x509: trailing data after X.509 certificate request');
  const [info, alg, sig] = derChildren(outer.content);
  if (!info || !alg || !sig || info.tag !== 0x30 || alg.tag !== 0x30 || sig.tag !== 0x03) throw new CertificateRequestError('x509: malformed certificate request');
  const [version, subject, spki, attrs] = derChildren(info.content);
  if (!version || !subject || !spki || version.tag !== 0x02 || subject.tag !== 0x30 || spki.tag !== 0x30) throw new CertificateRequestError('x509: malformed certificate request');
  const names = parseName(subject);
  const req: CertificateRequest = {
    subject: names,
    commonName: names.filter((a) => a.oid === OID.commonName).at(-1)?.value ?? '',
    organizations: names.filter((a) => a.oid === OID.organization).map((a) => a.value),
    publicKey: Buffer.from(spki.raw),
    dnsNames: [],
    emailAddresses: [],
    ipAddresses: [],
    uris: [],
  };
  if (attrs?.tag === 0xa0) readAttributes(attrs, req);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: req.publicKey, format: 'der', type: 'spki' });
  } catch {
    throw new CertificateRequestError('x509: unsupported public key type');
  }
  const algorithm = signatureAlgorithm(alg);
  if (!algorithm) throw new CertificateRequestError('x509: cannot verify signature: algorithm unimplemented');
  checkSignature(algorithm, key, info.raw, sig.content.subarray(1));
  return req;
}
