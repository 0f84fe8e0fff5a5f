// The CSR cleaner (pkg/controller/certificates/cleaner): every hour it deletes the requests that
// have served their purpose: approved and issued, denied or failed for an hour (by the
// condition's lastUpdateTime), pending for a day (by creation), or whose issued certificate has
// expired.
import { X509Certificate } from 'node:crypto';
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import type { CertificateSigningRequest } from '../api/kinds.js';
import { R, type Client } from '../client/client.js';
import { waitForSync } from '../client/informer.js';
import type { InformerFactory } from '../client/informer-factory.js';

const HOUR_MS = 3600_000;
const POLLING_INTERVAL_MS = HOUR_MS;
const APPROVED_EXPIRATION_MS = HOUR_MS;
const DENIED_EXPIRATION_MS = HOUR_MS;
const PENDING_EXPIRATION_MS = 24 * HOUR_MS;

export interface CsrCleanerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
}

/** The certificate's NotAfter (ms), undefined when there is none or it does not parse. */
function certificateNotAfter(csr: CertificateSigningRequest): number | undefined {
  const pem = csr.status?.certificate;
  if (!pem) return undefined;
  try {
    return Date.parse(new X509Certificate(Buffer.from(pem, 'base64')).validTo);
  } catch {
    return undefined;
  }
}

/** Whether the cleaner deletes this request at `now` (isIssuedPastDeadline || isDeniedPastDeadline || …). */
export function isDone(csr: CertificateSigningRequest, now: number): boolean {
  const olderThan = (t: string | null | undefined, ms: number) => !!t && now - Date.parse(t) > ms;
  const conditions = csr.status?.conditions ?? [];
  const issued = !!csr.status?.certificate;
  for (const c of conditions) {
    if (c.type === 'Approved' && issued && olderThan(c.lastUpdateTime, APPROVED_EXPIRATION_MS)) return true;
    if ((c.type === 'Denied' || c.type === 'Failed') && olderThan(c.lastUpdateTime, DENIED_EXPIRATION_MS)) return true;
  }
  if (!conditions.length && olderThan(csr.metadata.creationTimestamp, PENDING_EXPIRATION_MS)) return true;
  const notAfter = certificateNotAfter(csr);
  return conditions.some((c) => c.type === 'Approved') && notAfter !== undefined && now > notAfter;
}

export function csrCleaner({ client, informers, clock }: CsrCleanerDeps) {
  const csrs = informers.forResource(R.certificatesigningrequests);
  let timer: NodeJS.Timeout | undefined;

  async function clean(): Promise<void> {
    const now = clock.now().getTime();
    for (const csr of csrs.list()) {
      if (!isDone(csr, now)) continue;
      try {
        await client.delete(R.certificatesigningrequests, '', csr.metadata.name!);
      } catch (err) {
        if (!isNotFound(err)) console.error(`badge: CSR cleaner ${csr.metadata.name}:`, (err as Error).message);
      }
    }
  }

  return {
    async start() {
      informers.start();
      await waitForSync(csrs);
      void clean();
      timer = setInterval(() => void clean(), POLLING_INTERVAL_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
    /** A pass now (tests). */
    clean,
  };
}
