// certificates.k8s.io/v1 CertificateSigningRequest (k8s.io/api/certificates/v1), as served by Kubernetes 1.32.
import { arr, bytes, described, int32, mapOf, obj, pb, ptr, str, time } from '../../api/schema.js';
import { kind } from './meta.js';

const CERTIFICATES = 'io.k8s.api.certificates.v1';

export const certificateSigningRequestSpec = obj(`${CERTIFICATES}.CertificateSigningRequestSpec`, 'The certificate request; immutable after creation, when only request, signerName, expirationSeconds and usages may be set.', {
  expirationSeconds: pb(8, ptr(int32('The requested validity of the certificate in seconds, at least 600; signers may issue a shorter one (the built-in signers cap it at --cluster-signing-duration).'))),
  extra: pb(6, mapOf(arr(str()), 'Extra attributes of the user that created the request; set by the API server, immutable.')),
  groups: pb(4, arr(str(), 'The groups of the user that created the request; set by the API server, immutable.', { listType: 'atomic' })),
  request: pb(1, bytes('An x509 certificate signing request in a "CERTIFICATE REQUEST" PEM block (base64 encoded again in JSON and YAML).')),
  signerName: pb(7, str('The signer asked to issue the certificate, a qualified name such as "kubernetes.io/kube-apiserver-client"; list and watch can select on it with the field spec.signerName.')),
  uid: pb(3, str('The uid of the user that created the request; set by the API server, immutable.')),
  usages: pb(5, arr(str(undefined, { enum: ['any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment', 'decipher only', 'digital signature', 'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'key agreement', 'key encipherment', 'microsoft sgc', 'netscape sgc', 'ocsp signing', 's/mime', 'server auth', 'signing', 'timestamping'] }), 'The key usages asked for the certificate: client certificates typically "digital signature", "key encipherment" and "client auth".', { listType: 'atomic' })),
  username: pb(2, str('The name of the user that created the request; set by the API server, immutable.')),
}, { required: ['request', 'signerName'] });

export const certificateSigningRequestCondition = obj(`${CERTIFICATES}.CertificateSigningRequestCondition`, 'A condition of a CertificateSigningRequest: Approved, Denied or Failed.', {
  lastTransitionTime: pb(5, time('When the condition last changed status; the server sets it when unset.')),
  lastUpdateTime: pb(4, time('When the condition was last updated.')),
  message: pb(3, str('Human readable detail about the request state.')),
  reason: pb(2, str('A brief reason for the request state.')),
  status: pb(6, str('True, False or Unknown; Approved, Denied and Failed conditions may only be True.')),
  type: pb(1, str('Approved or Denied (added through /approval, exclusive), or Failed (added through /status); none can be removed once added.')),
}, { required: ['type', 'status'] });

export const certificateSigningRequestStatus = obj(`${CERTIFICATES}.CertificateSigningRequestStatus`, 'Whether the request is approved or denied, and the certificate issued.', {
  certificate: pb(2, bytes('The issued certificate, PEM encoded (base64 encoded again in JSON and YAML); set through /status once approved, then immutable.')),
  conditions: pb(1, arr(certificateSigningRequestCondition, 'Conditions of the request: Approved, Denied, Failed.', { listType: 'map', listMapKeys: ['type'] })),
});

export const certificateSigningRequest = kind('certificates.k8s.io', 'v1', 'CertificateSigningRequest', CERTIFICATES, 'A request for an x509 certificate, approved or denied through /approval and issued by its signer.', {
  spec: pb(2, described('The certificate request, immutable after creation.', certificateSigningRequestSpec)),
  status: pb(3, described('Approval, denial or failure, and the issued certificate.', certificateSigningRequestStatus)),
}, { required: ['spec'] });
