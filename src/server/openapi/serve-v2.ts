// Serving /openapi/v2 as kube-apiserver does (kube-openapi handler.go behind the aggregator): the
// first Accept clause, in goautoneg's order, that names JSON or the protobuf form picks it; none is
// a bare 406. Both forms carry the JSON's sha512 as Etag and answer If-None-Match with a 304
// (http.ServeContent); the pipeline adds `Cache-Control: no-cache, private`.
import type { OpenApiV2 } from './v2-thread.js';
import { httpDate, notModified, type OpenApiRequest, type OpenApiResponse } from './serve.js';

export type V2Form = 'json' | 'proto';

const PROTO_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** The media types served, as type and subtype; the first protobuf one is deprecated (what client-go asks for). */
const ACCEPTED: [string, string, V2Form][] = [
  ['application', 'json', 'json'],
  ['application', 'com.github.proto-openapi.spec.v2@v1.0+protobuf', 'proto'],
  ['application', 'com.github.proto-openapi.spec.v2.v1.0+protobuf', 'proto'],
];
const NO_CACHE = { 'Cache-Control': 'no-cache, private' };

interface Clause {
  type: string;
  subtype: string;
  q: number;
}

/** goautoneg ParseAccept: the clauses, highest q first, then the more specific (its insertion sort for short lists). */
function acceptClauses(header: string): Clause[] {
  const out: Clause[] = [];
  for (const part of header.split(',')) {
    const [mediaRange = '', ...params] = part.trim().split(';');
    const sp = mediaRange.split('/');
    const type = sp[0]!.trim();
    let subtype: string;
    if (sp.length === 1 && type === '*') subtype = '*';
    else if (sp.length === 2) subtype = sp[1]!.trim();
    else continue;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq >= 0 && param.slice(0, eq).trim() === 'q') q = Number.parseFloat(param.slice(eq + 1)) || 0;
    }
    out.push({ type, subtype, q });
  }
  const less = (a: Clause, b: Clause) => a.q > b.q || (a.type !== '*' && b.type === '*') || (a.subtype !== '*' && b.subtype === '*');
  for (let i = 1; i < out.length; i++) for (let j = i; j > 0 && less(out[j]!, out[j - 1]!); j--) [out[j], out[j - 1]] = [out[j - 1]!, out[j]!];
  return out;
}

/** Which form the request asks for; undefined when it accepts neither (406). */
export function v2Form(accept: string | undefined): V2Form | undefined {
  for (const c of acceptClauses(accept || '*/*'))
    for (const [type, subtype, form] of ACCEPTED) if ((c.type === type || c.type === '*') && (c.subtype === subtype || c.subtype === '*')) return form;
  return undefined;
}

export const notAcceptable: OpenApiResponse = { status: 406, headers: { ...NO_CACHE, Vary: 'Accept', 'Content-Length': '0' }, body: '' };

/** The document in the form asked for, or a 304 when the client's copy is current. */
export function serveOpenApiV2(doc: OpenApiV2, form: V2Form, req: Pick<OpenApiRequest, 'method' | 'headers'>): OpenApiResponse {
  const etag = JSON.stringify(doc.etag);
  const headers: Record<string, string> = { ...NO_CACHE, Vary: 'Accept', Etag: etag };
  if (notModified(req.headers, etag, doc.lastModified)) return { status: 304, headers, body: '' };
  const body = form === 'json' ? doc.json : doc.proto;
  Object.assign(headers, {
    'Accept-Ranges': 'bytes',
    'Content-Length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength),
    'Content-Type': form === 'json' ? 'application/json' : PROTO_TYPE,
    'Last-Modified': httpDate(doc.lastModified),
  });
  return { status: 200, headers, body: req.method === 'HEAD' ? '' : body };
}
