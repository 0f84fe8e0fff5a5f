// `npm run bench`: every benchmark, each figure beside a baseline measured in the same run.
// Writes bench/results/latest.json and bench/results/latest.svg.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fmt, progressDone } from './measure.js';
import { rbacBench } from './rbac.js';
import { barChart } from './svg.js';

const OUT = join(process.cwd(), 'bench', 'results');

async function main(): Promise<void> {
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const rbac = await rbacBench();
  progressDone();

  console.log(`Badge benchmarks on ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}\n`);
  console.log('RBAC decisions per second (a ServiceAccount allowed by a RoleBinding; the other bindings name other subjects)');
  console.log('bindings      indexed (Badge)    plain scan    indexed / scan');
  for (const r of rbac) {
    console.log(`${r.bindings.toLocaleString('en-US').padStart(8)}   ${fmt(r.indexed.opsPerSec).padStart(16)}   ${fmt(r.scan.opsPerSec).padStart(11)}   ${fmt(r.indexed.opsPerSec / r.scan.opsPerSec).padStart(14)}×`);
  }
  const flat = rbac[rbac.length - 1]!.indexed.opsPerSec / rbac[0]!.indexed.opsPerSec;
  console.log(`indexed at ${rbac[rbac.length - 1]!.bindings.toLocaleString('en-US')} bindings runs at ${fmt(flat)} of its rate at ${rbac[0]!.bindings} (goal: flat)\n`);

  mkdirSync(OUT, { recursive: true });
  const results = { date: new Date().toISOString(), machine, rbac: rbac.map((r) => ({ bindings: r.bindings, indexedPerSec: r.indexed.opsPerSec, scanPerSec: r.scan.opsPerSec })) };
  writeFileSync(join(OUT, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(
    join(OUT, 'latest.svg'),
    barChart('RBAC decisions per second (log scale)', rbac.map((r) => ({ label: `${r.bindings.toLocaleString('en-US')} bindings`, values: [r.indexed.opsPerSec, r.scan.opsPerSec] })), ['Badge (indexed)', 'plain scan']),
  );
  console.log(`results: ${join('bench', 'results', 'latest.json')}, ${join('bench', 'results', 'latest.svg')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
