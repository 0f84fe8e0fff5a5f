// The worst requests a client may send never stall the server: while each runs, a /readyz on
// another connection answers within 100 ms. The server runs as its own process, so what is
// measured is its event loop, not this test's; `npm test` runs this file alone, after the others
// (the `.alone.test` suffix), so other tests do not compete for the CPU.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBadgeProcess, type BadgeProcess } from '../e2e/harness.js';

const LIMIT_MS = 100;
const OBJECTS = 3000;

describe('hardening: the event loop stays responsive', () => {
  let b: BadgeProcess;
  let dataDir: string;
  let probeAgent: Agent;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'badge-loop-'));
    b = await startBadgeProcess(dataDir);
    probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    await b.api('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'big' } }));
    const value = 'v'.repeat(900);
    for (let i = 0; i < OBJECTS; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => b.api('POST', '/api/v1/namespaces/big/configmaps', JSON.stringify({ metadata: { name: `cm-${i + j}`, labels: { n: String(i + j) } }, data: { value } }))),
      );
    }
  });
  after(async () => {
    probeAgent?.destroy();
    await b?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** One /readyz on the probe's own connection; its latency in ms. */
  function probe(): Promise<number> {
    const pem = (f: string) => readFileSync(join(dataDir, 'pki', f), 'utf8');
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(`${b.url}/readyz`, { agent: probeAgent, ca: pem('ca.crt'), cert: pem('admin.crt'), key: pem('admin.key') }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Runs `work` while probing every 10 ms; the slowest probe's latency. */
  async function slowestProbeDuring(work: () => Promise<unknown>): Promise<number> {
    await probe(); // the connection is open before the work starts
    let done = false;
    let slowest = 0;
    const probing = (async () => {
      while (!done) {
        slowest = Math.max(slowest, await probe());
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await work();
    done = true;
    await probing;
    return slowest;
  }

  // Bodies are made before the probing starts: only the server's work is measured.
  const huge = JSON.stringify({ metadata: { name: 'huge' }, data: Object.fromEntries(Array.from({ length: 30000 }, (_, i) => [`k${i}`, 'x'.repeat(90)])) });
  const unknown = JSON.stringify({ metadata: { name: 'unknown' }, ...Object.fromEntries(Array.from({ length: 100000 }, (_, i) => [`u${i}`, 1])) });
  const deep = `{"metadata":{"name":"deep"},"data":${'['.repeat(999)}${']'.repeat(999)}}`;
  const deeper = `{"metadata":{"name":"deeper"},"data":${'{"a":'.repeat(100000)}1${'}'.repeat(100000)}}`;
  const stored = JSON.stringify({ metadata: { name: 'stored' }, data: Object.fromEntries(Array.from({ length: 9000 }, (_, i) => [`k${i}`, 'z'.repeat(90)])) });
  const finalizers = (from: number) => JSON.stringify({ metadata: { finalizers: Array.from({ length: 16000 }, (_, i) => `example.com/f${from + i}`) } });
  const [firstFinalizers, moreFinalizers] = [finalizers(0), finalizers(16000)];
  const copyBomb = JSON.stringify([{ op: 'add', path: '/data', value: { a: 'x'.repeat(1000) } }, ...Array.from({ length: 40 }, (_, i) => ({ op: 'copy', from: '/data', path: `/metadata/annotations/c${i}` }))]);
  const yamlBody = `metadata:\n  name: yaml\ndata:\n${Array.from({ length: 30000 }, (_, i) => `  k${i}: ${'y'.repeat(90)}`).join('\n')}\n`;
  /** The /openapi/v3 root, then every document it names (as kubectl's first explain reads them). */
  const openApiV3 = async () => {
    const root = (await b.api('GET', '/openapi/v3')).json as { paths: Record<string, { serverRelativeURL: string }> };
    for (const { serverRelativeURL } of Object.values(root.paths)) await b.api('GET', serverRelativeURL);
    return root;
  };
  const crd = JSON.stringify({
    metadata: { name: 'widgets.loop.example.com' },
    spec: { group: 'loop.example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, { type: 'string', description: 'd'.repeat(50) }])) } } } } }] },
  });
  const cases: [string, () => Promise<unknown>][] = [
    ['the first OpenAPI v3 root and every document', openApiV3],
    ['a CustomResourceDefinition created, then the OpenAPI v3 documents', async () => {
      await b.api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
      while (!(await openApiV3()).paths['apis/loop.example.com/v1']) await new Promise((r) => setTimeout(r, 20));
    }],
    [`a LIST of ${OBJECTS} objects`, () => b.api('GET', '/api/v1/namespaces/big/configmaps')],
    [`the same LIST as a Table`, () => b.api('GET', '/api/v1/namespaces/big/configmaps', undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })],
    [`the same LIST in protobuf`, () => b.api('GET', '/api/v1/namespaces/big/configmaps', undefined, { Accept: 'application/vnd.kubernetes.protobuf' })],
    ['a LIST with a label selector over every object', () => b.api('GET', '/api/v1/namespaces/big/configmaps?labelSelector=n%20in%20(1,2,3)')],
    [`a WATCH that sends ${OBJECTS} initial events`, () => b.api('GET', '/api/v1/namespaces/big/configmaps?watch=1&timeoutSeconds=1')],
    [`the same WATCH in protobuf`, () => b.api('GET', '/api/v1/namespaces/big/configmaps?watch=1&timeoutSeconds=1', undefined, { Accept: 'application/vnd.kubernetes.protobuf' })],
    ['a 3 MiB ConfigMap', () => b.api('POST', '/api/v1/namespaces/big/configmaps', huge)],
    ['a body of 100,000 unknown fields', () => b.api('POST', '/api/v1/namespaces/big/configmaps', unknown)],
    ['a body nested 999 deep, and one nested 100,000 deep', () => Promise.all([b.api('POST', '/api/v1/namespaces/big/configmaps', deep), b.api('POST', '/api/v1/namespaces/big/configmaps', deeper)])],
    ['a ConfigMap of 900 KiB, stored and returned', () => b.api('POST', '/api/v1/namespaces/big/configmaps', stored)],
    ['strategic merge patches adding 16,000 finalizers to 16,000', async () => {
      for (const body of [firstFinalizers, moreFinalizers]) await b.api('PATCH', '/api/v1/namespaces/big/configmaps/cm-2', body, { 'Content-Type': 'application/strategic-merge-patch+json' });
    }],
    ['a JSON patch of many copies', () => b.api('PATCH', '/api/v1/namespaces/big/configmaps/cm-1', copyBomb, { 'Content-Type': 'application/json-patch+json' })],
    ['a YAML body of 3 MiB', () => b.api('POST', '/api/v1/namespaces/big/configmaps', yamlBody, { 'Content-Type': 'application/yaml' })],
  ];

  for (const [name, work] of cases) {
    it(name, async (t) => {
      const slowest = await slowestProbeDuring(work);
      t.diagnostic(`slowest /readyz: ${Math.round(slowest)} ms`);
      assert.ok(slowest < LIMIT_MS, `a /readyz took ${Math.round(slowest)} ms`);
    });
  }
});
