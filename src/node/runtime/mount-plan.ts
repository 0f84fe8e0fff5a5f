// The file system of a `process` container, planned on the host and made by a small shell script
// in the container's new mount namespace (see process.ts), which then enters it with chroot. Its
// root is `<runtimeDir>/root`:
//  - as root, an overlay over the host's `/` (writes land in the runtime directory, never on the
//    host) with the host's other file systems bound back read-only; in a user namespace, where `/`
//    cannot be an overlay's lower layer, a tmpfs with the host's top-level entries bound read-only;
//  - a fresh /proc of the container's PID namespace, with the kernel files the kubelet masks hidden
//    and the ones it keeps read-only read-only; /sys read-only; a /dev of its own with the harmless
//    devices and a devpts instance (no host terminals); an empty /tmp and /run (no host sockets);
//  - the hidden paths (the server's data dir and secret files) covered by an empty tmpfs (or
//    /dev/null for a file) wherever they show, through a volume too;
//  - every volume bound at its mount path, read-only if asked. A missing mount point is made without
//    touching the host: in a directory of the container's own, or in an overlay over its nearest
//    existing ancestor; symbolic links on the way are followed inside the container's view only.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { shq } from '../../api/shell.js';
import { CLOSE_INHERITED_FDS } from './entry.js';

export interface PlannedMount {
  /** Where it appears in the container (absolute). */
  containerPath: string;
  /** The host directory or file bound there. */
  hostPath: string;
  readOnly: boolean;
}

export interface MountPlanInput {
  mounts: PlannedMount[];
  /** Directories that must exist in the container (the working directory). */
  directories: string[];
  /** The container's runtime directory on the host: the root, overlay layers and stashes go here. */
  runtimeDir: string;
  /** Host paths the container must not see (absolute, symbolic links resolved). */
  hidden: string[];
  /** readOnlyRootFilesystem: everything but the volumes, /dev and the covers is read-only. */
  readOnlyRoot: boolean;
  /**
   * How the root is made: an overlay over `/` (as root), or, where `/` cannot be an overlay's
   * lower layer (in a user namespace: its mounts are locked), a tmpfs with the host's top-level
   * entries bound into it.
   */
  rootLayer: 'overlay' | 'tmpfs';
  /** Mount points of the host (from /proc/self/mountinfo); read when absent. */
  hostMounts?: string[];
  /** Whether a host path exists (injectable for tests). */
  exists?: (p: string) => boolean;
  /** Resolves symbolic links of an existing host path (injectable for tests). */
  realpath?: (p: string) => string;
  /** Whether an existing host path is a directory (injectable for tests). */
  isDirectory?: (p: string) => boolean;
  /** The entries of the host's `/` (for the tmpfs root; read when absent). */
  rootEntries?: { name: string; type: 'dir' | 'file' | 'link'; target?: string }[];
}

/** One step of the script; `what` names it in the error a failed step reports. */
export interface Step {
  argv: string[];
  what: string;
  /** Run only if this test of the path in the container holds (`-d`: a directory, `-f`: a file, `-e`: exists). */
  only?: { test: '-d' | '-f' | '-e'; path: string };
}

export interface MountPlan {
  /** The container's root directory (on the host, in the new mount namespace). */
  root: string;
  steps: Step[];
}

/** Unescapes the octal escapes of /proc/self/mountinfo (\040 for a space, …). */
function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The mount points of this process's mount namespace, in mount order. */
export function hostMountPoints(): string[] {
  const text = readFileSync('/proc/self/mountinfo', 'utf8');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length > 4) out.push(unescapeMountinfo(f[4]!));
  }
  return out;
}

const isUnder = (p: string, dir: string) => (dir === '/' ? p !== '/' : p.startsWith(dir + '/'));
const isUnderOrSelf = (p: string, dir: string) => p === dir || isUnder(p, dir);
const childOf = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

