// For tests: a CA of the test's own and an HTTPS server answering AdmissionReviews, as an admission
// webhook does. `answer` gets the review's request and returns the response (uid filled in).
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCertificate } from '../pki/x509.js';

export interface TestCa {
  /** PEM. */
  cert: string;
  /** A serving certificate and key (PEM) for these names. */
  issue(dnsNames: string[], ips?: string[]): { cert: string; key: string };
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export function testCa(commonName = 'webhook-test-ca'): TestCa {
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const now = new Date(Date.now() - 60_000);
  const cert = createCertificate({ subject: { commonName }, publicKey: ca.publicKey, signingKey: ca.privateKey, notBefore: now, notAfter: new Date(now.getTime() + YEAR_MS), ca: true });
  return {
    cert,
    issue(dnsNames, ips = []) {
      const k = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const leaf = createCertificate({ subject: { commonName: dnsNames[0] ?? ips[0] ?? 'webhook' }, publicKey: k.publicKey, issuer: cert, signingKey: ca.privateKey, notBefore: now, notAfter: new Date(now.getTime() + YEAR_MS), usage: 'server', dnsNames, ips });
      return { cert: leaf, key: k.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
    },
  };
}

export interface Review {
  uid: string;
  operation: string;
  object?: { metadata?: { name?: string; labels?: Record<string, string> } } & Record<string, unknown>;
  [k: string]: unknown;
}

export interface WebhookServer {
  /** https://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The requests received: path (with query) and the review's request. */
  calls: { path: string; request: Review }[];
  close(): Promise<void>;
}

/** Serves AdmissionReview v1 on 127.0.0.1 with a certificate of `ca` for 127.0.0.1 and localhost. */
export async function startWebhookServer(ca: TestCa, answer: (request: Review, path: string) => Record<string, unknown> | Promise<Record<string, unknown>>): Promise<WebhookServer> {
  const calls: WebhookServer['calls'] = [];
  const server: Server = createServer({ ...ca.issue(['localhost'], ['127.0.0.1']) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const review = JSON.parse(Buffer.concat(chunks).toString()) as { request: Review };
      calls.push({ path: req.url ?? '', request: review.request });
      const response = { uid: review.request.uid, ...(await answer(review.request, req.url ?? '')) };
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A JSON patch as a webhook answers it: base64 of its JSON. */
export const patchOf = (ops: unknown[]) => ({ patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') });
