// Query parameters and option bodies shared by the resource handlers.
import { badRequest, invalid } from '../../api/errors.js';
import { invalid as invalidField, notSupported, tooLong, type FieldError } from '../../api/field-errors.js';
import { goQuote, isGoPrintable } from '../../api/go-quote.js';
import { isObject } from '../../api/meta.js';
import { deleteOptions as deleteOptionsSchema } from '../../registry/schemas/policy.js';
import { mediaType, parseJson } from '../body.js';
import { decodeProtobuf } from '../protobuf.js';
import type { DeleteOptions, ListOptions, OpContext, WatchOptions } from '../../api/operations.js';
import type { RequestContext } from '../context.js';

/** dryRun=All, as every write accepts. */
export function dryRunOf(q: URLSearchParams, optionsKind: string): boolean {
  const values = q.getAll('dryRun');
  if (!values.length) return false;
  if (values.some((v) => v !== 'All')) {
    throw invalid('meta.k8s.io', optionsKind, '', [notSupported('dryRun', values, ['All'])]);
  }
  return true;
}

/** An int64 query parameter (strconv.ParseInt, as the parameter codec converts it). */
function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`invalid ${name}: strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n >= 2n ** 63n || n < -(2n ** 63n)) throw badRequest(`invalid ${name}: strconv.ParseInt: parsing ${goQuote(v)}: value out of range`);
  return Number(n);
}

function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  return v === 'true' || v === '1' || v === 'True';
}

export function listOptionsOf(q: URLSearchParams): ListOptions {
  // Decoded (and refused when malformed) with the other options, though a list does not wait.
  intParam(q, 'timeoutSeconds');
  return {
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit: intParam(q, 'limit'),
    continue: q.get('continue') || undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') || undefined,
  };
}

export function watchOptionsOf(q: URLSearchParams): WatchOptions {
  return {
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') || undefined,
    allowWatchBookmarks: boolParam(q, 'allowWatchBookmarks'),
    sendInitialEvents: boolParam(q, 'sendInitialEvents'),
  };
}

export function timeoutSecondsOf(q: URLSearchParams): number | undefined {
  return intParam(q, 'timeoutSeconds');
}

/** DeleteOptions from the body (JSON or protobuf) and the query, the query winning as upstream. */
export function deleteOptionsOf(q: URLSearchParams, body: Buffer, contentType: string | undefined): DeleteOptions {
  let fromBody: Record<string, unknown> = {};
  if (body.length && mediaType(contentType) === 'application/vnd.kubernetes.protobuf') {
    fromBody = decodeProtobuf(body, (_, kind) => (kind === 'DeleteOptions' ? deleteOptionsSchema : undefined));
  } else if (body.length) {
    let parsed;
    try {
      parsed = parseJson(body.toString('utf8'));
    } catch (err) {
      throw badRequest(`the body of the request was in an unknown format - ${(err as Error).message}`);
    }
    if (!isObject(parsed)) throw badRequest('the body of the request was not a DeleteOptions object');
    fromBody = parsed;
  }
  const opts: DeleteOptions = {};
  const grace = intParam(q, 'gracePeriodSeconds') ?? (typeof fromBody.gracePeriodSeconds === 'number' ? fromBody.gracePeriodSeconds : undefined);
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = q.get('propagationPolicy') ?? (typeof fromBody.propagationPolicy === 'string' ? fromBody.propagationPolicy : undefined);
  if (policy) opts.propagationPolicy = policy;
  const orphan = boolParam(q, 'orphanDependents') ?? (typeof fromBody.orphanDependents === 'boolean' ? fromBody.orphanDependents : undefined);
  if (orphan !== undefined) opts.orphanDependents = orphan;
  if (isObject(fromBody.preconditions)) opts.preconditions = fromBody.preconditions as DeleteOptions['preconditions'];
  const dry = q.getAll('dryRun').length ? q.getAll('dryRun') : Array.isArray(fromBody.dryRun) ? (fromBody.dryRun as string[]) : [];
  if (dry.length) {
    if (dry.some((v) => v !== 'All')) throw invalid('meta.k8s.io', 'DeleteOptions', '', [notSupported('dryRun', dry, ['All'])]);
    opts.dryRun = true;
  }
  return opts;
}

/** FieldManagerMaxLength. */
const FIELD_MANAGER_MAX = 128;

/** ValidateFieldManager: at most 128 bytes, printable only. */
export function fieldManagerErrors(manager: string): FieldError[] {
  const errors: FieldError[] = [];
  if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX) errors.push(tooLong('fieldManager', FIELD_MANAGER_MAX));
  let at = 0;
  for (const ch of manager) {
    if (!isGoPrintable(ch)) errors.push(invalidField('fieldManager', manager, `invalid character U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} (at position ${at})`));
    at += Buffer.byteLength(ch);
  }
  return errors;
}

/**
 * The context of a write, with the manager it is recorded under: the fieldManager parameter
 * (checked as `optionsKind`, e.g. CreateOptions), else the User-Agent's prefix (managerOrUserAgent).
 */
export function writeContext(rc: RequestContext, optionsKind: string): OpContext {
  const given = rc.url.searchParams.get('fieldManager') ?? '';
  const errors = fieldManagerErrors(given);
  if (errors.length) throw invalid('meta.k8s.io', optionsKind, '', errors);
  return { ...rc.op(), fieldManager: given || prefixFromUserAgent(rc.req.headers['user-agent'] ?? ''), warnings: rc.warnings };
}

/** prefixFromUserAgent: up to the first `/`, non-printable characters dropped, cut at 128 bytes. */
export function prefixFromUserAgent(agent: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of agent.split('/')[0]!) {
    if (!isGoPrintable(ch)) continue;
    const n = Buffer.byteLength(ch);
    if (bytes + n > FIELD_MANAGER_MAX) break;
    out += ch;
    bytes += n;
  }
  return out;
}
