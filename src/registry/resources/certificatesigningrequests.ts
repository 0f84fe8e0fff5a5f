// certificates.k8s.io/v1 CertificateSigningRequest: a request for a certificate, approved or
// denied through /approval (the only way to add those conditions) and issued through /status by
// its signer (controllers/csr-signing.ts for kubernetes.io/kube-apiserver-client). Facts from
// pkg/registry/certificates/certificates/strategy.go, pkg/apis/certificates/validation and
// printCertificateSigningRequest.
import { X509Certificate } from 'node:crypto';
import { CertificateRequestError, parseCertificateRequest } from '../../api/certificate-request.js';
import { age, humanDuration } from '../../api/duration.js';
import { duplicate, forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../../api/field-errors.js';
import { formatTime, type KubeObject } from '../../api/meta.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../api/validation.js';
import { LEGACY_UNKNOWN_SIGNER } from '../../api/well-known.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { specOf, statusOf } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { certificateSigningRequest } from '../schemas/certificates.js';
import { goBytes } from './go-values.js';

interface Spec {
  request?: string;
  signerName?: string;
  expirationSeconds?: number;
  usages?: string[];
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}
interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string | null;
  lastTransitionTime?: string | null;
}
interface Status {
  conditions?: Condition[];
  certificate?: string;
}

const APPROVED = 'Approved';
const DENIED = 'Denied';
const FAILED = 'Failed';
const TRUE_ONLY = new Set([APPROVED, DENIED, FAILED]);
const STATUS_VALUES = ['False', 'True', 'Unknown'];

/** allValidUsages, sorted as sets.String lists them. */
export const VALID_USAGES = [
  'any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment', 'decipher only',
  'digital signature', 'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'key agreement',
  'key encipherment', 'microsoft sgc', 'netscape sgc', 'ocsp signing', 's/mime', 'server auth', 'signing', 'timestamping',
];

const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_LABEL_MAX = 63;

/** Base64 bytes of a []byte field as Go decodes them: undefined is nil. */
const bytesOf = (b64: string | undefined): Buffer | undefined => (b64 === undefined ? undefined : Buffer.from(b64, 'base64'));

