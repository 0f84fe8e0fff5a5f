import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { PodStreams } from '../api/node-streams.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { R } from './client.js';
import { duplexPair, serviceDialer } from './service-dial.js';

/** A TCP server that answers every line with `name: line`. */
async function echo(name: string): Promise<Server> {
  const s = createServer((c) => c.on('data', (d) => c.write(`${name}: ${d}`)));
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return s;
}

const portOf = (s: Server) => (s.address() as AddressInfo).port;

async function roundTrip(d: Duplex, text: string): Promise<string> {
  d.write(text);
  const [chunk] = await once(d, 'data');
  d.destroy();
  return String(chunk);
}

/** A port that nothing listens on. */
async function closedPort(): Promise<number> {
  const s = await echo('x');
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

describe('serviceDialer', () => {
  let c: TestCluster;
  let a: Server;
  let b: Server;
  before(async () => {
    c = await testCluster();
    a = await echo('a');
    b = await echo('b');
  });
  after(async () => {
    a.close();
    b.close();
    await c.close();
  });

  const service = (name: string, ports: { name?: string; port: number }[]) =>
    c.client.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: ports.map((p) => ({ ...p, protocol: 'TCP' })) } });
  const endpoints = (name: string, subsets: object[]) => c.client.create(R.endpoints, 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets } as never);

  it('answers kube-apiserver texts when nothing can serve', async () => {
    const dial = serviceDialer({ client: c.client, podStreams: () => undefined });
    await assert.rejects(dial('default', 'nope', 443), { code: 404, message: 'service "nope" not found' });
    await service('empty', [{ port: 443 }]);
    await assert.rejects(dial('default', 'empty', 8443), { code: 503, message: 'no service port 8443 found for service "empty"' });
    await assert.rejects(dial('default', 'empty', 443), { code: 404, message: 'endpoints "empty" not found' });
    await endpoints('empty', []);
    await assert.rejects(dial('default', 'empty', 443), { code: 503, reason: 'ServiceUnavailable', message: 'no endpoints available for service "empty"' });
  });

  it('reaches the address serving the port of the same name, chosen at random', async () => {
    await service('web', [{ name: 'http', port: 80 }, { name: 'https', port: 443 }]);
    await endpoints('web', [
      { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'http', port: 1, protocol: 'TCP' }, { name: 'https', port: portOf(a), protocol: 'TCP' }] },
      { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: portOf(b), protocol: 'TCP' }] },
      { notReadyAddresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 2, protocol: 'TCP' }] },
    ]);
    assert.equal(await roundTrip(await serviceDialer({ client: c.client, podStreams: () => undefined, random: () => 0 })('default', 'web', 443), 'hi'), 'a: hi');
    assert.equal(await roundTrip(await serviceDialer({ client: c.client, podStreams: () => undefined, random: () => 0.99 })('default', 'web', 443), 'hi'), 'b: hi');
  });

  it('says what Go says when the address refuses', async () => {
    const port = await closedPort();
    await service('gone', [{ port: 443 }]);
    await endpoints('gone', [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port, protocol: 'TCP' }] }]);
    await assert.rejects(serviceDialer({ client: c.client, podStreams: () => undefined })('default', 'gone', 443), {
      message: `dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it("reaches a pod's port through the node agent's port forwarding", async () => {
    const refused = await closedPort();
    const forwarded: string[] = [];
    // The node agent's side, as the process runtime does it: the pod's port on the host's loopback.
    const streams = {
      portForward: async (namespace: string, pod: string) => {
        if (pod === 'not-here') throw new Error('pod not-here is on node other');
        return async (port: number, stream: Duplex) => {
          forwarded.push(`${namespace}/${pod}:${port}`);
          const { connect } = await import('node:net');
          const s = connect(port, '127.0.0.1');
          await new Promise<void>((resolve, reject) => {
            s.once('connect', () => {
              stream.pipe(s);
              s.pipe(stream);
              stream.once('close', () => s.destroy());
              s.once('close', resolve);
            });
            s.once('error', reject);
          });
        };
      },
    } as unknown as PodStreams;
    await service('hook', [{ name: 'https', port: 443 }]);
    const pod = (name: string) => ({ ip: '10.244.0.9', targetRef: { kind: 'Pod', namespace: 'default', name } });
    await endpoints('hook', [{ addresses: [pod('hook-0')], ports: [{ name: 'https', port: portOf(a), protocol: 'TCP' }] }]);
    const dial = serviceDialer({ client: c.client, podStreams: () => streams });
    assert.equal(await roundTrip(await dial('default', 'hook', 443), 'hello'), 'a: hello');
    assert.deepEqual(forwarded, [`default/hook-0:${portOf(a)}`]);

    await c.client.mutate(R.endpoints, 'default', 'hook', (e) => {
      e.subsets = [{ addresses: [pod('hook-0')], ports: [{ name: 'https', port: refused, protocol: 'TCP' }] }];
      return e;
    });
    const d = await dial('default', 'hook', 443);
    const [err] = await once(d, 'error');
    assert.equal((err as Error).message, `dial tcp 10.244.0.9:${refused}: connect: connection refused`);

    await c.client.mutate(R.endpoints, 'default', 'hook', (e) => {
      e.subsets = [{ addresses: [pod('not-here')], ports: [{ name: 'https', port: portOf(a), protocol: 'TCP' }] }];
      return e;
    });
    await assert.rejects(dial('default', 'hook', 443), { message: `dial tcp 10.244.0.9:${portOf(a)}: connect: connection refused` });
    await assert.rejects(serviceDialer({ client: c.client, podStreams: () => undefined })('default', 'hook', 443), { message: /connection refused$/ });
  });
});

/** What a stream gives until it ends (iterating it would destroy it, and so its peer). */
async function readAll(d: Duplex): Promise<Buffer> {
  const chunks: Buffer[] = [];
  d.on('data', (c: Buffer) => chunks.push(c));
  await once(d, 'end');
  return Buffer.concat(chunks);
}

describe('duplexPair', () => {
  it('carries both ways, with backpressure, and ends', async () => {
    const [x, y] = duplexPair();
    const big = Buffer.alloc(1 << 20, 7);
    assert.equal(x.write(big), false, 'the writer is told to wait while nothing reads');
    x.end(big);
    assert.equal((await readAll(y)).length, 2 * big.length);
    y.end('back');
    assert.equal((await readAll(x)).toString(), 'back');
  });

  it('closes the other side when one is destroyed', async () => {
    const [x, y] = duplexPair();
    x.destroy();
    await once(y, 'close');
    assert.ok(y.destroyed);
  });
});
