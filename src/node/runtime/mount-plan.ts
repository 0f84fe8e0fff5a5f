// The mount namespace of a `process` container, planned on the host and carried out by a small
// shell script inside the namespace (see process.ts). Volumes are bind-mounted at their mount
// paths; a mount point that does not exist is created without touching the host: the nearest
// existing ancestor directory is covered by an overlay whose upper layer is in the container's
// scratch directory, and the missing directories are made in that overlay. When that ancestor is
// `/` itself, the whole root is an overlay (with the host's other mounts bound back into it) that
// the script pivots into.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

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
  /** The container's runtime directory on the host: overlay layers and stashes go here. */
  runtimeDir: string;
  /** Mount points of the host (from /proc/self/mountinfo); read when absent. */
  hostMounts?: string[];
  /** Whether a host path exists (injectable for tests). */
  exists?: (p: string) => boolean;
  /** Resolves symbolic links of an existing host path (injectable for tests). */
  realpath?: (p: string) => string;
  /** Whether an existing host path is a directory (injectable for tests). */
  isDirectory?: (p: string) => boolean;
  /**
   * How a new root is made when one is needed: an overlay over `/` (root), or, where `/` cannot
   * be an overlay's lower layer (in a user namespace: its mounts are locked), a tmpfs with the
   * host's top-level entries bound into it.
   */
  rootLayer?: 'overlay' | 'tmpfs';
  /** The entries of the host's `/` (for the tmpfs root; read when absent). */
  rootEntries?: { name: string; type: 'dir' | 'file' | 'link'; target?: string }[];
}

/** One step of the script; `what` names it in the error a failed step reports. */
export interface Step {
  argv: string[];
  what: string;
}

