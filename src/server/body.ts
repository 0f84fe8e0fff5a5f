// Request bodies: read with a size limit, then decode JSON, YAML or Kubernetes protobuf.
import type { IncomingMessage } from 'node:http';
import { badRequest, tooLarge, unsupportedMediaType } from '../api/errors.js';
import { jsonDepth, jsonType } from '../api/json-values.js';
import { isObject, type KubeObject } from '../api/meta.js';
import type { ObjectSchema } from '../api/schema.js';
import { decodeProtobuf } from './protobuf.js';
import { yaml } from '../api/yaml.js';

/** kube-apiserver's limit for request bodies (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const BODY_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        req.resume();
        throw tooLarge(limit);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    // A client that leaves mid-body is not the server's failure (nobody reads the reply).
    if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') throw badRequest('unexpected EOF');
    throw err;
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower case. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Go's JSON decoder (and so Kubernetes) refuses values nested deeper than this. */
export const MAX_DEPTH = 10000;

/** The first bracket past MAX_DEPTH in JSON text, outside strings; -1 when there is none. */
function tooDeepAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** Parses JSON text; a failure is reported as the decoder error Kubernetes wraps. */
export function parseJson(text: string): unknown {
  // Fewer characters than MAX_DEPTH cannot nest deeper: most bodies skip the scan.
  const deep = text.length > MAX_DEPTH ? tooDeepAt(text) : -1;
  if (deep >= 0) throw new DecodeError(`json parse error: invalid character '${text[deep]}' exceeded max depth`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DecodeError(`json parse error: ${(err as Error).message}`);
  }
}

export function parseYaml(text: string): unknown {
  let value: unknown;
  try {
    const docs = yaml().parseAllDocuments(text);
    if (Array.isArray(docs) && docs.length > 1) throw new DecodeError('yaml: multiple documents are not allowed');
    const doc = Array.isArray(docs) ? docs[0] : docs;
    if (!doc) return null;
    const error = doc.errors[0]?.message;
    if (error?.includes('Maximum call stack size exceeded')) throw new DecodeError(`yaml: exceeded max depth of ${MAX_DEPTH}`);
    if (error) throw new DecodeError(`yaml: ${error.split('\n')[0]}`);
    // The yaml package refuses documents that expand aliases more than 100 times.
    value = doc.toJSON();
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    if (err instanceof ReferenceError && /alias/i.test(err.message)) throw new DecodeError('yaml: document contains excessive aliasing');
    if (err instanceof RangeError) throw new DecodeError(`yaml: exceeded max depth of ${MAX_DEPTH}`);
    throw err;
  }
  if (jsonDepth(value, MAX_DEPTH) > MAX_DEPTH) throw new DecodeError(`yaml: exceeded max depth of ${MAX_DEPTH}`);
  return value;
}

/** A body that could not be decoded; the handler words it for the kind it expected. */
export class DecodeError extends Error {}

/**
 * Decodes an object body. `expectedKind` words errors the way the apiserver does
 * ("the object provided is unrecognized (must be of type ServiceAccount): …").
 */
export function decodeObject(
  body: Buffer,
  contentType: string | undefined,
  expectedKind: string,
  schemaFor: (apiVersion: string, kind: string) => ObjectSchema | undefined,
): KubeObject {
  const type = mediaType(contentType) || 'application/json';
  let value: unknown;
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobuf(body, schemaFor) as KubeObject;
  try {
    if (type === 'application/json') value = parseJson(body.toString('utf8'));
    else if (type === 'application/yaml') value = parseYaml(body.toString('utf8'));
    else throw unsupportedMediaType(BODY_MEDIA_TYPES.join(', '));
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    throw badRequest(`the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; ${err.message} (${summarize(body)})`);
  }
  if (!isObject(value)) {
    throw badRequest(`the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonType(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (${summarize(body)})`);
  }
  if (value.metadata !== undefined && !isObject(value.metadata)) {
    throw badRequest(`${String(value.kind ?? expectedKind)} in version "${String(value.apiVersion ?? '')}" cannot be handled as a ${expectedKind}: json: cannot unmarshal ${jsonType(value.metadata)} into Go struct field ${expectedKind}.metadata of type v1.ObjectMeta`);
  }
  value.metadata ??= {};
  return value as KubeObject;
}

/** The first bytes of a body, for error messages (Go's summarizeData). */
function summarize(body: Buffer): string {
  const max = 30;
  return body.length > max ? `${body.subarray(0, max).toString('utf8')} ...` : body.toString('utf8');
}
