// The continue token of paged lists (k8s.io/apiserver/pkg/storage/continue.go): base64url of
// {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key, relative to the list prefix>"}.
import { badRequest } from '../api/errors.js';

export interface ContinuePoint {
  /** Revision the list is pinned to; -1 after a compaction means "continue at the latest". */
  rv: number;
  /** Key (relative to the list prefix) to start at. */
  start: string;
}

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

export function decodeContinue(token: string): ContinuePoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('invalid continue token: continue key is not valid: illegal base64 data or malformed JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest(`invalid continue token: continue key is not valid: json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type storage.continueToken`);
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  // The token's fields are Go's string and int64: anything else does not decode.
  for (const [field, ok] of [['v', p.v === undefined || typeof p.v === 'string'], ['start', p.start === undefined || typeof p.start === 'string']] as const) {
    if (!ok) throw badRequest(`invalid continue token: continue key is not valid: json: cannot unmarshal ${jsonKind(p[field])} into Go struct field continueToken.${field} of type string`);
  }
  if (p.rv !== undefined && !Number.isSafeInteger(p.rv)) {
    throw badRequest(`invalid continue token: continue key is not valid: json: cannot unmarshal ${jsonKind(p.rv)} into Go struct field continueToken.rv of type int64`);
  }
  if (p.v !== 'meta.k8s.io/v1') throw badRequest(`invalid continue token: continue key is not valid: server does not recognize this encoded version ${String(p.v ?? '')}`);
  if (!p.rv) throw badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (!p.start) throw badRequest('invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  // Only a clean path (path.Clean leaves it as it is) may be a start key: nothing can reach above
  // the list's prefix.
  const start = p.start as string;
  const key = start.startsWith('/') ? start : `/${start}`;
  if (key !== '/' && key.slice(1).split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw badRequest(`invalid continue token: continue key is not valid: ${start}`);
  }
  return { rv: p.rv as number, start: key.slice(1) };
}

const jsonKind = (v: unknown): string => (typeof v === 'number' ? `number ${v}` : Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
