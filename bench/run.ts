// `npm run bench`: every benchmark, each figure beside a baseline measured in the same run.
// Prints a report, and writes bench/results/latest.json and bench/results/latest.svg.
// `npm run bench -- quick` runs shorter measurements.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { haveH2load } from './h2load.js';
import { metricsCostBench } from './metrics.js';
import { fmt, progressDone } from './measure.js';
import { rbacBench } from './rbac.js';
import { accessBench, lintBench } from './access.js';
import { cachedGetBench, etcdBench } from './etcd.js';
import { scaleOutBench } from './scale-out.js';
import { chromiumMissing } from '../src/testing/chromium.js';
import { consoleBench } from './console.js';
import { customResourceBench, requestPathBench, startBench, tokenBench, watchBench, writesBench } from './scenarios.js';
import { barChart } from './svg.js';
import { haveWrk } from './wrk.js';

const OUT = join(process.cwd(), 'bench', 'results');
const MiB = 2 ** 20;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

async function main(): Promise<void> {
  if (!haveWrk() || !haveH2load()) {
    console.error('npm run bench needs wrk and h2load (Debian packages `wrk` and `nghttp2-client`): apt-get install -y wrk nghttp2-client');
    process.exit(1);
  }
  const noChromium = chromiumMissing();
  if (noChromium) {
    console.error(`npm run bench: ${noChromium}`);
    process.exit(1);
  }
  const quick = process.argv.includes('quick');
  const seconds = quick ? 2 : 5;
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };

  const request = await requestPathBench(seconds, quick ? 1000 : 10_000);
  const rbac = await rbacBench(quick ? [10, 1_000, 10_000] : [10, 1_000, 10_000, 100_000], quick ? 300 : 1000);
  const tokens = [await tokenBench('RS256', seconds), await tokenBench('ES256', seconds)];
  const start = await startBench(quick ? 3 : 5);
  const watch = await watchBench(1000, quick ? 20 : 50);
  const writes = await writesBench(seconds);
  const custom = await customResourceBench(seconds);
  const metricsCost = await metricsCostBench(quick ? 100_000 : 300_000);
  const access = await accessBench(100_000, quick ? 500 : 2000);
  const lintRow = lintBench(10_000, quick ? 3 : 5);
  const etcd = await etcdBench(seconds);
  const cachedGet = await cachedGetBench(seconds);
  const scaleOut = await scaleOutBench(seconds);
  const loads = quick ? 3 : 5;
  const consoleRow = await consoleBench(loads);
  progressDone();

  const lines: string[] = [];
  const say = (s = '') => lines.push(s);
  say(`Badge benchmarks on ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
  say();
  say('1. Request path: ServiceAccount JWT + RBAC GET of one object, HTTPS keep-alive (wrk, 16 connections)');
  say(`   Badge             ${fmt(request.badge.requestsPerSec).padStart(9)} req/s   p50 ${request.badge.p50ms.toFixed(2)} ms   p99 ${request.badge.p99ms.toFixed(2)} ms`);
  say(`   bare Node HTTPS   ${fmt(request.ceiling.requestsPerSec).padStart(9)} req/s   p50 ${request.ceiling.p50ms.toFixed(2)} ms   p99 ${request.ceiling.p99ms.toFixed(2)} ms`);
  const r1 = request.badge.requestsPerSec / request.ceiling.requestsPerSec;
  say(`   ratio ${r1.toFixed(2)} of the ceiling (goal ≥ 0.6: ${verdict(r1 >= 0.6)})`);
  say();
  say(`2. The same with ${request.policyObjects.toLocaleString('en-US')} Roles, RoleBindings and ClusterRoleBindings for other subjects`);
  say(`   Badge             ${fmt(request.withPolicy.requestsPerSec).padStart(9)} req/s   p50 ${request.withPolicy.p50ms.toFixed(2)} ms   p99 ${request.withPolicy.p99ms.toFixed(2)} ms`);
  const r2 = request.withPolicy.requestsPerSec / request.badge.requestsPerSec;
  say(`   ratio ${r2.toFixed(2)} of the figure without them (goal ≥ 0.9: ${verdict(r2 >= 0.9)})`);
  say();
  say('3. RBAC decisions per second (indexed vs a plain scan of every binding)');
  for (const r of rbac) say(`   ${r.bindings.toLocaleString('en-US').padStart(7)} bindings   Badge ${fmt(r.indexed.opsPerSec).padStart(10)}/s   plain scan ${fmt(r.scan.opsPerSec).padStart(10)}/s   ${fmt(r.indexed.opsPerSec / r.scan.opsPerSec)}×`);
  const flat = rbac[rbac.length - 1]!.indexed.opsPerSec / rbac[0]!.indexed.opsPerSec;
  say(`   Badge at the largest size runs at ${flat.toFixed(2)} of its rate at the smallest (goal flat: ${verdict(flat >= 0.8)})`);
  say();
  say('4. TokenRequest per second (wrk POST) beside signing the same claims with jose alone');
  for (const t of tokens) {
    const r = t.badge.requestsPerSec / t.jose.opsPerSec;
    say(`   ${t.alg}   Badge ${fmt(t.badge.requestsPerSec).padStart(8)}/s   jose ${fmt(t.jose.opsPerSec).padStart(8)}/s   ratio ${r.toFixed(2)} (goal ≥ 0.7: ${verdict(r >= 0.7)})`);
  }
  say();
  say('5. Start to /readyz (median), and resident memory');
  say(`   cold start ${start.coldMs.toFixed(0)} ms (goal < 500 ms: ${verdict(start.coldMs < 500)}), warm start ${start.warmMs.toFixed(0)} ms, beside ${start.nodeMs.toFixed(0)} ms to start and exit Node itself`);
  say(`   memory idle ${(request.rssIdleBytes / MiB).toFixed(0)} MiB (goal < 100 MB: ${verdict(request.rssIdleBytes < 100e6)}), after (2) ${(request.rssAfterPolicyBytes / MiB).toFixed(0)} MiB, beside ${(request.baselineRssBytes / MiB).toFixed(0)} MiB for the bare Node HTTPS server`);
  say();
  say(`6. Watch: ${watch.watchers.toLocaleString('en-US')} watchers, from a write's acknowledgement to its delivery to the last one`);
  say(`   p50 ${watch.badge.p50ms.toFixed(2)} ms   p99 ${watch.badge.p99ms.toFixed(2)} ms`);
  say();
  say('7. Writes: creates per second through the API beside raw inserts into the same SQLite file (synchronous=FULL)');
  const r7 = writes.badge.requestsPerSec / writes.sqlite.opsPerSec;
  say(`   Badge ${fmt(writes.badge.requestsPerSec)}/s   raw SQLite ${fmt(writes.sqlite.opsPerSec)}/s   ratio ${pct(r7)}`);
  say();
  say('8. Custom resources: GET and create of a custom resource beside the same for a ConfigMap (wrk, admin token)');
  for (const [what, r] of [['GET', custom.get], ['create', custom.create]] as const) {
    const ratio = r.custom.requestsPerSec / r.configMap.requestsPerSec;
    say(`   ${what.padEnd(6)} custom ${fmt(r.custom.requestsPerSec).padStart(8)}/s   ConfigMap ${fmt(r.configMap.requestsPerSec).padStart(8)}/s   ratio ${ratio.toFixed(2)} (goal ≥ 0.8: ${verdict(ratio >= 0.8)})`);
  }
  say();
  say('9. The GET of (1) over HTTP/2 beside HTTP/1.1 on the same port (h2load, 16 connections, one request at a time on each)');
  const { h2, h1 } = request.protocols;
  say(`   HTTP/2     ${fmt(h2.requestsPerSec).padStart(9)} req/s   mean ${h2.meanMs.toFixed(2)} ms`);
  say(`   HTTP/1.1   ${fmt(h1.requestsPerSec).padStart(9)} req/s   mean ${h1.meanMs.toFixed(2)} ms`);
  say(`   ratio ${(h2.requestsPerSec / h1.requestsPerSec).toFixed(2)} of HTTP/1.1`);
  say();
  say('10. Metrics on the request path: recording a GET (the measure filter and the timing Storage) in process, beside the same request without them');
  const recordingUs = Math.max(0, metricsCost.withMetricsUs - metricsCost.withoutUs);
  // The server answers on one thread: its time per GET of (1) is one second over its rate.
  const perGetUs = 1e6 / request.badge.requestsPerSec;
  const r10 = recordingUs / perGetUs;
  say(`   with ${metricsCost.withMetricsUs.toFixed(2)} µs   without ${metricsCost.withoutUs.toFixed(2)} µs   recording ${recordingUs.toFixed(2)} µs of the ${perGetUs.toFixed(0)} µs a GET of (1) takes: ${pct(r10)} (goal ≤ 5%: ${verdict(r10 <= 0.05)})`);
  say();
  say(`11. Access analysis over ${access.bindings.toLocaleString('en-US')} bindings, beside one RBAC decision by a plain scan of them all`);
  say(`   who-can list pods -n default   ${access.whoCanMs.toFixed(2)} ms (goal ≤ 100 ms: ${verdict(access.whoCanMs <= 100)})`);
  say(`   matrix of app-reader           ${access.matrixMs.toFixed(2)} ms (goal ≤ 50 ms: ${verdict(access.matrixMs <= 50)})`);
  say(`   one plain-scan decision        ${access.scanDecisionMs.toFixed(2)} ms`);
  say();
  say(`12. access lint over ${lintRow.objects.toLocaleString('en-US')} objects (${lintRow.findings.toLocaleString('en-US')} findings), beside building the policy from them and parsing them from YAML`);
  say(`   lint ${lintRow.lintMs.toFixed(0)} ms (goal ≤ 2,000 ms: ${verdict(lintRow.lintMs <= 2000)})   building the policy ${lintRow.policyMs.toFixed(0)} ms   YAML parse ${lintRow.yamlMs.toFixed(0)} ms`);
  say();
  say('13. etcd backend: creates per second through the API on etcd beside raw puts with the same client (npm etcd3, 16 in flight); a GET on etcd beside SQLite');
  const r13 = etcd.creates.badge.requestsPerSec / etcd.creates.raw.opsPerSec;
  say(`   creates   Badge ${fmt(etcd.creates.badge.requestsPerSec)}/s   raw etcd puts ${fmt(etcd.creates.raw.opsPerSec)}/s   ratio ${r13.toFixed(2)} (goal ≥ 0.5: ${verdict(r13 >= 0.5)})`);
  const r13g = etcd.get.etcd.requestsPerSec / etcd.get.sqlite.requestsPerSec;
  say(`   GET       on etcd ${fmt(etcd.get.etcd.requestsPerSec)}/s (p50 ${etcd.get.etcd.p50ms.toFixed(2)} ms)   on SQLite ${fmt(etcd.get.sqlite.requestsPerSec)}/s (p50 ${etcd.get.sqlite.p50ms.toFixed(2)} ms)   ratio ${r13g.toFixed(2)}`);
  const r13l = etcd.list.etcd.requestsPerSec / etcd.list.sqlite.requestsPerSec;
  say(`   LIST rv=0 on etcd (watch cache) ${fmt(etcd.list.etcd.requestsPerSec)}/s   on SQLite ${fmt(etcd.list.sqlite.requestsPerSec)}/s   ratio ${r13l.toFixed(2)} (goal ≥ 0.9: ${verdict(r13l >= 0.9)})`);
  const r13c = cachedGet.etcd.requestsPerSec / cachedGet.sqlite.requestsPerSec;
  say(`   GET rv=0  on etcd (watch cache) ${fmt(cachedGet.etcd.requestsPerSec)}/s (p50 ${cachedGet.etcd.p50ms.toFixed(2)} ms)   on SQLite ${fmt(cachedGet.sqlite.requestsPerSec)}/s (p50 ${cachedGet.sqlite.p50ms.toFixed(2)} ms)   ratio ${r13c.toFixed(2)} (goal ≥ 0.9: ${verdict(r13c >= 0.9)})`);
  say(`   1,000 watchers on etcd: write → last delivery p50 ${etcd.watch.badge.p50ms.toFixed(1)} ms   p99 ${etcd.watch.badge.p99ms.toFixed(1)} ms (goal ≤ 50 ms: ${verdict(etcd.watch.badge.p99ms <= 50)})`);
  say();
  say('14. Scale out on a 3-member etcd: creates per second through one and through three servers at once (16 connections each) beside raw puts with the same client (16 / 48 in flight); controller failover after kill -9 of the leader');
  const r14 = [scaleOut.one.badge / scaleOut.one.raw.opsPerSec, scaleOut.three.badge / scaleOut.three.raw.opsPerSec];
  say(`   one server      Badge ${fmt(scaleOut.one.badge)}/s   raw etcd puts ${fmt(scaleOut.one.raw.opsPerSec)}/s   ratio ${r14[0]!.toFixed(2)} (goal ≥ 0.5: ${verdict(r14[0]! >= 0.5)})`);
  say(`   three servers   Badge ${fmt(scaleOut.three.badge)}/s (${scaleOut.three.perServer.map((r) => fmt(r)).join(' + ')})   raw etcd puts ${fmt(scaleOut.three.raw.opsPerSec)}/s   ratio ${r14[1]!.toFixed(2)} (goal ≥ 0.5: ${verdict(r14[1]! >= 0.5)})`);
  say(`   watch fan-out   1,000 watchers, a third on each server, write → last delivery p50 ${scaleOut.fanOut.badge.p50ms.toFixed(1)} ms   p99 ${scaleOut.fanOut.badge.p99ms.toFixed(1)} ms (goal ≤ 50 ms: ${verdict(scaleOut.fanOut.badge.p99ms <= 50)}; one server on SQLite, row 6: p99 ${watch.badge.p99ms.toFixed(1)} ms)`);
  say(`   failover        lease taken ${(scaleOut.failover.leaseMs / 1000).toFixed(1)} s after the kill (lease duration 15 s: ${verdict(scaleOut.failover.leaseMs <= 15_000)}), a Deployment created at the kill got its ReplicaSet after ${(scaleOut.failover.replicaSetMs / 1000).toFixed(1)} s`);
  say();
  say(`15. The web console in headless Chromium, signed in as the admin (badge console --print-url), a cold browser context each load (median of ${loads}): navigation start to ready (the subjects listed and interactive)`);
  const lists = `the console's ${consoleRow.bindings.toLocaleString('en-US')}-binding LISTs (${(consoleRow.listsBytes / 1e6).toFixed(1)} MB) fetched and parsed from a page: ${fmt(consoleRow.listsMs)} ms`;
  if (consoleRow.ready) {
    const { ms, smallMs } = consoleRow.ready;
    say(`   ready with ${consoleRow.bindings.toLocaleString('en-US')} bindings ${fmt(ms)} ms (goal < 1,000 ms: ${verdict(ms < 1000)})   with ${consoleRow.smallBindings} bindings ${fmt(smallMs)} ms   ${lists}`);
  } else {
    say(`   NOT MEASURED: ${consoleRow.error}`);
    say(`   ${lists}`);
    process.exitCode = 1;
  }
  console.log(lines.join('\n'));

  mkdirSync(OUT, { recursive: true });
  const results = { date: new Date().toISOString(), machine, quick, request, rbac: rbac.map((r) => ({ bindings: r.bindings, indexedPerSec: r.indexed.opsPerSec, scanPerSec: r.scan.opsPerSec })), tokens, start, watch, writes, custom, metricsCost, access, lint: lintRow, etcd, cachedGet, scaleOut, console: consoleRow };
  writeFileSync(join(OUT, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(
    join(OUT, 'latest.svg'),
    barChart(
      'Badge beside its baselines (per second, log scale)',
      [
        { label: 'GET (JWT+RBAC)', values: [request.badge.requestsPerSec, request.ceiling.requestsPerSec] },
        { label: `GET, ${request.policyObjects / 1000}k policy`, values: [request.withPolicy.requestsPerSec, request.ceiling.requestsPerSec] },
        ...rbac.map((r) => ({ label: `RBAC ${r.bindings >= 1000 ? `${r.bindings / 1000}k` : r.bindings}`, values: [r.indexed.opsPerSec, r.scan.opsPerSec] })),
        ...tokens.map((t) => ({ label: `token ${t.alg}`, values: [t.badge.requestsPerSec, t.jose.opsPerSec] })),
        { label: 'creates', values: [writes.badge.requestsPerSec, writes.sqlite.opsPerSec] },
        { label: 'custom GET', values: [custom.get.custom.requestsPerSec, custom.get.configMap.requestsPerSec] },
        { label: 'custom create', values: [custom.create.custom.requestsPerSec, custom.create.configMap.requestsPerSec] },
        { label: 'GET over HTTP/2', values: [request.protocols.h2.requestsPerSec, request.protocols.h1.requestsPerSec] },
      ],
      ['Badge', 'baseline'],
    ),
  );
  console.log(`\nresults: bench/results/latest.json, bench/results/latest.svg`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
