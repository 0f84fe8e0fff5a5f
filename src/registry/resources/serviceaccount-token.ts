// The TokenRequest API: POST serviceaccounts/NAME/token (pkg/registry/core/serviceaccount/storage/token.go).
import { badRequest, conflict, invalid } from '../../api/errors.js';
import { invalid as invalidField, type FieldError } from '../../api/field-errors.js';
import { formatTime, isObject, type KubeObject } from '../../api/meta.js';
import type { Subresource, SubresourceContext } from '../resource.js';
import { tokenRequest } from '../schemas/authentication.js';
import { boundClaims, type Ref } from '../../auth/tokens/claims.js';
import type { TokenIssuer } from '../../auth/tokens/issuer.js';

/** The expiry the ServiceAccount admission plugin asks for: a marker for the one-year extension. */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;
export const EXTENSION_SECONDS = 365 * 24 * 3600;
const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;

export interface TokenRequestConfig {
  issuer: TokenIssuer;
  apiAudiences: string[];
  /** --service-account-max-token-expiration in seconds; 0 for no limit. */
  maxExpirationSeconds: number;
  /** --service-account-extend-token-expiration */
  extendExpiration: boolean;
}

interface BoundObjectRef {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

const BINDABLE: Record<string, { resource: string; claim: 'pod' | 'secret' | 'node'; namespaced: boolean }> = {
  Pod: { resource: 'pods', claim: 'pod', namespaced: true },
  Secret: { resource: 'secrets', claim: 'secret', namespaced: true },
  Node: { resource: 'nodes', claim: 'node', namespaced: false },
};

async function boundObject(s: SubresourceContext, ref: BoundObjectRef) {
  const apiVersion = ref.apiVersion ?? '';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const kind = BINDABLE[ref.kind ?? ''];
  if (!kind || group !== '') throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind ?? ''}`);
  const obj = await s.registry.mustStore('', 'v1', kind.resource).get(s.ctx, kind.namespaced ? s.namespace : '', ref.name ?? '');
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    throw conflict(
      { group: '', resource: ref.kind! },
      ref.name ?? '',
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { kind: ref.kind!, claim: kind.claim, obj };
}

export function tokenSubresource(cfg: TokenRequestConfig): Subresource {
  return {
    schema: tokenRequest,
    verbs: ['create'],
    async create(s, body) {
      const errs: FieldError[] = [];
      if (body.metadata.name && body.metadata.name !== s.name) errs.push(invalidField('metadata.name', body.metadata.name, 'must match the service account name if specified'));
      if (body.metadata.namespace && body.metadata.namespace !== s.namespace) {
        errs.push(invalidField('metadata.namespace', body.metadata.namespace, 'must match the service account namespace if specified'));
      }
      if (errs.length) throw invalid('authentication.k8s.io', 'TokenRequest', '', errs);
      const sa = await s.store.get(s.ctx, s.namespace, s.name);

      const spec = (isObject(body.spec) ? { ...body.spec } : {}) as { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: BoundObjectRef };
      const audiences = spec.audiences?.length ? spec.audiences : cfg.apiAudiences;
      let expirationSeconds = spec.expirationSeconds ?? 3600;
      if (expirationSeconds < MIN_SECONDS) errs.push(invalidField('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes'));
      if (expirationSeconds > MAX_SECONDS) errs.push(invalidField('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
      if (errs.length) throw invalid('authentication.k8s.io', 'TokenRequest', '', errs);

      const refs: { pod?: Ref; secret?: Ref; node?: Ref } = {};
      if (spec.boundObjectRef) {
        const bound = await boundObject(s, spec.boundObjectRef);
        refs[bound.claim] = { name: bound.obj.metadata.name!, uid: bound.obj.metadata.uid! };
        if (bound.kind === 'Pod') {
          const podSpec = (bound.obj.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
          if (podSpec.serviceAccountName !== s.name) {
            throw badRequest(`cannot bind token for serviceaccount "${s.name}" to pod running with different serviceaccount name.`);
          }
          if (podSpec.nodeName) {
            const node = await s.registry.mustStore('', 'v1', 'nodes').get(s.ctx, '', podSpec.nodeName).catch(() => undefined);
            refs.node = node ? { name: podSpec.nodeName, uid: node.metadata.uid! } : { name: podSpec.nodeName };
          }
        }
      }
      if (cfg.maxExpirationSeconds > 0 && expirationSeconds > cfg.maxExpirationSeconds) {
        s.warnings.push(`requested expiration of ${expirationSeconds} seconds shortened to ${cfg.maxExpirationSeconds} seconds`);
        expirationSeconds = cfg.maxExpirationSeconds;
      }
      const extend =
        cfg.extendExpiration && !!refs.pod && expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS && audiences.every((a) => cfg.apiAudiences.includes(a));

      const nowDate = s.ctx.clock.now();
      const now = Math.floor(nowDate.getTime() / 1000);
      const jti = s.ctx.random.uuid();
      // The audit event of the request names the new token (serviceaccount.IssuedCredentialIDAuditAnnotationKey).
      if (s.ctx.auditAnnotations) s.ctx.auditAnnotations['authentication.kubernetes.io/issued-credential-id'] = `JTI=${jti}`;
      const token = await cfg.issuer.sign(
        boundClaims({
          namespace: s.namespace,
          serviceAccount: { name: sa.metadata.name!, uid: sa.metadata.uid! },
          audiences,
          now,
          lifetimeSeconds: extend ? EXTENSION_SECONDS : expirationSeconds,
          ...refs,
          warnAfterSeconds: extend ? WARN_ONLY_EXPIRATION_SECONDS : undefined,
          jti,
        }),
      );
      const reply: KubeObject = {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name: sa.metadata.name, namespace: s.namespace, creationTimestamp: formatTime(nowDate) },
        spec: { audiences, expirationSeconds, ...(spec.boundObjectRef ? { boundObjectRef: spec.boundObjectRef } : { boundObjectRef: null }) },
        status: { token, expirationTimestamp: formatTime(new Date((now + expirationSeconds) * 1000)) },
      };
      return reply;
    },
  };
}
