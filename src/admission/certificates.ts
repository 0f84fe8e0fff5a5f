// The admission plugins of CertificateSigningRequests (plugin/pkg/admission/certificates):
// CertificateApproval (writing /approval needs `approve` on the request's signer),
// CertificateSigning (changing the certificate or conditions through /status needs `sign`) and
// CertificateSubjectRestriction (the kube-apiserver-client signer never issues system:masters).
import { CertificateRequestError, parseCertificateRequest } from '../api/certificate-request.js';
import { forbidden } from '../api/errors.js';
import { deepEqual, type KubeObject } from '../api/meta.js';
import { SYSTEM_MASTERS, type UserInfo } from '../api/user.js';
import { KUBE_APISERVER_CLIENT_SIGNER } from '../api/well-known.js';
import type { Authorizer } from '../auth/authz/authorizer.js';
import { resourceName, type AdmissionAttributes, type AdmissionPlugin } from './chain.js';

const GROUP = 'certificates.k8s.io';
const CSRS = { group: GROUP, resource: 'certificatesigningrequests' };

const isCsr = (a: AdmissionAttributes) => a.resource.group === GROUP && a.resource.resource === CSRS.resource;
const spec = (o: KubeObject | undefined) => (o?.spec ?? {}) as { signerName?: string; request?: string };
const status = (o: KubeObject | undefined) => (o?.status ?? {}) as { certificate?: string; conditions?: unknown[] };

/**
 * IsAuthorizedForSignerName: `verb` on the synthetic `signers` resource named by the signerName,
 * or by its domain with `/*` (`kubernetes.io/*`).
 */
export async function authorizedForSigner(authorizer: Authorizer, user: UserInfo, verb: string, signerName: string): Promise<boolean> {
  for (const name of [signerName, `${signerName.split('/')[0]}/*`]) {
    const { decision } = await authorizer.authorize({ user, verb, isResourceRequest: true, path: '', apiGroup: GROUP, apiVersion: '*', resource: 'signers', subresource: '', namespace: '', name });
    if (decision === 'allow') return true;
  }
  return false;
}

/** A check on the old object's signer, for updates of one subresource. */
function signerCheck(name: string, subresource: string, verb: string, authorizer: Authorizer, changed: (a: AdmissionAttributes) => boolean): AdmissionPlugin {
  return {
    name,
    async validate(a) {
      if (a.operation !== 'UPDATE' || a.subresource !== subresource || !isCsr(a) || !changed(a)) return;
      const signerName = spec(a.oldObject).signerName ?? '';
      if (await authorizedForSigner(authorizer, a.ctx.user, verb, signerName)) return;
      throw forbidden(CSRS, resourceName(a), `user not permitted to ${verb} requests with signerName ${JSON.stringify(signerName)}`);
    },
  };
}

export const certificateApproval = (authorizer: Authorizer) => signerCheck('CertificateApproval', 'approval', 'approve', authorizer, () => true);

export const certificateSigning = (authorizer: Authorizer) =>
  signerCheck('CertificateSigning', 'status', 'sign', authorizer, (a) => {
    const [cur, old] = [status(a.object), status(a.oldObject)];
    return (cur.certificate ?? '') !== (old.certificate ?? '') || !deepEqual(cur.conditions ?? [], old.conditions ?? []);
  });

export const certificateSubjectRestriction: AdmissionPlugin = {
  name: 'CertificateSubjectRestriction',
  async validate(a) {
    if (a.operation !== 'CREATE' || a.subresource !== '' || !isCsr(a) || spec(a.object).signerName !== KUBE_APISERVER_CLIENT_SIGNER) return;
    let organizations: string[];
    try {
      organizations = parseCertificateRequest(Buffer.from(spec(a.object).request ?? '', 'base64')).organizations;
    } catch (err) {
      if (!(err instanceof CertificateRequestError)) throw err;
      throw forbidden(CSRS, resourceName(a), `failed to parse CSR: ${err.message}`);
    }
    if (organizations.includes(SYSTEM_MASTERS)) throw forbidden(CSRS, resourceName(a), `use of ${KUBE_APISERVER_CLIENT_SIGNER} signer with system:masters group is not allowed`);
  },
};
