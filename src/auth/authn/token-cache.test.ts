import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ManualClock } from '../../api/clock.js';
import { cachedTokenAuthenticator } from './token-cache.js';
import type { TokenAuthenticator, TokenResult } from './token.js';

/** An authenticator that knows `valid` tokens and counts how often it is asked. */
function counting(valid: Set<string>) {
  const asked: string[] = [];
  const inner: TokenAuthenticator = {
    async authenticateToken(token, audiences): Promise<TokenResult> {
      asked.push(token);
      return valid.has(token) ? { user: { username: `u-${token.slice(0, 3)}`, groups: [] }, audiences: audiences ?? [] } : { error: 'invalid' };
    },
  };
  return { inner, asked };
}

it('token cache: remembers a success for 10 s, never a failure', async () => {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const valid = new Set(['good']);
  const { inner, asked } = counting(valid);
  const cache = cachedTokenAuthenticator(inner, clock);
  assert.ok(await cache.authenticateToken('good'));
  assert.ok(await cache.authenticateToken('good'));
  assert.deepEqual(asked, ['good']);
  valid.delete('good'); // revoked: still accepted until the entry expires
  clock.advance(9_999);
  assert.ok('user' in (await cache.authenticateToken('good'))!);
  clock.advance(2);
  assert.deepEqual(await cache.authenticateToken('good'), { error: 'invalid' });
  await cache.authenticateToken('bad');
  await cache.authenticateToken('bad');
  assert.deepEqual(asked, ['good', 'good', 'bad', 'bad']);
});

it('token cache: tokens that end alike, and audiences, are told apart', async () => {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const tail = 'x'.repeat(100);
  const { inner, asked } = counting(new Set([`aaa${tail}`]));
  const cache = cachedTokenAuthenticator(inner, clock);
  assert.equal((await cache.authenticateToken(`aaa${tail}`)) && 'user' in (await cache.authenticateToken(`aaa${tail}`))!, true);
  assert.deepEqual(await cache.authenticateToken(`bbb${tail}`), { error: 'invalid' });
  assert.ok('user' in (await cache.authenticateToken(`aaa${tail}`, ['other']))!);
  assert.ok('user' in (await cache.authenticateToken(`aaa${tail}`))!);
  assert.deepEqual(asked, [`aaa${tail}`, `bbb${tail}`, `aaa${tail}`]);
});
