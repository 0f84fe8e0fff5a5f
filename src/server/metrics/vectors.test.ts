import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { CounterVec, HistogramVec, MAX_SERIES } from './vectors.js';

/** The text prom-client's Registry writes for one metric. */
async function text(metric: object): Promise<string> {
  const r = new Registry();
  r.registerMetric(metric as Parameters<Registry['registerMetric']>[0]);
  return r.metrics();
}

describe('metric vectors', () => {
  it("write what prom-client's Counter and Histogram write for the same observations", async () => {
    const labels = ['code', 'verb'];
    const buckets = [0.005, 0.1, 1];
    const mine = { c: new CounterVec('requests_total', 'Requests.', labels), h: new HistogramVec('duration_seconds', 'Latency.', labels, buckets) };
    const theirs = { c: new Counter({ name: 'requests_total', help: 'Requests.', labelNames: labels, registers: [] }), h: new Histogram({ name: 'duration_seconds', help: 'Latency.', labelNames: labels, buckets, registers: [] }) };
    const seen: [string, string, number][] = [['200', 'GET', 0.001], ['200', 'GET', 0.05], ['404', 'GET', 2], ['201', 'POST', 0.1], ['200', 'GET', 0.1]];
    for (const [code, verb, v] of seen) {
      mine.c.inc([code, verb]);
      mine.h.observe([code, verb], v);
      theirs.c.inc({ code, verb });
      theirs.h.observe({ code, verb }, v);
    }
    assert.equal(await text(mine.c), await text(theirs.c));
    // The same but for where `le` stands: last, as Prometheus' Go client (and so kube-apiserver) writes it.
    const leLast = (t: string) => t.replace(/\{le="([^"]*)",([^}]*)\}/g, '{$2,le="$1"}');
    assert.equal(await text(mine.h), leLast(await text(theirs.h)));
  });

  it('writes labels in name order, whatever order they are given in', async () => {
    const c = new CounterVec('x_total', 'X.', ['verb', 'code']);
    c.inc(['GET', '200'], 2);
    assert.match(await text(c), /^x_total\{code="200",verb="GET"\} 2$/m);
  });

  it('records at most MAX_SERIES label sets', async () => {
    const c = new CounterVec('many_total', 'Many.', ['n']);
    for (let i = 0; i < MAX_SERIES + 5; i++) c.inc([String(i)]);
    assert.equal((await c.get()).values.length, MAX_SERIES);
  });
});
