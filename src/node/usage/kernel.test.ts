import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  cgroupWorkingSet,
  containerSample,
  hostSample,
  parseCgroupCpu,
  parseCgroupPath,
  parseHostCpu,
  parseHostMemory,
  parseProcStat,
  parseStatusRss,
  processTreeSample,
} from './kernel.js';

// Fixture texts in the kernel's formats (fs/proc/array.c, fs/proc/stat.c, meminfo.c, cgroup v2).
const STAT = (pid: number, comm: string, ppid: number, utime: number, stime: number, cutime: number, cstime: number) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194304 120 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 1 0 5631 2293760 221 18446744073709551615 1 1 0 0 0 0 0 0 65536 0 0 0 17 1 0 0 0 0 0\n`;
const STATUS = (kb: number | undefined) => `Name:\tsh\nState:\tS (sleeping)\nPid:\t10\n${kb === undefined ? '' : `VmRSS:\t    ${kb} kB\n`}Threads:\t1\n`;

describe('kernel figures', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reads CPU time and the parent from /proc/<pid>/stat, whatever the command name holds', () => {
    assert.deepEqual(parseProcStat(STAT(42, 'sh', 1, 150, 50, 7, 3)), { ppid: 1, cpuNs: 2_100_000_000 });
    assert.deepEqual(parseProcStat(STAT(43, 'a) (b c', 42, 1, 0, 0, 0)), { ppid: 42, cpuNs: 10_000_000 });
    assert.equal(parseProcStat('43 (x'), undefined);
    assert.equal(parseProcStat('43 (x) S 1 2'), undefined);
  });

  it('reads VmRSS from /proc/<pid>/status (none for a kernel thread)', () => {
    assert.equal(parseStatusRss(STATUS(2048)), 2048 * 1024);
    assert.equal(parseStatusRss(STATUS(undefined)), 0);
  });

  it("reads the host's busy CPU time and working set", () => {
    const stat = 'cpu  100 20 30 5000 40 5 6 7 8 9\ncpu0 50 10 15 2500 20 2 3 3 4 4\nintr 1 2 3\n';
    // user + nice + system + irq + softirq + steal ticks; idle and iowait are not busy.
    assert.equal(parseHostCpu(stat), (100 + 20 + 30 + 5 + 6 + 7) * 10_000_000);
    assert.equal(parseHostCpu('intr 1\n'), undefined);
    const meminfo = 'MemTotal:        8000000 kB\nMemFree:          100000 kB\nMemAvailable:    6000000 kB\nBuffers:  1 kB\n';
    assert.equal(parseHostMemory(meminfo), 2_000_000 * 1024);
    assert.equal(parseHostMemory('MemTotal: 1 kB\n'), undefined);
  });

  it('reads cgroup v2 paths, cpu.stat and the working set (memory.current less inactive_file)', () => {
    assert.equal(parseCgroupPath('12:cpu:/x\n0::/kubepods/pod1/c1\n'), '/kubepods/pod1/c1');
    assert.equal(parseCgroupPath('12:cpu:/x\n'), undefined);
    assert.equal(parseCgroupCpu('usage_usec 123456\nuser_usec 100000\nsystem_usec 23456\n'), 123_456_000);
    assert.equal(parseCgroupCpu('nr_periods 0\n'), undefined);
    assert.equal(cgroupWorkingSet('10485760\n', 'anon 4096\nactive_file 1048576\ninactive_file 2097152\n'), 10485760 - 2097152);
    assert.equal(cgroupWorkingSet('1000\n', 'inactive_file 4096\n'), 0);
    assert.equal(cgroupWorkingSet('', ''), undefined);
  });

  /** A fake /proc with the given processes (pid → [ppid, ticks, rss kB, children]). */
  function fakeProc(procs: Record<number, [number, number, number, number[]]>, extra: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'badge-proc-'));
    dirs.push(dir);
    for (const [pid, [ppid, ticks, kb, children]] of Object.entries(procs)) {
      mkdirSync(join(dir, pid, 'task', pid), { recursive: true });
      writeFileSync(join(dir, pid, 'stat'), STAT(Number(pid), 'sh', ppid, ticks, 0, 0, 0));
      writeFileSync(join(dir, pid, 'status'), STATUS(kb));
      writeFileSync(join(dir, pid, 'task', pid, 'children'), children.map((c) => `${c} `).join(''));
      writeFileSync(join(dir, pid, 'cgroup'), '0::/badge.service\n');
    }
    for (const [path, text] of Object.entries(extra)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  it("sums a container's process tree: process 1 and its descendants, not its parent", async () => {
    const proc = fakeProc({ 9: [1, 999, 999, [10]], 10: [9, 100, 1000, [11, 12]], 11: [10, 50, 500, []], 12: [10, 25, 200, [13]], 13: [12, 5, 100, []] });
    assert.deepEqual(await processTreeSample(10, proc), { cpuNs: 180 * 10_000_000, memoryBytes: 1800 * 1024 });
    assert.equal(await processTreeSample(77, proc), undefined);
    // In the server's own cgroup: the process tree.
    assert.deepEqual(await containerSample(12, '/badge.service', proc), { cpuNs: 30 * 10_000_000, memoryBytes: 300 * 1024 });
  });

  it("reads a container's own cgroup when it has one", async () => {
    const cgroups = mkdtempSync(join(tmpdir(), 'badge-cgroup-'));
    dirs.push(cgroups);
    mkdirSync(join(cgroups, 'pods', 'c1'), { recursive: true });
    writeFileSync(join(cgroups, 'pods', 'c1', 'cpu.stat'), 'usage_usec 2500000\n');
    writeFileSync(join(cgroups, 'pods', 'c1', 'memory.current'), '8192000\n');
    writeFileSync(join(cgroups, 'pods', 'c1', 'memory.stat'), 'inactive_file 4096000\n');
    const proc = fakeProc({ 10: [9, 100, 1000, []] });
    writeFileSync(join(proc, '10', 'cgroup'), '0::/pods/c1\n');
    assert.deepEqual(await containerSample(10, '/badge.service', proc, cgroups), { cpuNs: 2_500_000_000, memoryBytes: 4_096_000 });
  });

  it('reads the host from /proc/stat and /proc/meminfo', async () => {
    const proc = fakeProc({}, { stat: 'cpu  1 0 1 10 0 0 0 0 0 0\n', meminfo: 'MemTotal: 4 kB\nMemAvailable: 1 kB\n' });
    assert.deepEqual(await hostSample(proc), { cpuNs: 20_000_000, memoryBytes: 3072 });
    assert.equal(await hostSample(join(proc, 'nothing')), undefined);
  });
});
