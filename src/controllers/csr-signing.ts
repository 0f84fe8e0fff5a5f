// The signing controller of kubernetes.io/kube-apiserver-client (kube-controller-manager's
// csrsigning-kube-apiserver-client, pkg/controller/certificates/signer): an Approved, not Failed
// request without a certificate is checked for the signer's usages (client auth, optionally
// digital signature and key encipherment) and issued by the cluster CA, for its expirationSeconds
// within the cluster signing duration; an invalid one gets a Failed condition. Requests for other
// signers are left alone (Pending), as upstream leaves those of signers it does not run.
import type { Clock } from '../api/clock.js';
import type { CertificateSigningRequest } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import { KUBE_APISERVER_CLIENT_SIGNER } from '../api/well-known.js';
import { R, type Client } from '../client/client.js';
import { waitForSync } from '../client/informer.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';

/** --cluster-signing-duration's default: one year. */
export const CLUSTER_SIGNING_DURATION_SECONDS = 365 * 24 * 3600;
/** The shortest certificate issued (twice the 5 minutes of backdating). */
const MIN_DURATION_SECONDS = 600;

/** Issues a certificate (PEM) for a PEM request with these usages, valid this many seconds; app.ts gives the cluster CA's. */
export type SignRequest = (request: Buffer, usages: string[], ttlSeconds: number) => string;

export interface CsrSigningDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  sign: SignRequest;
  /** --cluster-signing-duration in seconds (default one year). */
  maxDurationSeconds?: number;
}

const hasTrue = (csr: CertificateSigningRequest, type: string) => (csr.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** IsCertificateRequestApproved: Approved and not Denied. */
export const isApproved = (csr: CertificateSigningRequest) => {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  return types.has('Approved') && !types.has('Denied');
};

/** validAPIServerClientUsages: the error text, or undefined when the usages suit a client certificate. */
export function clientUsagesError(usages: string[]): string | undefined {
  let clientAuth = false;
  for (const u of usages) {
    if (u === 'client auth') clientAuth = true;
    else if (u !== 'digital signature' && u !== 'key encipherment') return `invalid usage for client certificate: ${u}`;
  }
  return clientAuth ? undefined : 'missing required usage for client certificate: client auth';
}

/** signer.duration: the requested lifetime within [10 minutes, the signing duration]. */
export function certificateSeconds(expirationSeconds: number | undefined, maxSeconds: number): number {
  if (expirationSeconds === undefined) return maxSeconds;
  return Math.max(MIN_DURATION_SECONDS, Math.min(expirationSeconds, maxSeconds));
}

export function csrSigningController({ client, informers, clock, sign, maxDurationSeconds = CLUSTER_SIGNING_DURATION_SECONDS }: CsrSigningDeps) {
  const csrs = informers.forResource(R.certificatesigningrequests);
  const queue = new WorkQueue('csrsigning-kube-apiserver-client', handle, 200, 1000_000);

  async function handle(key: string): Promise<void> {
    const cached = csrs.get('', key);
    if (!cached || cached.status?.certificate || !isApproved(cached) || hasTrue(cached, 'Failed') || cached.spec.signerName !== KUBE_APISERVER_CLIENT_SIGNER) return;
    const csr = structuredClone(cached);
    const usages = csr.spec.usages ?? [];
    const invalid = clientUsagesError(usages);
    const status = (csr.status ??= {});
    if (invalid) {
      status.conditions = [...(status.conditions ?? []), { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: invalid, lastUpdateTime: formatTime(clock.now()) }];
    } else {
      const pem = sign(Buffer.from(csr.spec.request, 'base64'), usages, certificateSeconds(csr.spec.expirationSeconds, maxDurationSeconds));
      status.certificate = Buffer.from(pem).toString('base64');
    }
    try {
      await client.update(R.certificatesigningrequests, '', csr, 'status');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const enqueue = (csr: CertificateSigningRequest) => queue.add(keyOf(csr));
  return {
    async start() {
      informers.start();
      await waitForSync(csrs);
      csrs.on({ add: enqueue, update: (_, csr) => enqueue(csr) });
      csrs.list().forEach(enqueue);
    },
    stop() {
      queue.stop();
    },
  };
}
