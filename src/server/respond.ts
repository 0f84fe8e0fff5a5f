// Writing replies: JSON (or YAML) bodies, Status errors, and Warning headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { goJson } from '../api/go-json.js';
import { yaml } from '../api/yaml.js';
import { ApiError, internalError } from '../api/errors.js';
import { warningHeaders } from './warnings.js';

/** The JSON of frozen (shared, unchanging) objects, made once. */
const serialized = new WeakMap<object, string>();

/** json.Encoder's text (with a newline), or json.MarshalIndent's (without) for a pretty reply. */
function jsonText(body: unknown, pretty: boolean): string {
  if (pretty) return goJson(body, true);
  if (typeof body !== 'object' || body === null || !Object.isFrozen(body)) return goJson(body) + '\n';
  let text = serialized.get(body);
  if (text === undefined) serialized.set(body, (text = goJson(body) + '\n'));
  return text;
}

/**
 * Whether a reply is indented (the deprecated isPrettyPrint of the apiserver's negotiation):
 * `?pretty=` when given, else for curl, Wget and browsers.
 */
export function isPretty(req: IncomingMessage | undefined): boolean {
  const url = req?.url ?? '';
  if (url.includes('pretty')) {
    const v = new URL(url, 'https://localhost').searchParams.get('pretty');
    if (v) return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
  }
  const agent = req?.headers['user-agent'] ?? '';
  return agent.startsWith('curl') || agent.startsWith('Wget') || agent.startsWith('Mozilla/5.0');
}

/**
 * Writes a whole reply. A reply already sent (a request past its deadline got the 504) is not
 * written again.
 */
export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', warnings: string[] = []): void {
  if (res.writableEnded) return;
  const text = contentType === 'application/yaml' ? yaml().stringify(body) : jsonText(body, isPretty(res.req));
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-cache, private');
  const headers = warnings.length ? warningHeaders(warnings) : [];
  if (!headers.length) return void res.end(text);
  res.setHeader('Warning', headers);
  // Node sends the headers in one write with a string body, as UTF-8, which would encode the
  // (latin1-carried) UTF-8 bytes of a warning twice; with a Buffer body they go out as latin1.
  res.end(Buffer.from(text));
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  console.error('badge: internal error:', err);
  return internalError(err);
}

export function writeError(res: ServerResponse, err: unknown, warnings: string[] = []): void {
  const e = toApiError(err);
  if (res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.setHeader('X-Content-Type-Options', 'nosniff');
  writeJson(res, e.code, e.toStatus(), 'application/json', warnings);
}

/** The last resort for a request whose error reply failed too: a log line, and the connection closed. */
export function abandon(res: ServerResponse, err: unknown): void {
  console.error('badge: internal error answering a request:', err);
  res.destroy();
}

export function writeText(res: ServerResponse, code: number, text: string): void {
  res.statusCode = code;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(text);
}