/** The mount points strictly below `dir` that are not below another of them. */
export function topLevelSubmounts(dir: string, mounts: string[]): string[] {
  const below = [...new Set(mounts.filter((m) => isUnder(m, dir)))];
  return below.filter((m) => !below.some((o) => o !== m && isUnder(m, o))).sort();
}

function checkOverlayPath(p: string): void {
  if (/[,:\\\n]/.test(p)) throw new Error(`the process runtime cannot use ${JSON.stringify(p)} in an overlay mount: the path contains ',', ':' or '\\'`);
}

/** Directories of the container's own, in place of the host's: no host mount below them is bound. */
const OWN_DIRS = ['/proc', '/dev', '/tmp', '/run'];
/** The devices of /dev (bound from the host's), as a container runtime gives them. */
const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];
/** What the kubelet asks the runtime to mask and to keep read-only (pkg/securitycontext). */
const MASKED_PATHS = ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/**
 * A mount of the container's view. `host`: host content, read-only; `root` (through its entries,
 * the host's), `overlay`: host content, writes private; `empty`: a directory of the container's
 * own (writes private); `dev`: the same, but writable even with a read-only root; `cover`: a hidden
 * path; `volume`.
 */
interface Layer {
  path: string;
  kind: 'host' | 'root' | 'overlay' | 'empty' | 'dev' | 'cover' | 'volume';
  hostPath?: string;
  readOnly?: boolean;
}

