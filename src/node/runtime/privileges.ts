// Who a `process` container runs as and what it may do: its user and groups from the security
// context, the capabilities a container runtime gives (containerd's default set, less what
// reaches the host here, where the network and the devices are the host's), no_new_privs for
// allowPrivilegeEscalation: false. capsh applies them in one process, after it has changed root
// into the container's file system, so nothing privileged runs from the container's view.
import { readFileSync } from 'node:fs';
import type { ContainerSecurity } from './runtime.js';

/** Linux capabilities by number (include/uapi/linux/capability.h). */
const CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE',
  'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE',
  'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
];

/**
 * containerd's default capabilities without MKNOD (a device node of a host disk), NET_RAW (the
 * host's network) and SYS_CHROOT (the container's root is entered with chroot, which a second
 * chroot would leave).
 */
const DEFAULT_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'KILL', 'AUDIT_WRITE'];

const capName = (c: string) => c.toUpperCase().replace(/^CAP_/, '');

/** The primary group and home of `uid` in the host's passwd (the host's file system stands in for the image). */
function passwdUser(uid: number): { gid: number; home: string } | undefined {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length >= 7 && f[2] !== '' && Number(f[2]) === uid) return { gid: Number(f[3]), home: f[5] || '/' };
  }
  return undefined;
}

export interface Privileges {
  uid: number;
  gid: number;
  groups: number[];
  /** Capability names the container keeps (bounding set; the effective set of uid 0). */
  capabilities: string[];
  noNewPrivs: boolean;
  /** HOME, as runc sets it: the user's passwd home, or `/`. */
  home: string;
}

export class PrivilegesError extends Error {}

/**
 * The privileges of a container; throws PrivilegesError for what this runtime does not grant: a
 * privileged container, capabilities beyond its default set, and (in a user namespace, where only
 * root is mapped) another user or supplementary groups. Groups are the primary group (runAsGroup,
 * else the passwd entry's, else 0) and the pod's supplementalGroups and fsGroup; the host's
 * /etc/group memberships are not added.
 */
export function privileges(security: ContainerSecurity, mode: 'root' | 'userns'): Privileges {
  if (security.privileged) throw new PrivilegesError('the process runtime does not run privileged containers');
  const add = security.capabilities.add.map(capName);
  for (const c of add) {
    if (!DEFAULT_CAPABILITIES.includes(c)) throw new PrivilegesError(`the process runtime does not grant the capability ${c === 'ALL' ? 'ALL' : `CAP_${c}`}`);
  }
  const drop = security.capabilities.drop.map(capName);
  const capabilities = DEFAULT_CAPABILITIES.filter((c) => add.includes(c) || !(drop.includes('ALL') || drop.includes(c)));
  const uid = security.runAsUser ?? 0;
  const user = passwdUser(uid);
  const gid = security.runAsGroup ?? (security.runAsUser !== undefined ? (user?.gid ?? 0) : 0);
  const groups = [...new Set(security.supplementalGroups)];
  if (mode === 'userns' && (uid !== 0 || gid !== 0 || groups.length)) {
    throw new PrivilegesError('the process runtime in a user namespace (without root) runs containers only as user 0 with group 0 and no supplementary groups');
  }
  return { uid, gid, groups, capabilities, noNewPrivs: security.noNewPrivs, home: user?.home ?? '/' };
}

/** The highest capability number of this kernel. */
function lastCapability(): number {
  try {
    return Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
  } catch {
    return CAPABILITIES.length - 1;
  }
}

/**
 * capsh's arguments, in the order it applies them: change root (and directory) into `root`, drop
 * every other capability from the bounding set and the inheritable and ambient sets, set
 * no_new_privs, then the groups and the user (which clears the capabilities of a non-root user).
 * In a user namespace the user and groups stay (only root is mapped).
 */
export function capshArgs(root: string, p: Privileges, mode: 'root' | 'userns'): string[] {
  const dropped: string[] = [];
  for (let i = 0, last = lastCapability(); i <= last; i++) if (!p.capabilities.includes(CAPABILITIES[i] ?? '')) dropped.push(String(i));
  return [
    `--chroot=${root}`,
    `--drop=${dropped.join(',')}`,
    '--inh=',
    '--noamb',
    ...(p.noNewPrivs ? ['--no-new-privs'] : []),
    ...(mode === 'root' ? [`--groups=${p.groups.join(',')}`, `--gid=${p.gid}`, `--uid=${p.uid}`] : []),
  ];
}
