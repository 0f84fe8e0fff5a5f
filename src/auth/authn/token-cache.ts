// Successful token authentications are remembered for 10 s (TokenSuccessCacheTTL); failures are
// not remembered, so a fixed token works at once and a revoked one stops within 10 s.
import { createHash } from 'node:crypto';
import type { Clock } from '../../api/clock.js';
import type { TokenAuthenticator, TokenResult } from './token.js';

const SUCCESS_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

export function cachedTokenAuthenticator(inner: TokenAuthenticator, clock: Clock): TokenAuthenticator {
  const cache = new Map<string, { until: number; result: TokenResult }>();
  return {
    async authenticateToken(token, audiences) {
      const key = createHash('sha256').update(token).update('\0').update((audiences ?? []).join(',')).digest('base64');
      const now = clock.now().getTime();
      const hit = cache.get(key);
      if (hit && hit.until > now) return hit.result;
      const result = await inner.authenticateToken(token, audiences);
      if (result && 'user' in result) {
        if (cache.size >= MAX_ENTRIES) for (const [k, v] of cache) if (v.until <= now || cache.size >= MAX_ENTRIES) cache.delete(k);
        cache.set(key, { until: now + SUCCESS_TTL_MS, result });
      } else cache.delete(key);
      return result;
    },
  };
}
