// Serving the documents as kube-apiserver 1.32 does (kube-openapi handler3 behind the
// kube-aggregator's OpenAPI v3 proxy): caching headers, hash redirects, conditional requests.
import type { OpenApiDocs } from '../openapi.js';

/** Go's time.RFC1123 for a UTC clock: "Mon, 02 Jan 2006 15:04:05 UTC". */
function rfc1123(d: Date): string {
  return d.toUTCString().replace(/GMT$/, 'UTC');
}

/** HTTP dates (Last-Modified), as Go's http.TimeFormat. */
export const httpDate = (d: Date) => d.toUTCString();

/**
 * The headers a real server adds to a group-version document requested with the matching ?hash=:
 * it may be cached for good. Pass the hash to get the Etag as well.
 */
export function openApiCacheHeaders(hash?: string, now: Date = new Date()): Record<string, string> {
  const expires = new Date(now.getTime());
  expires.setUTCFullYear(expires.getUTCFullYear() + 1);
  return {
    'Cache-Control': 'public, immutable',
    Expires: rfc1123(expires),
    Vary: 'Accept',
    ...(hash ? { Etag: JSON.stringify(hash) } : {}),
  };
}

export interface OpenApiRequest {
  method: string;
  /** The URL path, e.g. /openapi/v3/apis/apps/v1 */
  path: string;
  query: URLSearchParams;
  headers: { accept?: string; 'if-none-match'?: string; 'if-modified-since'?: string };
}

export interface OpenApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/**
 * Answers GET/HEAD /openapi/v3 and /openapi/v3/<gv> the way kube-apiserver 1.32 does: the root is
 * made per request (the documents it names built first) (no Etag, sniffed text/plain, the pipeline's `Cache-Control: no-cache, private`);
 * a GV document has a quoted sha512 Etag, is immutable when asked for with its ?hash=, redirects (301)
 * to the current hash when asked with a stale one, honours If-None-Match, and is 404 when unknown.
 * Returns undefined for paths outside /openapi/v3.
 */
export async function serveOpenApi(docs: OpenApiDocs, req: OpenApiRequest, now: Date = new Date()): Promise<OpenApiResponse | undefined> {
  const head = req.method === 'HEAD';
  const noCache = { 'Cache-Control': 'no-cache, private' };
  if (req.path === '/openapi/v3') {
    const json = await docs.rootJson();
    return {
      status: 200,
      headers: { ...noCache, 'Accept-Ranges': 'bytes', 'Content-Length': String(Buffer.byteLength(json)), 'Content-Type': 'text/plain; charset=utf-8', 'Last-Modified': httpDate(now) },
      body: head ? '' : json,
    };
  }
  if (!req.path.startsWith('/openapi/v3/')) return undefined;
  const gvPath = req.path.slice('/openapi/v3/'.length);
  const doc = docs.document(gvPath);
  if (!doc || gvPath !== gvPath.replace(/^\/+|\/+$/g, '')) return { status: 404, headers: { ...noCache, 'Content-Length': '0' }, body: '' };

  const vary = { Vary: 'Accept' };
  if (!acceptsJson(req.headers.accept)) return { status: 406, headers: { ...noCache, ...vary, 'Content-Length': '0' }, body: '' };

  const etag = JSON.stringify(doc.hash);
  const headers: Record<string, string> = { ...noCache, ...vary, 'Content-Type': 'application/json', Etag: etag };
  const hash = req.query.get('hash');
  if (hash) {
    if (hash !== doc.hash) {
      return { status: 301, headers: { ...headers, Location: `/openapi/v3/${gvPath}?hash=${doc.hash}`, 'Content-Length': '0' }, body: '' };
    }
    Object.assign(headers, openApiCacheHeaders(undefined, now));
  }
  const lastModified = doc.lastModified;
  headers['Last-Modified'] = httpDate(lastModified);
  if (notModified(req.headers, etag, lastModified)) {
    const h = { ...headers };
    delete h['Content-Type'];
    delete h['Last-Modified'];
    return { status: 304, headers: h, body: '' };
  }
  headers['Accept-Ranges'] = 'bytes';
  headers['Content-Length'] = String(Buffer.byteLength(doc.json));
  return { status: 200, headers, body: head ? '' : doc.json };
}

/** Whether an Accept header admits application/json (goautoneg: type application or *, subtype json or *). */
function acceptsJson(accept: string | undefined): boolean {
  const value = accept && accept.trim() !== '' ? accept : '*/*';
  for (const clause of value.split(',')) {
    const [mediaRange, ...params] = clause.split(';').map((s) => s.trim());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) continue;
    const [type, subtype] = (mediaRange ?? '').toLowerCase().split('/');
    if ((type === 'application' || type === '*') && (subtype === 'json' || subtype === '*')) return true;
  }
  return false;
}

/** http.ServeContent's conditions for a 304: If-None-Match when sent, else If-Modified-Since (to the second). */
export function notModified(headers: OpenApiRequest['headers'], etag: string, lastModified: Date): boolean {
  const inm = headers['if-none-match'];
  const ims = headers['if-modified-since'];
  if (inm !== undefined) return etagMatches(inm, etag);
  return ims !== undefined && !Number.isNaN(Date.parse(ims)) && Math.floor(lastModified.getTime() / 1000) <= Date.parse(ims) / 1000;
}

/** If-None-Match with weak comparison, as net/http's checkIfNoneMatch. */
function etagMatches(header: string, etag: string): boolean {
  for (const part of header.split(',')) {
    const t = part.trim();
    if (t === '*') return true;
    if (t.replace(/^W\//, '') === etag) return true;
  }
  return false;
}
