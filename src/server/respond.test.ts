import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { notFound } from '../api/errors.js';
import { serviceAccount } from '../registry/schemas/core.js';
import { listMeta, status } from '../registry/schemas/meta.js';
import { encodeListItems, encodeListMeta, encodeObject, listBody } from './protobuf-encode.js';
import { isPretty, writeError, writeItems, writeJson, writeList } from './respond.js';

/** The body a handler writes, fetched over real HTTP. */
async function reply(handler: (res: ServerResponse) => Promise<void> | void, path = '/'): Promise<string> {
  return (await fetchReply(handler, path)).body.toString();
}

async function fetchReply(handler: (res: ServerResponse) => Promise<void> | void, path = '/', headers: Record<string, string> = {}) {
  const server = createServer((_req, res) => void handler(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await new Promise<{ body: Buffer; type: string | undefined; code: number | undefined }>((resolve, reject) => {
      get(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ body: Buffer.concat(chunks), type: res.headers['content-type'], code: res.statusCode }));
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

  it('a short list is written at once, with the bytes of the whole', async () => {
    const short = { ...list, items: list.items.slice(0, 3) };
    for (const path of ['/', '/?pretty=true']) assert.equal(await reply((res) => writeList(res, 200, short, 'items'), path), await reply((res) => writeJson(res, 200, short), path));
  });

  /** What `write` sends of a 20 MB list to a client that reads nothing for 500 ms, then everything; and whether it had finished by then. */
  async function slowlyRead(write: (res: ServerResponse) => Promise<void>): Promise<Buffer> {
    let finished = false;
    let out: ServerResponse | undefined;
    const server = createServer((_req, res) => {
      out = res;
      void write(res).then(() => (finished = true));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const body = await new Promise<Buffer>((resolve, reject) => {
        get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (res) => {
          res.pause();
          setTimeout(() => {
            // What was written (buffered or sent) is the sockets' buffers' worth.
            const written = out!.socket!.bytesWritten;
            if (finished || written > 10_000_000) reject(new Error(`${written} bytes written, ${finished ? '' : 'not '}finished`));
            const chunks: Buffer[] = [];
            res.on('data', (d) => chunks.push(d));
            res.on('end', () => resolve(Buffer.concat(chunks)));
            res.resume();
          }, 500);
        }).on('error', reject);
      });
      assert.equal(finished, true);
      return body;
    } finally {
      server.close();
    }
  }

  it('a large list goes out as fast as the client takes it: one that does not read holds a part, not the whole', async () => {
    const big = { ...list, items: Array.from({ length: 2000 }, (_, i) => ({ metadata: { name: `cm-${i}` }, data: { k: 'x'.repeat(10_000) } })) };
    assert.equal((await slowlyRead((res) => writeList(res, 200, big, 'items'))).toString(), await reply((res) => writeJson(res, 200, big)));
  });

  it('a large protobuf list is made whole, and goes out as fast as the client takes it', async () => {
    const sas = { kind: 'ServiceAccountList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: Array.from({ length: 2000 }, (_, i) => ({ metadata: { name: `sa-${i}`, annotations: { k: 'x'.repeat(10_000) } } })) };
    const whole = Buffer.concat(listBody('v1', 'ServiceAccountList', [encodeListMeta(sas.metadata, listMeta), encodeListItems(sas.items, serviceAccount)]));
    assert.deepEqual(await slowlyRead((res) => writeItems(res, 200, sas, 'protobuf', serviceAccount)), whole);
  });

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

  it('a protobuf list is made a few hundred items at a time, and has the bytes of the whole', async () => {
    const sas = { kind: 'ServiceAccountList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: Array.from({ length: 1000 }, (_, i) => ({ metadata: { name: `sa-${i}` } })) };
    let unfinishedAfterATurn = false;
    const got = await fetchReply((res) => {
      let finished = false;
      const writing = writeItems(res, 200, sas, 'protobuf', serviceAccount).then(() => void (finished = true));
      setImmediate(() => (unfinishedAfterATurn = !finished));
      return writing;
    });
    const whole = Buffer.concat(listBody('v1', 'ServiceAccountList', [encodeListMeta(sas.metadata, listMeta), encodeListItems(sas.items, serviceAccount)]));
    assert.equal(got.type, 'application/vnd.kubernetes.protobuf');
    assert.deepEqual(got.body, whole);
    assert.ok(unfinishedAfterATurn, 'other work runs in between');
  });

  it('writes an error as a protobuf Status when Accept asks for it, and as indented JSON when nothing in Accept fits', async () => {
    const err = notFound({ group: '', resource: 'serviceaccounts' }, 'x');
    const pb = await fetchReply((res) => writeError(res, err), '/', { Accept: 'application/vnd.kubernetes.protobuf, application/json' });
    assert.equal(pb.code, 404);
    assert.equal(pb.type, 'application/vnd.kubernetes.protobuf');
    assert.deepEqual(pb.body, encodeObject(err.toStatus(), status));
    const raw = await fetchReply((res) => writeError(res, err), '/', { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.equal(raw.type, 'application/json');
    assert.equal(raw.body.toString(), JSON.stringify(err.toStatus(), null, 2));
    const yaml = await fetchReply((res) => writeError(res, err), '/', { Accept: 'application/yaml' });
    assert.equal(yaml.type, 'application/yaml');
    assert.ok(yaml.body.toString().includes('kind: Status\n') && yaml.body.toString().includes('code: 404\n'), yaml.body.toString());
  });
});