/** Plans the container's file system: the root, its own directories, covers, volumes, in order. */
export function planMounts(input: MountPlanInput): MountPlan {
  const exists = input.exists ?? existsSync;
  const realpath = input.realpath ?? ((p: string) => realpathSync(p));
  const isDirectory = input.isDirectory ?? ((p: string) => statSync(p).isDirectory());
  const hostMounts = input.hostMounts ?? hostMountPoints();
  const rt = input.runtimeDir;
  checkOverlayPath(rt);
  const root = join(rt, 'root');
  const inView = (p: string) => (p === '/' ? root : root + p);
  const steps: Step[] = [];
  const step = (what: string, ...argv: string[]) => steps.push({ argv, what });

  /** The host's mount points that show in the view (bound with the host's directories). */
  const boundHost = [...new Set(hostMounts)].filter((m) => m !== '/' && !OWN_DIRS.some((d) => isUnderOrSelf(m, d)));
  // The view's mounts, and the paths made in it.
  let table: Layer[] = [];
  const created = new Set<string>();
  const mountAt = (layer: Layer) => {
    table = table.filter((l) => !isUnderOrSelf(l.path, layer.path));
    table.push(layer);
  };
  const layerOf = (p: string): Layer | undefined => {
    let best: Layer | undefined;
    for (const l of table) if (isUnderOrSelf(p, l.path) && (!best || l.path.length >= best.path.length)) best = l;
    return best;
  };
  const hostContent = (l: Layer | undefined) => !l || l.kind === 'host' || l.kind === 'root' || l.kind === 'overlay';
  const existsInside = (p: string): boolean => {
    if (created.has(p)) return true;
    const l = layerOf(p);
    if (hostContent(l)) return exists(p);
    if (l!.path === p) return true;
    return l!.kind === 'volume' ? exists(l!.hostPath! + p.slice(l!.path.length)) : false;
  };

  /** `p` with the symbolic links on its way resolved as the container would (host links in host content, volume links within their volume). */
  const resolve = (p: string): string => {
    let cur = '/';
    for (const name of p.split('/').filter(Boolean)) {
      const next = childOf(cur, name);
      const l = layerOf(next);
      if (created.has(next) || !existsInside(next) || (l && !hostContent(l) && l.kind !== 'volume')) {
        cur = next;
      } else if (l?.kind === 'volume') {
        const base = realpath(l.hostPath!);
        const real = realpath(l.hostPath! + next.slice(l.path.length));
        if (!isUnderOrSelf(real, base)) throw new Error(`the mount point ${p} leads out of its volume through a symbolic link`);
        cur = l.path + real.slice(base.length);
      } else {
        cur = realpath(next);
      }
    }
    return cur;
  };

  /** Makes `p` read-only in the view with every host mount bound below it. */
  const readOnlyHost = (p: string) => {
    for (const m of [p, ...boundHost.filter((x) => isUnder(x, p))]) step(`making ${m} read-only`, 'mount', '-n', '-o', 'remount,bind,ro', inView(m));
  };
  const bindHost = (p: string) => {
    step(`binding ${p}`, 'mount', '-n', '--rbind', p, inView(p));
    readOnlyHost(p);
    mountAt({ path: p, kind: 'host' });
  };

  // The root and the host's other file systems.
  if (input.rootLayer === 'tmpfs') {
    step('preparing the container root', 'mkdir', '-p', root);
    step('mounting the container root', 'mount', '-n', '-t', 'tmpfs', '-o', 'mode=755', 'tmpfs', root);
    mountAt({ path: '/', kind: 'root' });
    for (const e of input.rootEntries ?? rootEntries()) {
      const p = `/${e.name}`;
      if (e.type === 'link') step(`linking ${p}`, 'ln', '-s', e.target ?? '', inView(p));
      else if (!OWN_DIRS.includes(p) && p !== '/sys') {
        step(`binding ${p}`, e.type === 'dir' ? 'mkdir' : 'touch', ...(e.type === 'dir' ? ['-p'] : []), inView(p));
        bindHost(p);
      }
    }
  } else {
    const layer = join(rt, 'overlay-root');
    step('preparing the container root', 'mkdir', '-p', join(layer, 'upper'), join(layer, 'work'), root);
    step('mounting the container root', 'mount', '-n', '-t', 'overlay', 'overlay', '-o', `lowerdir=/,upperdir=${join(layer, 'upper')},workdir=${join(layer, 'work')}`, root);
    mountAt({ path: '/', kind: 'root' });
    for (const m of topLevelSubmounts('/', boundHost)) if (m !== '/sys') bindHost(m);
  }

  // /proc, /sys, /dev, /tmp, /run.
  step('preparing /proc', 'mkdir', '-p', inView('/proc'));
  step('mounting /proc', 'mount', '-n', '-t', 'proc', 'proc', inView('/proc'));
  mountAt({ path: '/proc', kind: 'dev' });
  step('preparing /sys', 'mkdir', '-p', inView('/sys'));
  bindHost('/sys');
  for (const p of MASKED_PATHS) {
    steps.push({ argv: ['mount', '-n', '-t', 'tmpfs', '-o', 'ro', 'tmpfs', inView(p)], what: `masking ${p}`, only: { test: '-d', path: inView(p) } });
    steps.push({ argv: ['mount', '-n', '--bind', '/dev/null', inView(p)], what: `masking ${p}`, only: { test: '-f', path: inView(p) } });
  }
  for (const p of READONLY_PATHS) {
    steps.push({ argv: ['mount', '-n', '--bind', inView(p), inView(p)], what: `making ${p} read-only`, only: { test: '-e', path: inView(p) } });
    steps.push({ argv: ['mount', '-n', '-o', 'remount,bind,ro', inView(p)], what: `making ${p} read-only`, only: { test: '-e', path: inView(p) } });
  }
  const dev = inView('/dev');
  step('preparing /dev', 'mkdir', '-p', dev);
  step('mounting /dev', 'mount', '-n', '-t', 'tmpfs', '-o', 'mode=755,nosuid', 'tmpfs', dev);
  mountAt({ path: '/dev', kind: 'dev' });
  for (const d of DEVICES) {
    step(`binding /dev/${d}`, 'touch', join(dev, d));
    step(`binding /dev/${d}`, 'mount', '-n', '--bind', `/dev/${d}`, join(dev, d));
  }
  step('preparing /dev/pts', 'mkdir', '-p', join(dev, 'pts'), join(dev, 'shm'));
  step('mounting /dev/pts', 'mount', '-n', '-t', 'devpts', '-o', 'newinstance,ptmxmode=0666,mode=620', 'devpts', join(dev, 'pts'));
  step('mounting /dev/shm', 'mount', '-n', '-t', 'tmpfs', '-o', 'mode=1777,nosuid,nodev', 'tmpfs', join(dev, 'shm'));
  for (const [name, target] of [['ptmx', 'pts/ptmx'], ['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'], ['stderr', '/proc/self/fd/2']]) {
    step(`linking /dev/${name}`, 'ln', '-s', target!, join(dev, name!));
  }
  for (const [p, mode] of [['/tmp', '1777'], ['/run', '755']] as const) {
    step(`preparing ${p}`, 'mkdir', '-p', inView(p));
    step(`mounting ${p}`, 'mount', '-n', '-t', 'tmpfs', '-o', `mode=${mode},nosuid,nodev`, 'tmpfs', inView(p));
    mountAt({ path: p, kind: 'empty' });
  }

  const hidden = input.hidden.map((h) => ({ path: h, file: exists(h) && !isDirectory(h) }));
  const cover = (p: string, file: boolean) => {
    if (file) step(`hiding ${p}`, 'mount', '-n', '--bind', '/dev/null', inView(p));
    else step(`hiding ${p}`, 'mount', '-n', '-t', 'tmpfs', '-o', 'mode=755,size=64k', 'tmpfs', inView(p));
    mountAt({ path: p, kind: 'cover' });
  };
  for (const h of hidden) if (hostContent(layerOf(h.path)) && exists(h.path) && resolve(h.path) === h.path) cover(h.path, h.file);

  let n = 0;
  /** An overlay over the host directory `lower` (in host content), with what was mounted below it bound back. */
  const addOverlay = (lower: string) => {
    checkOverlayPath(lower);
    const layer = join(rt, `overlay-${n++}`);
    const subs = topLevelSubmounts(lower, [...boundHost, ...table.map((l) => l.path)]);
    step(`preparing the overlay over ${lower}`, 'mkdir', '-p', join(layer, 'upper'), join(layer, 'work'));
    const stash = join(layer, 'stash');
    if (subs.length) {
      step(`preparing the overlay over ${lower}`, 'mkdir', '-p', stash);
      step(`keeping the mounts under ${lower}`, 'mount', '-n', '--rbind', inView(lower), stash);
    }
    step(`mounting an overlay over ${lower}`, 'mount', '-n', '-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${join(layer, 'upper')},workdir=${join(layer, 'work')}`, inView(lower));
    for (const m of subs) step(`binding ${m} back into the overlay over ${lower}`, 'mount', '-n', '--rbind', stash + m.slice(lower.length), inView(m));
    table = table.filter((l) => l.path !== lower);
    table.push({ path: lower, kind: 'overlay' });
  };

  /** Makes the mount point `p` (resolved) in the view. */
  const ensure = (p: string, file: boolean) => {
    if (existsInside(p)) return;
    let e = p;
    while (!existsInside(e)) e = posix.dirname(e);
    if (!created.has(e) && layerOf(e)?.kind === 'host') addOverlay(e);
    const parent = file ? posix.dirname(p) : p;
    step(`creating the mount point ${p}`, 'mkdir', '-p', inView(parent));
    if (file) step(`creating the mount point ${p}`, 'touch', inView(p));
    for (let q = p; q !== e && q !== '/'; q = posix.dirname(q)) created.add(q);
  };

  const mounts = [...input.mounts]
    .map((m) => ({ ...m, containerPath: posix.normalize(m.containerPath).replace(/(.)\/+$/, '$1') }))
    .sort((a, b) => a.containerPath.split('/').length - b.containerPath.split('/').length || a.containerPath.localeCompare(b.containerPath));
  for (const m of mounts) {
    const p = resolve(m.containerPath);
    const file = exists(m.hostPath) && !isDirectory(m.hostPath);
    ensure(p, file);
    step(`mounting ${JSON.stringify(m.hostPath)} to rootfs at ${JSON.stringify(m.containerPath)}`, 'mount', '-n', '--rbind', m.hostPath, inView(p));
    mountAt({ path: p, kind: 'volume', hostPath: m.hostPath, readOnly: m.readOnly });
    // A hidden path inside the volume's host directory shows through it.
    const real = exists(m.hostPath) ? realpath(m.hostPath) : m.hostPath;
    for (const h of hidden) if (isUnderOrSelf(h.path, real)) cover(h.path === real ? p : p + h.path.slice(real === '/' ? 0 : real.length), h.file);
  }
  for (const d of input.directories) ensure(resolve(posix.normalize(d)), false);

  // Read-only last, once every mount point is made.
  for (const l of table) {
    const ro = l.kind === 'cover' || (l.kind === 'volume' && l.readOnly) || (input.readOnlyRoot && (l.kind === 'root' || l.kind === 'overlay' || l.kind === 'empty'));
    if (ro) step(`making ${l.path} read-only`, 'mount', '-n', '-o', 'remount,bind,ro', inView(l.path));
  }
  return { root, steps };
}

/** The entries of the host's root directory. */
export function rootEntries(): { name: string; type: 'dir' | 'file' | 'link'; target?: string }[] {
  return readdirSync('/', { withFileTypes: true }).map((d) => {
    if (d.isSymbolicLink()) return { name: d.name, type: 'link' as const, target: readlinkSync(join('/', d.name)) };
    return { name: d.name, type: d.isDirectory() ? ('dir' as const) : ('file' as const) };
  });
}

export interface ScriptInput {
  plan: MountPlan;
  /** Where the step errors are collected (on the host). */
  errorFile: string;
  hostname: string;
  /** The program (and its arguments) that enters the container; the container's command follows. */
  enter: string[];
}

/**
 * The bash script run as the first process of the namespaces (`bash -c SCRIPT bash COMMAND
 * ARGS…`): the mounts, then `enter` with the command and no file descriptor but 0 to 5. A failed
 * step is reported on fd 3 (`error: …`); stderr goes to the error file until the container's
 * command runs (its own stderr is on fd 4).
 */
export function setupScript(s: ScriptInput): string {
  const lines = [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `fail() { printf 'error: %s: %s\\n' "$1" "$(head -n 1 ${shq(s.errorFile)} 2>/dev/null)" >&3; exit 128; }`,
    `exec 4>&2 2>${shq(s.errorFile)}`,
    `hostname ${shq(s.hostname)} || fail 'setting the hostname'`,
  ];
  for (const step of s.plan.steps) {
    const line = `${step.argv.map(shq).join(' ')} 2>${shq(s.errorFile)} || fail ${shq(step.what)}`;
    lines.push(step.only ? `if [ ${step.only.test} ${shq(step.only.path)} ]; then ${line}; fi` : line);
  }
  lines.push(CLOSE_INHERITED_FDS, `exec ${s.enter.map(shq).join(' ')} "$@"`);
  return lines.join('\n') + '\n';
}

/** The hosts file of a container: the host's, plus the in-cluster API names and the pod's own. */
export function hostsFile(hostText: string, serviceHost: string, hostname: string, aliases: { ip: string; hostnames: string[] }[] = []): string {
  const lines = ['# Kubernetes-managed hosts file (Badge process runtime).', hostText.trimEnd()];
  lines.push(`${serviceHost}\tkubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local`);
  lines.push(`127.0.1.1\t${hostname}`);
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${a.ip}\t${a.hostnames.join('\t')}`);
  }
  return lines.join('\n') + '\n';
}
