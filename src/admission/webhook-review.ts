// The AdmissionReview a webhook is sent and what its answer may say, as k8s.io/apiserver's
// pkg/admission/plugin/webhook/request/admissionreview.go builds and checks them (CreateAdmissionObjects,
// VerifyAdmissionResponse), and the denial it becomes (webhook/errors ToStatusErr).
import { ApiError, badRequest, type StatusDetails } from '../api/errors.js';
import type { AdmissionAttributes } from './chain.js';
import type { MatchedResource } from './validating-policy-matching.js';
import { operationOptions } from './validating-policy-request.js';

/** The AdmissionReview version sent: the first the webhook lists that Badge speaks. */
export function reviewVersion(versions: string[] | undefined): 'v1' | 'v1beta1' | undefined {
  return (versions ?? []).find((v): v is 'v1' | 'v1beta1' => v === 'v1' || v === 'v1beta1');
}
export const NO_KNOWN_VERSION = 'webhook does not accept known AdmissionReview versions (v1, v1beta1)';

/** CreateV1AdmissionReview (v1beta1 has the same request): kind and resource as matched, requestKind and requestResource as sent. */
export function buildReview(version: 'v1' | 'v1beta1', uid: string, a: AdmissionAttributes, matched: MatchedResource): Record<string, unknown> {
  const kind = a.resource.kind ?? '';
  const user = a.ctx.user;
  const extra = user.extra && Object.keys(user.extra).length ? user.extra : undefined;
  const versioned = (o: unknown) => (o && matched.version !== a.resource.version ? { ...o, apiVersion: matched.group ? `${matched.group}/${matched.version}` : matched.version } : o);
  return {
    kind: 'AdmissionReview',
    apiVersion: `admission.k8s.io/${version}`,
    request: {
      uid,
      kind: { group: matched.group, version: matched.version, kind },
      resource: { group: matched.group, version: matched.version, resource: matched.resource },
      ...(a.subresource ? { subResource: a.subresource } : {}),
      requestKind: { group: a.resource.group, version: a.resource.version ?? '', kind },
      requestResource: { group: a.resource.group, version: a.resource.version ?? '', resource: a.resource.resource },
      ...(a.subresource ? { requestSubResource: a.subresource } : {}),
      ...(a.name ? { name: a.name } : {}),
      ...(a.namespace ? { namespace: a.namespace } : {}),
      operation: a.operation,
      userInfo: { ...(user.username ? { username: user.username } : {}), ...(user.uid ? { uid: user.uid } : {}), ...(user.groups.length ? { groups: user.groups } : {}), ...(extra ? { extra } : {}) },
      object: versioned(a.object) ?? null,
      oldObject: versioned(a.oldObject) ?? null,
      dryRun: a.dryRun,
      options: operationOptions(a),
    },
  };
}

/** What a verified answer says. */
export interface ReviewResult {
  allowed: boolean;
  status?: { code?: number; message?: string; reason?: string; status?: string; details?: StatusDetails };
  /** The decoded JSON patch bytes (base64 in the review), when a mutating webhook sent one. */
  patch?: string;
  /** JSONPatch, the one type kube-apiserver applies (v1beta1 answers are pinned to it). */
  patchType?: string;
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

/** VerifyAdmissionResponse: an Error (with upstream's text) when the answer is not a valid review of this request. */
export function verifyResponse(version: 'v1' | 'v1beta1', uid: string, mutating: boolean, review: unknown): ReviewResult | { error: string } {
  const r = (review && typeof review === 'object' ? review : {}) as { apiVersion?: unknown; kind?: unknown; response?: Record<string, unknown> | null };
  const resp = r.response;
  if (!resp || typeof resp !== 'object') return { error: 'webhook response was absent' };
  const patch = typeof resp.patch === 'string' && resp.patch ? Buffer.from(resp.patch, 'base64').toString() : undefined;
  const patchType = resp.patchType as string | undefined | null;
  if (version === 'v1') {
    if (resp.uid !== uid) return { error: `expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(typeof resp.uid === 'string' ? resp.uid : '')}` };
    const gvk = gvkString(r.apiVersion, r.kind);
    if (gvk !== 'admission.k8s.io/v1, Kind=AdmissionReview') return { error: `expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${gvk}` };
    if (mutating) {
      if (patch && (patchType === undefined || patchType === null)) return { error: 'webhook returned response.patch but not response.patchType' };
      if (!patch && patchType !== undefined && patchType !== null) return { error: 'webhook returned response.patchType but not response.patch' };
      if (patchType === '') return { error: 'webhook returned invalid response.patchType of ""' };
    } else {
      if (patch) return { error: 'validating webhook may not return response.patch' };
      if (patchType !== undefined && patchType !== null) return { error: 'validating webhook may not return response.patchType' };
    }
  }
  const status = resp.status && typeof resp.status === 'object' ? (resp.status as ReviewResult['status']) : undefined;
  return {
    allowed: resp.allowed === true,
    status,
    patch: mutating ? patch : undefined,
    patchType: mutating && patch ? (version === 'v1' ? (patchType ?? undefined) : 'JSONPatch') : undefined,
    warnings: Array.isArray(resp.warnings) ? resp.warnings.filter((w): w is string => typeof w === 'string') : [],
    auditAnnotations: resp.auditAnnotations && typeof resp.auditAnnotations === 'object' ? (resp.auditAnnotations as Record<string, string>) : {},
  };
}

/** schema.GroupVersionKind's String: `group/version, Kind=kind`, `/, Kind=` when empty. */
function gvkString(apiVersion: unknown, kind: unknown): string {
  const av = typeof apiVersion === 'string' ? apiVersion : '';
  const [group, version] = av.includes('/') ? [av.slice(0, av.indexOf('/')), av.slice(av.indexOf('/') + 1)] : ['', av];
  return `${group}/${version}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

/** ToStatusErr: the webhook's Status, at least 400 and a Failure, its message prefixed with who denied. */
export function denial(webhook: string, status: ReviewResult['status']): ApiError {
  const deniedBy = `admission webhook ${JSON.stringify(webhook)} denied the request`;
  const s = status ?? {};
  const code = typeof s.code === 'number' && s.code >= 400 ? s.code : 400;
  const message = s.message ? `${deniedBy}: ${s.message}` : s.reason ? `${deniedBy}: ${s.reason}` : `${deniedBy} without explanation`;
  return new ApiError(code, s.reason ?? '', message, s.details);
}

/** NewDryRunUnsupportedErr. */
export const dryRunUnsupported = (webhook: string) => badRequest(`admission webhook ${JSON.stringify(webhook)} does not support dry run`);
