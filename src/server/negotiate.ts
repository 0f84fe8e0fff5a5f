// Content negotiation for replies, as kube-apiserver 1.32 does it (apimachinery's
// NegotiateMediaTypeOptions over goautoneg's ParseAccept): the Accept clauses, best quality
// first, are tried in turn against the media types built-in kinds are served in, in the
// server's order (JSON, YAML, protobuf); the first clause a media type matches, whose
// parameters the endpoint allows, wins.
import { notAcceptable } from '../api/errors.js';

export type MediaType = 'json' | 'yaml' | 'protobuf';

export interface ReplyFormat {
  mediaType: MediaType;
  /** A conversion asked for with `;as=Table` or `;as=PartialObjectMetadata[List]` (and `g=meta.k8s.io;v=…`). */
  as?: 'table' | 'partial';
}

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** The media types of built-in kinds, in the server's order; YAML has no watch framing. */
const SERVED: { mediaType: MediaType; type: string; subtype: string; streams: boolean }[] = [
  { mediaType: 'json', type: 'application', subtype: 'json', streams: true },
  { mediaType: 'yaml', type: 'application', subtype: 'yaml', streams: false },
  { mediaType: 'protobuf', type: 'application', subtype: 'vnd.kubernetes.protobuf', streams: true },
];

export const CONTENT_TYPE: Record<MediaType, string> = { json: 'application/json', yaml: 'application/yaml', protobuf: PROTOBUF };

interface Clause {
  type: string;
  subtype: string;
  q: number;
  params: Map<string, string>;
}

/** strings.TrimFunc(s, r == ' '): spaces only, not tabs. */
function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 32) start++;
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** strconv.ParseFloat(s, 32) of a quality value; what it cannot read is 0, as goautoneg ignores the error. */
function quality(s: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Math.fround(Number(s));
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  return 0;
}

/**
 * goautoneg's ParseAccept: clauses split on commas, only spaces trimmed, types compared as
 * written (no case folding); a range without a slash is kept only as `*`; each parameter needs
 * exactly one `=`. The clauses are then ordered by Go's sort.Sort, whose insertion sort (for
 * up to 12 clauses, which is every real header) keeps equal clauses in header order.
 */
function parseAccept(header: string): Clause[] {
  const clauses: Clause[] = [];
  for (const raw of header.split(',')) {
    const parts = trimSpaces(raw).split(';');
    const slash = parts[0]!.split('/');
    const type = trimSpaces(slash[0]!);
    let subtype: string;
    if (slash.length === 1) {
      if (type !== '*') continue;
      subtype = '*';
    } else if (slash.length === 2) subtype = trimSpaces(slash[1]!);
    else continue;
    const clause: Clause = { type, subtype, q: 1, params: new Map() };
    for (let i = 1; i < parts.length; i++) {
      const kv = parts[i]!.split('=');
      if (kv.length !== 2) continue;
      const key = trimSpaces(kv[0]!);
      if (key === 'q') clause.q = quality(kv[1]!);
      else clause.params.set(key, trimSpaces(kv[1]!));
    }
    clauses.push(clause);
  }
  // goautoneg's Less: a higher quality first; then a concrete type before `*`, a concrete subtype before `*`.
  const less = (a: Clause, b: Clause) => a.q > b.q || (a.type !== '*' && b.type === '*') || (a.subtype !== '*' && b.subtype === '*');
  for (let i = 1; i < clauses.length; i++) {
    for (let j = i; j > 0 && less(clauses[j]!, clauses[j - 1]!); j--) [clauses[j - 1], clauses[j]] = [clauses[j]!, clauses[j - 1]!];
  }
  return clauses;
}

/**
 * What an endpoint allows beyond plain encodings. Resource endpoints (RequestScope) convert to
 * Table (JSON and YAML only) and to PartialObjectMetadata[List] (any encoding), and know the
 * server version v1; errors are written with DefaultEndpointRestrictions, which convert nothing.
 */
type Endpoint = 'resource' | 'error';

/** acceptMediaTypeOptions: the clause's parameters, or undefined when they rule this media type out. */
function options(params: Map<string, string>, served: (typeof SERVED)[number], endpoint: Endpoint, unstructured = false): ReplyFormat | undefined {
  let convert: { as: string; g: string; v: string } | undefined;
  for (const [key, value] of params) {
    if (key === 'as' || key === 'g' || key === 'v') {
      convert ??= { as: '', g: '', v: '' };
      convert[key] = value;
    } else if (key === 'stream') {
      if (value && (!served.streams || value !== 'watch')) return undefined;
    } else if (key === 'sv') {
      if (value && (endpoint === 'error' || value !== 'v1')) return undefined;
    }
  }
  const format: ReplyFormat = { mediaType: served.mediaType };
  // Custom resources have no protobuf form; their metadata (PartialObjectMetadata) has.
  if (!convert) return unstructured && served.mediaType === 'protobuf' ? undefined : format;
  if (endpoint === 'error' || convert.g !== 'meta.k8s.io' || (convert.v !== 'v1' && convert.v !== 'v1beta1')) return undefined;
  if (convert.as === 'Table') return served.mediaType === 'protobuf' ? undefined : { ...format, as: 'table' };
  if (convert.as === 'PartialObjectMetadata' || convert.as === 'PartialObjectMetadataList') return { ...format, as: 'partial' };
  return undefined;
}

function pick(accept: string | undefined, endpoint: Endpoint, unstructured = false): ReplyFormat | undefined {
  if (!accept) return { mediaType: 'json' };
  for (const c of parseAccept(accept)) {
    for (const served of SERVED) {
      const matches = (c.type === served.type && (c.subtype === served.subtype || c.subtype === '*')) || (c.type === '*' && c.subtype === '*');
      const format = matches ? options(c.params, served, endpoint, unstructured) : undefined;
      if (format) return format;
    }
  }
  return undefined;
}

/**
 * The reply format of a resource request; a 406 when nothing in Accept can be served. Objects of
 * an `unstructured` resource (a custom resource) are JSON or YAML, as kube-apiserver's CRD
 * handler serves them: protobuf is passed over for the next type Accept allows.
 */
export function negotiate(accept: string | undefined, unstructured = false): ReplyFormat {
  const format = pick(accept, 'resource', unstructured);
  if (!format) throw notAcceptable(SERVED.filter((s) => !unstructured || s.mediaType !== 'protobuf').map((s) => CONTENT_TYPE[s.mediaType]).join(', '));
  return format;
}

/** The format of a watch: as negotiate, then the chosen media type must have watch framing (not YAML). */
export function negotiateWatch(accept: string | undefined, unstructured = false): ReplyFormat {
  const format = negotiate(accept, unstructured);
  if (!SERVED.find((s) => s.mediaType === format.mediaType)!.streams) {
    throw notAcceptable(SERVED.filter((s) => s.streams).map((s) => `${CONTENT_TYPE[s.mediaType]};stream=watch`).join(', '));
  }
  return format;
}

/** The media type of an error's Status; undefined when none fits, and the Status goes out as indented JSON (WriteRawJSON). */
export function negotiateError(accept: string | undefined): MediaType | undefined {
  return pick(accept, 'error')?.mediaType;
}