export interface MountPlan {
  /** Overlay the whole root and pivot into it (a missing top-level directory is needed). */
  newRoot?: string;
  steps: Step[];
  /** Overlays made, for tests and messages: [lowerdir, mountpoint]. */
  overlays: [string, string][];
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

const isUnder = (p: string, dir: string) => dir === '/' ? p !== '/' : p.startsWith(dir + '/');
const isUnderOrSelf = (p: string, dir: string) => p === dir || isUnder(p, dir);

/** The mount points strictly below `dir` that are not below another of them. */
export function topLevelSubmounts(dir: string, mounts: string[]): string[] {
  const below = [...new Set(mounts.filter((m) => isUnder(m, dir)))];
  return below.filter((m) => !below.some((o) => o !== m && isUnder(m, o))).sort();
}

function checkOverlayPath(p: string): void {
  if (/[,:\\\n]/.test(p)) throw new Error(`the process runtime cannot use ${JSON.stringify(p)} in an overlay mount: the path contains ',', ':' or '\\'`);
}

/** Plans the mounts: which overlays, directories, bind mounts and read-only remounts, in order. */
export function planMounts(input: MountPlanInput): MountPlan {
  const exists = input.exists ?? existsSync;
  const realpath = input.realpath ?? ((p: string) => realpathSync(p));
  const isDirectory = input.isDirectory ?? ((p: string) => statSync(p).isDirectory());
  const hostMounts = input.hostMounts ?? hostMountPoints();
  const rt = input.runtimeDir;
  checkOverlayPath(rt);

  const mounts = [...input.mounts]
    .map((m) => ({ ...m, containerPath: posix.normalize(m.containerPath).replace(/(.)\/+$/, '$1') }))
    .sort((a, b) => a.containerPath.split('/').length - b.containerPath.split('/').length || a.containerPath.localeCompare(b.containerPath));
  const dirs = input.directories.map((d) => posix.normalize(d));

  /** The deepest host mount point at or above `p`. */
  const mountOf = (p: string) => hostMounts.filter((m) => isUnderOrSelf(p, m)).sort((a, b) => b.length - a.length)[0] ?? '/';
  // Paths made inside the container (not on the host), and the mount targets bound so far.
  const created = new Set<string>();
  const bound: string[] = [];
  const existsInside = (p: string) => created.has(p) || bound.includes(p) || exists(p);
  const nearestExisting = (p: string) => {
    let e = p;
    while (!existsInside(e)) e = posix.dirname(e);
    return e;
  };

  // First pass: which ancestors need an overlay.
  const needed = [...dirs.map((p) => ({ path: p, file: false })), ...mounts.map((m) => ({ path: m.containerPath, file: exists(m.hostPath) && !isDirectory(m.hostPath) }))];
  const rootNeeded = needed.some(({ path }) => {
    if (exists(path)) return false;
    const e = nearestExisting(path);
    return bound.some((b) => isUnderOrSelf(e, b)) ? false : realpath(e) === '/';
  });

  const steps: Step[] = [];
  const overlays: [string, string][] = [];
  const prefix = rootNeeded ? join(rt, 'root') : '';
  const inView = (p: string) => (prefix ? (p === '/' ? prefix : prefix + p) : p);
  let n = 0;
  const addOverlay = (lower: string) => {
    const i = n++;
    const layer = join(rt, `overlay-${i}`);
    const target = inView(lower);
    checkOverlayPath(lower);
    const subs = topLevelSubmounts(lower, hostMounts).filter((m) => !(rootNeeded && lower === '/' && m === '/proc'));
    steps.push({ argv: ['mkdir', '-p', join(layer, 'upper'), join(layer, 'work'), target], what: `preparing the overlay over ${lower}` });
    const stash = join(layer, 'stash');
    if (subs.length && lower !== '/') {
      steps.push({ argv: ['mkdir', '-p', stash], what: `preparing the overlay over ${lower}` });
      steps.push({ argv: ['mount', '-n', '--rbind', target, stash], what: `keeping the mounts under ${lower}` });
    }
    steps.push({
      argv: ['mount', '-n', '-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${join(layer, 'upper')},workdir=${join(layer, 'work')}`, target],
      what: `mounting an overlay over ${lower}`,
    });
    for (const m of subs) {
      const from = lower === '/' ? m : stash + m.slice(lower.length);
      steps.push({ argv: ['mount', '-n', '--rbind', from, inView(m)], what: `binding ${m} back into the overlay over ${lower}` });
    }
    overlays.push([lower, target]);
  };
  /** Whether an overlay made so far covers `p` (no other mount in between). */
  const covered = (p: string) =>
    overlays.some(([lower]) => isUnderOrSelf(p, lower) && !hostMounts.some((m) => isUnder(m, lower) && isUnderOrSelf(p, m)));

  if (rootNeeded && input.rootLayer === 'tmpfs') {
    steps.push({ argv: ['mkdir', '-p', prefix], what: 'preparing the container root' });
    steps.push({ argv: ['mount', '-n', '-t', 'tmpfs', '-o', 'mode=755', 'tmpfs', prefix], what: 'mounting the container root' });
    const entries = input.rootEntries ?? rootEntries();
    for (const e of entries) {
      const at = join(prefix, e.name);
      if (e.type === 'link') steps.push({ argv: ['ln', '-s', e.target ?? '', at], what: `linking /${e.name}` });
      else if (e.name === 'proc') steps.push({ argv: ['mkdir', '-p', at], what: 'preparing /proc' });
      else {
        steps.push({ argv: e.type === 'dir' ? ['mkdir', '-p', at] : ['touch', at], what: `binding /${e.name}` });
        steps.push({ argv: ['mount', '-n', '--rbind', `/${e.name}`, at], what: `binding /${e.name}` });
      }
    }
    overlays.push(['/', prefix]);
  } else if (rootNeeded) {
    addOverlay('/');
    steps.push({ argv: ['mkdir', '-p', inView('/proc')], what: 'preparing /proc' });
  }
  // In a tmpfs root only the top level is the container's own: below it are the host's directories.
  const ownRoot = (a: string) => rootNeeded && (input.rootLayer === 'tmpfs' ? a === '/' : mountOf(a) === '/');

  const ensure = (path: string, file: boolean) => {
    if (existsInside(path)) return;
    const e = nearestExisting(path);
    const inVolume = bound.some((b) => isUnderOrSelf(e, b));
    if (!inVolume && !created.has(e)) {
      const a = realpath(e);
      if (!ownRoot(a) && !(input.rootLayer === 'tmpfs' ? overlays.some(([lower]) => lower !== '/' && isUnderOrSelf(a, lower)) : covered(a))) addOverlay(a);
    }
    const parent = file ? posix.dirname(path) : path;
    steps.push({ argv: ['mkdir', '-p', inView(parent)], what: `creating the mount point ${path}` });
    if (file) steps.push({ argv: ['touch', inView(path)], what: `creating the mount point ${path}` });
    for (let p = path; p !== e && p !== '/'; p = posix.dirname(p)) created.add(p);
  };

  for (const m of mounts) {
    const file = exists(m.hostPath) && !isDirectory(m.hostPath);
    ensure(m.containerPath, file);
    steps.push({ argv: ['mount', '-n', '--rbind', m.hostPath, inView(m.containerPath)], what: `mounting ${JSON.stringify(m.hostPath)} to rootfs at ${JSON.stringify(m.containerPath)}` });
    bound.push(m.containerPath);
  }
  for (const d of dirs) ensure(d, false);
  for (const m of mounts) {
    if (m.readOnly) steps.push({ argv: ['mount', '-n', '-o', 'remount,bind,ro', inView(m.containerPath)], what: `making ${m.containerPath} read-only` });
  }
  return { ...(rootNeeded ? { newRoot: prefix } : {}), steps, overlays };
}

/** The entries of the host's root directory. */
export function rootEntries(): { name: string; type: 'dir' | 'file' | 'link'; target?: string }[] {
  return readdirSync('/', { withFileTypes: true }).map((d) => {
    if (d.isSymbolicLink()) return { name: d.name, type: 'link' as const, target: readlinkSync(join('/', d.name)) };
    return { name: d.name, type: d.isDirectory() ? ('dir' as const) : ('file' as const) };
  });
}

/** Quotes a word for sh. */
export const shq = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export interface ScriptInput {
  plan: MountPlan;
  /** Where the step errors are collected (on the host). */
  errorFile: string;
  hostname: string;
  workingDir: string;
  /** The PATH the container's command is looked up with. */
  path: string;
}

/**
 * The script run as the first process of the namespaces (`sh -c SCRIPT sh COMMAND ARGS…`). It
 * reports `ok` (or the failure) on fd 3, then execs the command with the container's environment.
 */
export function setupScript(s: ScriptInput): string {
  const lines = [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `fail() { printf 'error: %s: %s\\n' "$1" "$(head -n 1 ${shq(s.errorFile)} 2>/dev/null)" >&3; exit 128; }`,
    `exec 4>&2 2>${shq(s.errorFile)}`,
    `hostname ${shq(s.hostname)} || fail 'setting the hostname'`,
  ];
  for (const step of s.plan.steps) lines.push(`${step.argv.map(shq).join(' ')} 2>${shq(s.errorFile)} || fail ${shq(step.what)}`);
  if (s.plan.newRoot) {
    lines.push(`mount -n -t proc proc ${shq(join(s.plan.newRoot, 'proc'))} || fail 'mounting /proc'`);
    lines.push(`cd ${shq(s.plan.newRoot)} && pivot_root . . && umount -n -l . || fail 'pivoting into the container root'`);
  } else {
    lines.push(`mount -n -t proc proc /proc || fail 'mounting /proc'`);
  }
  lines.push(`cd ${shq(s.workingDir)} || fail ${shq(`changing to the working directory ${s.workingDir}`)}`);
  lines.push(`PATH=${shq(s.path)}`);
  // What runc reports when the command cannot be found (the container then ends with StartError).
  lines.push(
    'if ! command -v "$1" >/dev/null 2>&1; then',
    '  case "$1" in',
    `    */*) printf 'start: exec: "%s": stat %s: no such file or directory\\n' "$1" "$1" >&3 ;;`,
    `    *) printf 'start: exec: "%s": executable file not found in $PATH\\n' "$1" >&3 ;;`,
    '  esac',
    '  exit 128',
    'fi',
  );
  lines.push(`printf 'ok\\n' >&3`, 'exec 2>&4 3>&- 4>&-', 'exec "$@"');
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

