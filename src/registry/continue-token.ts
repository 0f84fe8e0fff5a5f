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
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (p.v !== 'meta.k8s.io/v1') throw badRequest('invalid continue token: continue key is not valid: server does not recognize this encoded key');
  if (typeof p.rv !== 'number' || p.rv === 0) throw badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.start !== 'string' || p.start === '') throw badRequest('invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  const segments = p.start.split('/');
  if (p.start.startsWith('/') || segments.includes('..') || segments.includes('.')) {
    throw badRequest('invalid continue token: continue key is not valid: path traversal attempt detected');
  }
  return { rv: p.rv, start: p.start };
}
