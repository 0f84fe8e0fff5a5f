// Successful token authentications are remembered for 10 s (TokenSuccessCacheTTL); failures are
// not remembered, so a fixed token works at once and a revoked one stops within 10 s.
import type { Clock } from '../../api/clock.js';
import type { TokenAuthenticator, TokenResult } from './token.js';

const SUCCESS_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;
/** A JWT's last characters are its signature: enough to find the entry, which holds the whole token to compare. */
const KEY_CHARS = 64;

interface Entry {
  token: string;
  audiences: string;
  until: number;
  result: TokenResult;
}

export function cachedTokenAuthenticator(inner: TokenAuthenticator, clock: Clock): TokenAuthenticator {
  const cache = new Map<string, Entry>();
  return {
    async authenticateToken(token, audienceList) {
      // Hashing the whole token (a kilobyte) cost more than the rest of a cache hit.
      const audiences = audienceList?.join(',') ?? '';
      const key = `${audiences}\0${token.length > KEY_CHARS ? token.slice(-KEY_CHARS) : token}`;
      const now = clock.now().getTime();
      const hit = cache.get(key);
      if (hit && hit.until > now && hit.token === token && hit.audiences === audiences) return hit.result;
      const result = await inner.authenticateToken(token, audienceList);
      if (result && 'user' in result) {
        if (cache.size >= MAX_ENTRIES) for (const [k, v] of cache) if (v.until <= now || cache.size >= MAX_ENTRIES) cache.delete(k);
        cache.set(key, { token, audiences, until: now + SUCCESS_TTL_MS, result });
      } else if (hit?.token === token) cache.delete(key);
      return result;
    },
  };
}
