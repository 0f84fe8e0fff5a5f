import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { serveHealth, type HealthCheck } from './system.js';

/** What serveHealth writes: status and body. */
function call(path: string, checks: HealthCheck[]): { status: number; body: string } {
  const out = { status: 0, body: '' };
  const res = { setHeader() {}, set statusCode(c: number) { out.status = c; }, end(b: string) { out.body = b; } } as unknown as ServerResponse;
  const url = new URL(path, 'https://x');
  assert.equal(serveHealth(url.pathname, url.searchParams, res, checks), true);
  return out;
}

describe('health endpoints', () => {
  const checks: HealthCheck[] = [
    { name: 'ping', problem: () => undefined },
    { name: 'informer-sync', problem: () => 'informers not started yet', readinessOnly: true },
  ];

  it('lists every check on failure, withholding the reason; live checks stay passing', () => {
    assert.deepEqual(call('/readyz', checks), { status: 500, body: '[+]ping ok\n[-]informer-sync failed: reason withheld\nreadyz check failed\n' });
    assert.deepEqual(call('/livez', checks), { status: 200, body: 'ok' });
    assert.deepEqual(call('/readyz?exclude=informer-sync', checks), { status: 200, body: 'ok' });
  });

  it('gives the reason of one failing check asked for by its path', () => {
    assert.deepEqual(call('/readyz/informer-sync', checks), { status: 500, body: 'internal server error: informers not started yet\n' });
    assert.deepEqual(call('/readyz/ping', checks), { status: 200, body: 'ok' });
  });
});
