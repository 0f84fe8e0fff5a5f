// Request bodies: read with a size limit, then decode JSON, YAML or Kubernetes protobuf.
import type { IncomingMessage } from 'node:http';
import { badRequest, tooLarge, unsupportedMediaType } from '../api/errors.js';
import { isObject, MAX_JSON_DEPTH, tooDeep, type KubeObject } from '../api/meta.js';
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
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower case. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses JSON text; a failure is reported as the decoder error Kubernetes wraps. */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DecodeError(`json parse error: ${(err as Error).message}`);
  }
  const bracket = tooDeep(value);
  if (bracket) throw new DecodeError(`json parse error: invalid character '${bracket}' exceeded max depth`);
  return value;
}

export function parseYaml(text: string): unknown {
  const docs = yaml().parseAllDocuments(text);
  if (Array.isArray(docs) && docs.length > 1) throw new DecodeError('yaml: multiple documents are not allowed');
  const doc = Array.isArray(docs) ? docs[0] : docs;
  if (!doc) return null;
  if (doc.errors.length) throw new DecodeError(`yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
  let value: unknown;
  try {
    value = doc.toJSON();
  } catch (err) {
    // Aliases expanding into a huge document (the library counts them, as go-yaml does).
    if (err instanceof ReferenceError && /alias/i.test(err.message)) throw new DecodeError('yaml: document contains excessive aliasing');
    throw err;
  }
  if (tooDeep(value)) throw new DecodeError(`yaml: exceeded max depth of ${MAX_JSON_DEPTH}`);
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

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** The first bytes of a body, for error messages (Go's summarizeData). */
function summarize(body: Buffer): string {
  const max = 30;
  return body.length > max ? `${body.subarray(0, max).toString('utf8')} ...` : body.toString('utf8');
}
