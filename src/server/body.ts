// Request bodies: read with a size limit; JSON text parsed with Go's depth limit.
import type { IncomingMessage } from 'node:http';
import { badRequest, tooLarge } from '../api/errors.js';
import { MAX_JSON_DEPTH } from '../api/json-values.js';
import { tooDeepAt } from './json-text.js';
import { DecodeError } from './yaml-text.js';

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
    // A client that leaves mid-body is not the server's failure (nobody reads the reply): over
    // HTTP/1.1 the connection is reset, over HTTP/2 the stream closes before its end.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') throw badRequest('unexpected EOF');
    throw err;
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower case. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses JSON text; a failure is reported as the decoder error Kubernetes wraps. */
export function parseJson(text: string): unknown {
  // Fewer characters than MAX_JSON_DEPTH cannot nest deeper: most bodies skip the scan.
  const deep = text.length > MAX_JSON_DEPTH ? tooDeepAt(text, MAX_JSON_DEPTH) : -1;
  if (deep >= 0) throw new DecodeError(`json parse error: invalid character '${text[deep]}' exceeded max depth`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DecodeError(`json parse error: ${(err as Error).message}`);
  }
}

/** The first bytes of a body, for error messages (Go's summarizeData). */
export function summarize(body: Buffer): string {
  const max = 30;
  return body.length > max ? `${body.subarray(0, max).toString('utf8')} ...` : body.toString('utf8');
}
