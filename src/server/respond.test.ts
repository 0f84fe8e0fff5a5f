import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { isPretty, writeJson, writeList } from './respond.js';

/** The body a handler writes, fetched over real HTTP. */
async function reply(handler: (res: ServerResponse) => Promise<void> | void, path = '/'): Promise<string> {
  const server = createServer((_req, res) => void handler(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await new Promise((resolve, reject) => {
      get(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, (res) => {
        let t = '';
        res.on('data', (d) => (t += d));
        res.on('end', () => resolve(t));
      }).on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('replies', () => {
  const list = { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: Array.from({ length: 1000 }, (_, i) => ({ metadata: { name: `cm-${i}` }, data: { page: '<b>&</b>', n: String(i) } })) };

  for (const path of ['/', '/?pretty=true']) {
    it(`a list written in steps has the bytes of the whole (${path})`, async () => {
      const whole = await reply((res) => writeJson(res, 200, list), path);
      const stepped = await reply((res) => writeList(res, 200, list, 'items'), path);
      assert.equal(stepped, whole);
      assert.ok(whole.includes('\\u003cb\\u003e\\u0026\\u003c/b\\u003e'), 'HTML-safe, as Go escapes it');
    });
  }

  it('is indented for ?pretty=true, curl, Wget and browsers, unless ?pretty=false', () => {
    const req = (url: string, agent = '') => ({ url, headers: { 'user-agent': agent } }) as IncomingMessage;
    assert.equal(isPretty(req('/api?pretty=true')), true);
    assert.equal(isPretty(req('/api?pretty=1')), true);
    assert.equal(isPretty(req('/api', 'curl/8.1')), true);
    assert.equal(isPretty(req('/api', 'Wget/1.21')), true);
    assert.equal(isPretty(req('/api', 'Mozilla/5.0 (X11)')), true);
    assert.equal(isPretty(req('/api?pretty=false', 'curl/8.1')), false);
    assert.equal(isPretty(req('/api?pretty=', 'curl/8.1')), true);
    assert.equal(isPretty(req('/api', 'kubectl/v1.32.0')), false);
    assert.equal(isPretty(req('/api?pretty=yes')), false);
  });
});
