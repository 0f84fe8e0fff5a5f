import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import { ManualClock } from '../api/clock.js';
import type { Kind } from '../api/kinds.js';
import { formatTime, type KubeObject } from '../api/meta.js';
import type { Client } from '../client/client.js';
import { requiresRefresh, tokenKey, TokenManager, type TokenRequestResult } from './token-manager.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const S = 1000;

const issued = (at: Date, seconds: number): TokenRequestResult => ({
  spec: { expirationSeconds: seconds },
  status: { token: `token@${at.toISOString()}`, expirationTimestamp: formatTime(new Date(at.getTime() + seconds * S)) },
});

describe('requiresRefresh', () => {
  const tr = issued(T0, 3607);
  const at = (s: number) => new Date(T0.getTime() + s * S);
  it('keeps a token younger than 80 % of its lifetime (3607 s: 20 % is 721 s)', () => {
    assert.equal(requiresRefresh(tr, at(0), 0), false);
    assert.equal(requiresRefresh(tr, at(2886), 0), false);
  });
  it('refreshes past 80 %', () => assert.equal(requiresRefresh(tr, at(2887), 0), true));
  it('the jitter brings the refresh earlier', () => {
    assert.equal(requiresRefresh(tr, at(2880), 10 * S), true);
    assert.equal(requiresRefresh(tr, at(2875), 10 * S), false);
  });
  it('refreshes a long-lived token after 24 h', () => {
    const year = issued(T0, 365 * 24 * 3600);
    assert.equal(requiresRefresh(year, at(24 * 3600 - 1), 0), false);
    assert.equal(requiresRefresh(year, at(24 * 3600 + 1), 0), true);
  });
  it('refreshes when the clock went back before the issue time', () => assert.equal(requiresRefresh(tr, at(-1), 0), true));
  it('keys the cache as the kubelet does', () => {
    assert.equal(
      tokenKey('sa', 'default', { audiences: ['a', 'b'], expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u' } }),
      '"sa"/"default"/[a b]/3607/{v1 Pod p u}',
    );
  });
});

describe('TokenManager', () => {
  function fake(clock: ManualClock) {
    const calls: KubeObject[] = [];
    let fail = false;
    const client = {
      async createSubresource(_ref: unknown, ns: string, name: string, sub: string, body: KubeObject) {
        assert.equal(sub, 'token');
        calls.push(body);
        if (fail) throw new Error('boom');
        // The manager asks with a TokenRequest that has expirationSeconds.
        const { spec } = body as Kind<TokenRequest>;
        const seconds = spec.expirationSeconds!;
        const now = clock.now();
        const reply: Kind<TokenRequest> = {
          metadata: { name, namespace: ns },
          spec: { audiences: ['api'], expirationSeconds: seconds, boundObjectRef: spec.boundObjectRef },
          status: { token: `t${calls.length}`, expirationTimestamp: formatTime(new Date(now.getTime() + seconds * S)) },
        };
        return reply;
      },
    } as unknown as Client;
    return { client, calls, setFail: (f: boolean) => (fail = f) };
  }
  const spec = { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'uid-1' } };

  it('asks TokenRequest once, then serves the cache until 80 % of the lifetime', async () => {
    const clock = new ManualClock(T0);
    const f = fake(clock);
    const m = new TokenManager(f.client, { clock, random: () => 0 });
    assert.equal((await m.getServiceAccountToken('default', 'sa', spec)).status.token, 't1');
    assert.deepEqual(f.calls[0]!.spec, { expirationSeconds: 3607, boundObjectRef: spec.boundObjectRef });
    clock.advance(2886 * S);
    assert.equal((await m.getServiceAccountToken('default', 'sa', spec)).status.token, 't1');
    clock.advance(2 * S);
    assert.equal((await m.getServiceAccountToken('default', 'sa', spec)).status.token, 't2');
    assert.equal(f.calls.length, 2);
  });

  it('keeps a still-valid token when the refresh fails, and says so once it expired', async () => {
    const clock = new ManualClock(T0);
    const f = fake(clock);
    const m = new TokenManager(f.client, { clock, random: () => 0 });
    await m.getServiceAccountToken('default', 'sa', spec);
    f.setFail(true);
    clock.advance(3000 * S);
    assert.equal((await m.getServiceAccountToken('default', 'sa', spec)).status.token, 't1');
    clock.advance(700 * S);
    await assert.rejects(m.getServiceAccountToken('default', 'sa', spec), /expired and refresh failed: boom/);
  });

  it('forgets the tokens of a deleted pod', async () => {
    const clock = new ManualClock(T0);
    const m = new TokenManager(fake(clock).client, { clock });
    await m.getServiceAccountToken('default', 'sa', spec);
    assert.equal(m.size, 1);
    m.deleteServiceAccountToken('uid-1');
    assert.equal(m.size, 0);
  });
});