/** ValidateSignerName (pkg/apis/core/validation). */
export function validateSignerName(path: string, signerName: string): FieldError[] {
  if (signerName === '') return [required(path)];
  const segments = signerName.split('/');
  if (segments.length !== 2) return [invalid(path, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const [domain, name] = segments as [string, string];
  const errs: FieldError[] = [];
  if (domain.length > DNS1123_SUBDOMAIN_MAX) errs.push(tooLong(path, DNS1123_SUBDOMAIN_MAX));
  const labels = domain.split('.');
  for (const lbl of labels) {
    const msgs = isDNS1123Label(lbl);
    if (msgs.length) {
      errs.push(...msgs.map((m) => invalid(path, domain, `validating label ${JSON.stringify(lbl)}: ${m}`)));
      break;
    }
  }
  if (labels.length < 2) errs.push(invalid(path, domain, 'should be a domain with at least two segments separated by dots'));
  for (const lbl of name.split('.')) {
    const msgs = isDNS1123Subdomain(lbl);
    if (msgs.length) {
      errs.push(...msgs.map((m) => invalid(path, name, `validating label ${JSON.stringify(lbl)}: ${m}`)));
      break;
    }
  }
  const max = DNS1123_SUBDOMAIN_MAX + DNS1123_SUBDOMAIN_MAX + DNS1123_LABEL_MAX + 2;
  if (signerName.length > max) errs.push(tooLong(path, max));
  return errs;
}

/** validateCertificate: PEM CERTIFICATE blocks without headers, each an X.509 certificate; text around them is allowed. */
function certificateError(pem: Buffer | undefined): string | undefined {
  if (!pem?.length) return undefined;
  const blocks = [...pem.toString('latin1').matchAll(/-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  if (!blocks.length) return 'must contain at least one CERTIFICATE PEM block';
  for (const [, type, body] of blocks) {
    if (type !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(type)}`;
    if (/^[\w-]+:/m.test(body!)) return 'no PEM block headers are permitted';
    try {
      new X509Certificate(Buffer.from(body!.replace(/\s+/g, ''), 'base64'));
    } catch {
      return 'x509: malformed certificate';
    }
  }
  return undefined;
}

/** What an update may do that a create may not (certificateValidationOptions). */
interface Options {
  allowSettingApprovalConditions?: boolean;
  allowSettingCertificate?: boolean;
  /** Compatibility with what is stored already. */
  allowBothApprovedAndDenied?: boolean;
  allowLegacySignerName?: boolean;
  allowDuplicateConditionTypes?: boolean;
  allowEmptyConditionType?: boolean;
  allowArbitraryCertificate?: boolean;
  allowUnknownUsages?: boolean;
  allowDuplicateUsages?: boolean;
}

const hasDuplicates = (values: unknown[]) => new Set(values).size !== values.length;

function optionsFor(o: KubeObject, old: KubeObject | undefined): Options {
  if (!old) return {};
  const oldConditions = statusOf<Status>(old).conditions ?? [];
  const oldUsages = specOf<Spec>(old).usages ?? [];
  const oldCert = statusOf<Status>(old).certificate;
  return {
    allowBothApprovedAndDenied: oldConditions.some((c) => c.type === APPROVED) && oldConditions.some((c) => c.type === DENIED),
    allowLegacySignerName: specOf<Spec>(old).signerName === LEGACY_UNKNOWN_SIGNER,
    allowDuplicateConditionTypes: hasDuplicates(oldConditions.map((c) => c.type)),
    allowEmptyConditionType: oldConditions.some((c) => !c.type),
    allowArbitraryCertificate: statusOf<Status>(o).certificate === oldCert || certificateError(bytesOf(oldCert)) !== undefined,
    allowUnknownUsages: oldUsages.some((u) => !VALID_USAGES.includes(u)),
    allowDuplicateUsages: hasDuplicates(oldUsages),
  };
}

function validateConditions(conditions: Condition[], opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditions.forEach((c, i) => {
    const path = `status.conditions[${i}]`;
    const type = c.type ?? '';
    if (!opts.allowEmptyConditionType && type === '') errs.push(required(`${path}.type`));
    const allowed = TRUE_ONLY.has(type) ? ['True'] : STATUS_VALUES;
    if (!c.status) errs.push(required(`${path}.status`));
    else if (!allowed.includes(c.status)) errs.push(notSupported(`${path}.status`, c.status, allowed));
    if (!opts.allowBothApprovedAndDenied) {
      if (type === APPROVED) {
        approved = true;
        if (denied) errs.push(invalid(`${path}.type`, type, 'Approved and Denied conditions are mutually exclusive'));
      } else if (type === DENIED) {
        denied = true;
        if (approved) errs.push(invalid(`${path}.type`, type, 'Approved and Denied conditions are mutually exclusive'));
      }
    }
    if (!opts.allowDuplicateConditionTypes) {
      if (seen.has(type)) errs.push(duplicate(`${path}.type`, type));
      seen.add(type);
    }
  });
  return errs;
}

/** validateCertificateSigningRequest. */
function validateCsr(o: KubeObject, opts: Options): FieldError[] {
  const spec = specOf<Spec>(o);
  const errs: FieldError[] = [];
  const request = bytesOf(spec.request);
  try {
    parseCertificateRequest(request ?? Buffer.alloc(0));
  } catch (err) {
    if (!(err instanceof CertificateRequestError)) throw err;
    errs.push(invalid('spec.request', goBytes(request), err.message));
  }
  const usages = spec.usages ?? [];
  if (!usages.length) errs.push(required('spec.usages'));
  if (!opts.allowUnknownUsages) usages.forEach((u, i) => VALID_USAGES.includes(u) || errs.push(notSupported(`spec.usages[${i}]`, u, VALID_USAGES)));
  if (!opts.allowDuplicateUsages) usages.forEach((u, i) => usages.indexOf(u) < i && errs.push(duplicate(`spec.usages[${i}]`, u)));
  const signerName = spec.signerName ?? '';
  if (!opts.allowLegacySignerName && signerName === LEGACY_UNKNOWN_SIGNER) errs.push(invalid('spec.signerName', signerName, 'the legacy signerName is not allowed via this API version'));
  else errs.push(...validateSignerName('spec.signerName', signerName));
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds < 600) {
    errs.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  errs.push(...validateConditions(statusOf<Status>(o).conditions ?? [], opts));
  if (!opts.allowArbitraryCertificate) {
    const why = certificateError(bytesOf(statusOf<Status>(o).certificate));
    if (why) errs.push(invalid('status.certificate', '<certificate data>', why));
  }
  return errs;
}

const ofType = (o: KubeObject, type: string) => (statusOf<Status>(o).conditions ?? []).filter((c) => c.type === type);

/** validateCertificateSigningRequestUpdate: conditions are never removed; approval only through /approval; the certificate only once, through /status. */
function validateCsrUpdate(o: KubeObject, old: KubeObject, opts: Options): FieldError[] {
  const errs = validateCsr(o, opts);
  for (const t of [APPROVED, DENIED, FAILED]) {
    if (ofType(o, t).length < ofType(old, t).length) errs.push(forbidden('status.conditions', `updates may not remove a condition of type ${JSON.stringify(t)}`));
  }
  // Modifying an Approved or Denied condition in place cannot happen: /status keeps their old
  // values (preserveConditionInstances) and the main resource keeps the old status.
  if (!opts.allowSettingApprovalConditions) {
    for (const t of [APPROVED, DENIED]) {
      if (ofType(o, t).length > ofType(old, t).length) errs.push(forbidden('status.conditions', `updates may not add a condition of type ${JSON.stringify(t)}`));
    }
  }
  const cert = statusOf<Status>(o).certificate ?? '';
  const oldCert = statusOf<Status>(old).certificate ?? '';
  if (cert !== oldCert) {
    if (!opts.allowSettingCertificate) errs.push(forbidden('status.certificate', 'updates may not set certificate content'));
    else if (oldCert) errs.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return errs;
}

/** populateConditionTimestamps: a condition without times gets now, or the transition time of the same type and status before. */
export function populateConditionTimestamps(conditions: Condition[], old: Condition[], now: Date): Condition[] {
  const t = formatTime(now);
  return conditions.map((c) => ({
    ...c,
    lastUpdateTime: c.lastUpdateTime || t,
    lastTransitionTime: c.lastTransitionTime || old.find((o) => o.type === c.type && o.status === c.status && o.lastTransitionTime)?.lastTransitionTime || t,
  }));
}

/** preserveConditionInstances: /status may not change Approved and Denied conditions; when their number is the same, the old ones stay. */
function preserveApproval(conditions: Condition[], old: Condition[]): Condition[] {
  const out = [...conditions];
  for (const t of [APPROVED, DENIED]) {
    const oldOnes = old.filter((c) => c.type === t);
    const newIndices = out.flatMap((c, i) => (c.type === t ? [i] : []));
    if (oldOnes.length === newIndices.length) newIndices.forEach((i, k) => (out[i] = oldOnes[k]!));
  }
  return out;
}

/** extractCSRStatus: the CONDITION column. */
export function csrCondition(o: KubeObject): string {
  const types = new Set((statusOf<Status>(o).conditions ?? []).map((c) => c.type));
  let s = types.has(DENIED) ? 'Denied' : types.has(APPROVED) ? 'Approved' : 'Pending';
  if (types.has(FAILED)) s += ',Failed';
  if (statusOf<Status>(o).certificate) s += ',Issued';
  return s;
}

export const certificateSigningRequests: ResourceDef = {
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  resource: 'certificatesigningrequests',
  singular: 'certificatesigningrequest',
  shortNames: ['csr'],
  namespaced: false,
  schema: certificateSigningRequest,
  // ValidateCertificateRequestName accepts any name; a path segment is what a URL can carry.
  nameRule: 'path-segment',
  hasStatus: true,
  prepareForCreate(o, ctx) {
    const spec = specOf<Spec>(o);
    delete spec.username;
    delete spec.uid;
    delete spec.groups;
    delete spec.extra;
    const { username, uid, groups, extra } = ctx.user;
    spec.username = username;
    if (uid) spec.uid = uid;
    if (groups.length) spec.groups = [...groups];
    if (extra && Object.keys(extra).length) spec.extra = structuredClone(extra);
    o.status = {};
  },
  prepareForUpdate(o, old) {
    o.spec = structuredClone(old.spec);
  },
  prepareForStatusUpdate(o, old, ctx) {
    const oldConditions = statusOf<Status>(old).conditions ?? [];
    const status = statusOf<Status>(o);
    if (status.conditions) status.conditions = populateConditionTimestamps(preserveApproval(status.conditions, oldConditions), oldConditions, ctx.clock.now());
  },
  validate: (o) => validateCsr(o, {}),
  validateUpdate(o, old, _ctx, subresource) {
    const opts = optionsFor(o, old);
    if (subresource === 'status') opts.allowSettingCertificate = true;
    if (subresource === 'approval') opts.allowSettingApprovalConditions = true;
    return validateCsrUpdate(o, old, opts);
  },
  fields: { 'spec.signerName': (o) => specOf<Spec>(o).signerName ?? '' },
  table: {
    columns: [
      nameColumn,
      ageColumn,
      column('SignerName', 'Requested signer for the request. It is a qualified name in the form: `scope-hostname.io/name`. If empty, it will be defaulted:\n 1. If it\'s a kubelet client certificate, it is assigned\n    "kubernetes.io/kube-apiserver-client-kubelet".\n 2. If it\'s a kubelet serving certificate, it is assigned\n    "kubernetes.io/kubelet-serving".\n 3. Otherwise, it is assigned "kubernetes.io/legacy-unknown".\nDistribution of trust for signers happens out of band. You can select on this field using `spec.signerName`.'),
      column('Requestor', 'Base64-encoded PKCS#10 CSR data'),
      column('RequestedDuration', 'expirationSeconds is the requested duration of validity of the issued certificate. The certificate signer may issue a certificate with a different validity duration so a client must check the delta between the notBefore and and notAfter fields in the issued certificate to determine the actual duration.\n\nThe v1.22+ in-tree implementations of the well-known Kubernetes signers will honor this field as long as the requested duration is not greater than the maximum duration they will honor per the --cluster-signing-duration CLI flag to the Kubernetes controller manager.\n\nCertificate signers may not honor this field for various reasons:\n\n  1. Old signer that is unaware of the field (such as the in-tree\n     implementations prior to v1.22)\n  2. Signer whose configured maximum is shorter than the requested duration\n  3. Signer whose configured minimum is longer than the requested duration\n\nThe minimum valid value for expirationSeconds is 600, i.e. 10 minutes.'),
      column('Condition', 'Conditions applied to the request, such as approval or denial.'),
    ],
    cells(o, now) {
      const spec = specOf<Spec>(o);
      const duration = spec.expirationSeconds === undefined ? '<none>' : humanDuration(spec.expirationSeconds * 1000);
      return [o.metadata.name, age(o.metadata.creationTimestamp, now), spec.signerName || '<none>', spec.username ?? '', duration, csrCondition(o)];
    },
  },
  subresources: {
    approval: {
      verbs: ['get', 'patch', 'update'],
      get: (s) => s.store.get(s.ctx, '', s.name),
      // csrApprovalStrategy: the request's conditions (with their times filled in), nothing else.
      update: (s, body) =>
        s.store.guaranteedUpdate(
          s.ctx,
          '',
          s.name,
          (cur) => {
            const old = statusOf<Status>(cur).conditions ?? [];
            const conditions = populateConditionTimestamps(statusOf<Status>(body).conditions ?? [], old, s.ctx.clock.now());
            return { ...cur, metadata: { ...cur.metadata, resourceVersion: body.metadata.resourceVersion }, status: { ...statusOf<Status>(cur), conditions } };
          },
          { dryRun: s.dryRun, subresource: 'approval' },
        ),
    },
  },
};
