// What the kernel says a container or the host has used: cumulative CPU time and the memory
// working set, read from cgroup v2 files or /proc. The parsers take the files' text (tested
// against fixtures); the readers use node:fs/promises, so a sample never blocks the event loop.
import { readdir, readFile } from 'node:fs/promises';

/** One reading: CPU time used so far (ns) and the working set now (bytes). */
export interface KernelSample {
  cpuNs: number;
  memoryBytes: number;
}

/** USER_HZ: /proc reports CPU times in clock ticks of 1/100 s on every Linux architecture. */
const USER_HZ = 100;
const NS_PER_TICK = 1e9 / USER_HZ;
/** At most this many processes are read for one container (a fork bomb costs the sampler nothing more). */
export const MAX_PROCESSES = 512;

/** /proc/<pid>/stat: the parent and the CPU time of the process and of its waited-for children, in ns. */
export function parseProcStat(text: string): { ppid: number; cpuNs: number } | undefined {
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const at = text.lastIndexOf(')');
  if (at < 0) return undefined;
  const f = text.slice(at + 2).trim().split(/\s+/);
  // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
  const ticks = [11, 12, 13, 14].map((i) => Number(f[i]));
  if (f.length < 15 || ticks.some((t) => !Number.isFinite(t))) return undefined;
  return { ppid: Number(f[1]), cpuNs: ticks.reduce((a, b) => a + b, 0) * NS_PER_TICK };
}

/** /proc/<pid>/status VmRSS in bytes (0 for a kernel thread or a zombie, which have none). */
export function parseStatusRss(text: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** /proc/stat: the host's busy CPU time in ns (user, nice, system, irq, softirq, steal; guest time is within user). */
export function parseHostCpu(text: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((n) => !Number.isFinite(n))) return undefined;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) * NS_PER_TICK;
}

/** /proc/meminfo: the host's working set, MemTotal − MemAvailable, in bytes. */
export function parseHostMemory(text: string): number | undefined {
  const kb = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  return total === undefined || available === undefined ? undefined : Math.max(0, total - available);
}

/** /proc/<pid>/cgroup: the process's cgroup v2 path (the `0::` line), or undefined on cgroup v1 only. */
export function parseCgroupPath(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith('0::'));
  return line ? line.slice(3).trim() : undefined;
}

/** A cgroup v2 `cpu.stat`: usage_usec in ns. */
export function parseCgroupCpu(text: string): number | undefined {
  const m = /^usage_usec (\d+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}

/** A cgroup's working set as the kubelet (cAdvisor) reports it: memory.current − inactive_file, not below 0. */
export function cgroupWorkingSet(current: string, stat: string): number | undefined {
  const used = Number(current.trim());
  if (!Number.isFinite(used) || current.trim() === '') return undefined;
  const m = /^inactive_file (\d+)$/m.exec(stat);
  return Math.max(0, used - (m ? Number(m[1]) : 0));
}

const read = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined);

/** The host: /proc/stat and /proc/meminfo. */
export async function hostSample(proc = '/proc'): Promise<KernelSample | undefined> {
  const [stat, meminfo] = await Promise.all([read(`${proc}/stat`), read(`${proc}/meminfo`)]);
  const cpuNs = stat === undefined ? undefined : parseHostCpu(stat);
  const memoryBytes = meminfo === undefined ? undefined : parseHostMemory(meminfo);
  return cpuNs === undefined || memoryBytes === undefined ? undefined : { cpuNs, memoryBytes };
}

/** A cgroup v2 directory's usage, or undefined when its files cannot be read. */
export async function cgroupSample(dir: string): Promise<KernelSample | undefined> {
  const [cpu, current, stat] = await Promise.all([read(`${dir}/cpu.stat`), read(`${dir}/memory.current`), read(`${dir}/memory.stat`)]);
  const cpuNs = cpu === undefined ? undefined : parseCgroupCpu(cpu);
  const memoryBytes = current === undefined ? undefined : cgroupWorkingSet(current, stat ?? '');
  return cpuNs === undefined || memoryBytes === undefined ? undefined : { cpuNs, memoryBytes };
}

/** The children of every thread of `pid` (/proc/<pid>/task/<tid>/children). */
async function childrenOf(pid: number, proc: string): Promise<number[]> {
  const tasks = await readdir(`${proc}/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((t) => read(`${proc}/${pid}/task/${t}/children`)));
  return lists.flatMap((l) => (l ?? '').split(/\s+/).filter(Boolean).map(Number));
}

/**
 * The process `root` and its descendants, summed: CPU time of each live process and of the
 * children it has waited for (so the time of a process that ended stays counted in its parent),
 * and resident memory. Undefined when `root` is gone.
 */
export async function processTreeSample(root: number, proc = '/proc'): Promise<KernelSample | undefined> {
  let cpuNs = 0;
  let memoryBytes = 0;
  let found = false;
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length && seen.size < MAX_PROCESSES) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const [stat, status, children] = await Promise.all([read(`${proc}/${pid}/stat`), read(`${proc}/${pid}/status`), childrenOf(pid, proc)]);
    const s = stat === undefined ? undefined : parseProcStat(stat);
    if (!s) continue;
    found = true;
    cpuNs += s.cpuNs;
    memoryBytes += status === undefined ? 0 : parseStatusRss(status);
    queue.push(...children);
  }
  return found ? { cpuNs, memoryBytes } : undefined;
}

/**
 * A container's usage from its process 1 (host pid `pid`): its cgroup's when it has one of its own
 * (another than the server's, `ownCgroup`), else its process tree's under /proc.
 */
export async function containerSample(pid: number, ownCgroup: string | undefined, proc = '/proc', cgroupRoot = '/sys/fs/cgroup'): Promise<KernelSample | undefined> {
  const text = await read(`${proc}/${pid}/cgroup`);
  const path = text === undefined ? undefined : parseCgroupPath(text);
  if (path !== undefined && ownCgroup !== undefined && path !== ownCgroup && path !== '/') {
    const s = await cgroupSample(`${cgroupRoot}${path}`);
    if (s) return s;
  }
  return processTreeSample(pid, proc);
}

/** The server's own cgroup v2 path. */
export async function ownCgroupPath(proc = '/proc'): Promise<string | undefined> {
  const text = await read(`${proc}/self/cgroup`);
  return text === undefined ? undefined : parseCgroupPath(text);
}
