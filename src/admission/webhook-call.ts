// One HTTPS POST of an AdmissionReview to a webhook, as kube-apiserver's webhook client makes it
// (k8s.io/apiserver pkg/util/webhook: client.go, and client-go's REST client): the server certificate verified
// against the caBundle (the system roots when it is empty) for the URL's host or `<service>.<namespace>.svc`,
// `?timeout=Ns` on the URL, the whole call bounded by the webhook's timeoutSeconds and its reply by
// MAX_RESPONSE_BYTES. A failure is a WebhookCallError whose message reads as Go's (`Post "https://…": …`).
import { request as httpRequest } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** What a reply may hold: kube-apiserver reads at most this much of a webhook's answer (its request body limit). */
const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

export class WebhookCallError extends Error {}

export interface CallTarget {
  /** The URL as kube-apiserver prints it, without the timeout query. */
  url: string;
  /** The name the certificate must hold (SNI and verification). */
  servername: string;
  /** Opens the TCP stream the TLS connection runs on; rejects with Go's text for the failed dial. */
  dial: () => Promise<Duplex>;
  /** PEM; undefined for the system roots. */
  ca?: string;
}

/** POSTs `body` and answers the decoded JSON reply; every failure is a WebhookCallError. */
export async function postReview(target: CallTarget, body: unknown, timeoutSeconds: number): Promise<unknown> {
  const url = `${target.url}?timeout=${timeoutSeconds}s`;
  const fail = (why: string) => new WebhookCallError(`Post ${JSON.stringify(url)}: ${why}`);
  let socket: TLSSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      reject(fail('context deadline exceeded'));
    }, timeoutSeconds * 1000);
  });
  // A stream that arrives after the deadline is closed at once.
  const dialed = target.dial().then((s) => (expired ? (s.destroy(), s) : s));
  try {
    const raw = await Promise.race([dialed, timedOut]).catch((e) => {
      throw e instanceof WebhookCallError ? e : fail((e as Error).message);
    });
    socket = tlsConnect({ socket: raw, servername: isIP(target.servername) ? undefined : target.servername, host: target.servername, ca: target.ca, ALPNProtocols: ['http/1.1'] });
    const reply = exchange(socket, new URL(url), JSON.stringify(body));
    return await Promise.race([reply, timedOut]).catch((e) => {
      throw e instanceof WebhookCallError ? e : fail(transportText(e));
    });
  } finally {
    clearTimeout(timer);
    socket?.destroy();
  }
}

/** The HTTP/1.1 exchange on an open TLS socket. */
function exchange(socket: TLSSocket, url: URL, body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        method: 'POST',
        host: url.hostname,
        port: url.port || 443,
        path: `${url.pathname}${url.search}`,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, */*', 'Content-Length': Buffer.byteLength(body), 'User-Agent': 'kube-apiserver-admission' },
        createConnection: () => socket,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) {
            res.destroy();
            reject(new WebhookCallError(`the response from the webhook is larger than ${MAX_RESPONSE_BYTES} bytes`));
          } else chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const code = res.statusCode ?? 0;
          if (code < 200 || code > 299) return reject(new WebhookCallError(serverErrorText(code, text)));
          try {
            resolve(JSON.parse(text));
          } catch (e) {
            reject(new WebhookCallError(jsonErrorText(text, e)));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** client-go's transformResponse: a Status reply's message, else apimachinery's generic text for the code. */
function serverErrorText(code: number, body: string): string {
  try {
    const s = JSON.parse(body) as { kind?: string; message?: string };
    if (s?.kind === 'Status' && typeof s.message === 'string') return s.message;
  } catch {
    // not a Status
  }
  const generic: Record<number, string> = {
    400: 'the server rejected our request for an unknown reason',
    401: 'Unauthorized',
    403: 'forbidden',
    404: 'the server could not find the requested resource',
    405: 'the server does not allow this method on the requested resource',
    409: 'the server reported a conflict',
    422: 'the server rejected our request due to an error in our request',
    429: 'the server has received too many requests and has asked us to try again later',
    503: 'the server is currently unable to handle the request',
    504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
  };
  const base = generic[code] ?? (code >= 500 ? `an error on the server (${JSON.stringify(body.trim() || 'unknown')}) has prevented the request from succeeding` : `the server responded with the status code ${code} but did not return more information`);
  return code in generic && body.trim() && code !== 401 ? `${base} (${body.trim()})` : base;
}

/** encoding/json's error for a reply that is not JSON. */
function jsonErrorText(text: string, e: unknown): string {
  const first = text.trimStart()[0];
  if (first === undefined) return 'unexpected end of JSON input';
  if (!'{["tfn-0123456789'.includes(first)) return `invalid character ${JSON.stringify(first).replaceAll('"', "'")} looking for beginning of value`;
  return (e as Error).message;
}

/** Go's TLS and transport errors for what went wrong after the dial. */
function transportText(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { reason?: string; cert?: { subjectaltname?: string } };
  switch (err.code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const names = (err.cert?.subjectaltname ?? '').split(', ').map((n) => n.replace(/^(DNS|IP Address):/, '')).filter(Boolean);
      const host = /Host: ([^.]\S*?)\. is not/.exec(err.reason ?? '')?.[1] ?? /IP: (\S+) is not/.exec(err.reason ?? '')?.[1] ?? '';
      return `tls: failed to verify certificate: x509: certificate is valid for ${names.join(', ')}, not ${host}`;
    }
    case 'ECONNRESET':
    case 'EPIPE':
      return 'EOF';
    default:
      return err.message;
  }
}
