// Planning a container's file system without touching the host: the root (an overlay, or a tmpfs
// in a user namespace) with the host's other file systems read-only, its own /proc, /dev, /tmp and
// /run, the hidden paths covered wherever they show, mount points made in directories of its own
// or in overlays, symbolic links followed inside the view.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostsFile, planMounts, topLevelSubmounts, type MountPlanInput } from './mount-plan.js';

const host = new Set(['/', '/run', '/etc', '/etc/hosts', '/var', '/vol', '/vol/f', '/rt', '/home', '/home/u', '/data', '/data/badge', '/data/badge/pki', '/opt', '/opt/a']);
const links: Record<string, string> = { '/var/run': '/run', '/vol/out': '/etc' };
const fake = {
  hostMounts: ['/', '/proc', '/run', '/run/user/0', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/home', '/home/u/mnt'],
  exists: (p: string) => host.has(p) || p in links,
  realpath: (p: string) => links[p] ?? p,
  isDirectory: (p: string) => p !== '/vol/f' && p !== '/etc/hosts',
  runtimeDir: '/rt',
  directories: ['/'],
  hidden: ['/data/badge'],
  readOnlyRoot: false,
  rootLayer: 'overlay' as const,
};
const plan = (input: Partial<MountPlanInput>) => planMounts({ ...fake, mounts: [], ...input });
const argv = (p: { steps: { argv: string[] }[] }) => p.steps.map((s) => s.argv.join(' '));
/** The steps after the container's own directories (the ones every plan has). */
const after = (p: { steps: { argv: string[] }[] }) => {
  const all = argv(p);
  return all.slice(all.indexOf('mount -n -t tmpfs -o mode=755,nosuid,nodev tmpfs /rt/root/run') + 1);
};

describe('mount plan', () => {
  it('makes the root an overlay of the host, the host’s other file systems read-only, and its own /proc, /sys, /dev, /tmp, /run', () => {
    const steps = argv(plan({}));
    assert.deepEqual(steps.slice(0, 5), [
      'mkdir -p /rt/overlay-root/upper /rt/overlay-root/work /rt/root',
      'mount -n -t overlay overlay -o lowerdir=/,upperdir=/rt/overlay-root/upper,workdir=/rt/overlay-root/work /rt/root',
      'mount -n --rbind /home /rt/root/home',
      'mount -n -o remount,bind,ro /rt/root/home',
      'mount -n -o remount,bind,ro /rt/root/home/u/mnt',
    ]);
    for (const s of [
      'mount -n -t proc proc /rt/root/proc',
      'mount -n -o remount,bind,ro /rt/root/sys/fs/cgroup',
      'mount -n -o remount,bind,ro /rt/root/proc/sys',
      'mount -n --bind /dev/null /rt/root/proc/kcore',
      'mount -n -t tmpfs -o mode=755,nosuid tmpfs /rt/root/dev',
      'mount -n --bind /dev/urandom /rt/root/dev/urandom',
      'mount -n -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts /rt/root/dev/pts',
      'mount -n -t tmpfs -o mode=1777,nosuid,nodev tmpfs /rt/root/tmp',
    ]) {
      assert.ok(steps.includes(s), s);
    }
    // The host's /run, /dev and /proc (and what is mounted below them) are not bound.
    assert.equal(steps.filter((s) => /--rbind \/(run|dev|proc)\b/.test(s)).length, 0);
    const masked = plan({}).steps.find((s) => s.argv.join(' ') === 'mount -n -t tmpfs -o ro tmpfs /rt/root/sys/firmware');
    assert.deepEqual(masked?.only, { test: '-d', path: '/rt/root/sys/firmware' });
  });

  it('covers a hidden path, binds volumes at their paths resolved inside the view, and makes read-only ones read-only last', () => {
    const p = plan({ mounts: [{ containerPath: '/var/run/secrets/kubernetes.io/serviceaccount', hostPath: '/vol', readOnly: true }, { containerPath: '/etc/hosts', hostPath: '/vol/f', readOnly: false }] });
    assert.deepEqual(after(p), [
      'mount -n -t tmpfs -o mode=755,size=64k tmpfs /rt/root/data/badge',
      'mount -n --rbind /vol/f /rt/root/etc/hosts',
      // /var/run links to /run, the container's own: nothing of the host's is written.
      'mkdir -p /rt/root/run/secrets/kubernetes.io/serviceaccount',
      'mount -n --rbind /vol /rt/root/run/secrets/kubernetes.io/serviceaccount',
      'mount -n -o remount,bind,ro /rt/root/data/badge',
      'mount -n -o remount,bind,ro /rt/root/run/secrets/kubernetes.io/serviceaccount',
    ]);
  });

  it('hides a hidden path that shows through a volume, and makes mount points below a hidden path in its cover', () => {
    const p = plan({ mounts: [{ containerPath: '/host', hostPath: '/', readOnly: true }, { containerPath: '/data/badge/x', hostPath: '/vol', readOnly: false }] });
    assert.deepEqual(after(p), [
      'mount -n -t tmpfs -o mode=755,size=64k tmpfs /rt/root/data/badge',
      'mkdir -p /rt/root/host',
      'mount -n --rbind / /rt/root/host',
      'mount -n -t tmpfs -o mode=755,size=64k tmpfs /rt/root/host/data/badge',
      'mkdir -p /rt/root/data/badge/x',
      'mount -n --rbind /vol /rt/root/data/badge/x',
      'mount -n -o remount,bind,ro /rt/root/data/badge',
      'mount -n -o remount,bind,ro /rt/root/host',
      'mount -n -o remount,bind,ro /rt/root/host/data/badge',
    ]);
  });

  it('makes a mount point in a read-only host file system in an overlay, keeping what was mounted below', () => {
    host.add('/home/u/secret');
    try {
      assert.deepEqual(after(plan({ hidden: ['/home/u/secret'], mounts: [{ containerPath: '/home/u/new', hostPath: '/vol', readOnly: false }] })), [
        'mount -n -t tmpfs -o mode=755,size=64k tmpfs /rt/root/home/u/secret',
        'mkdir -p /rt/overlay-0/upper /rt/overlay-0/work',
        'mkdir -p /rt/overlay-0/stash',
        'mount -n --rbind /rt/root/home/u /rt/overlay-0/stash',
        'mount -n -t overlay overlay -o lowerdir=/home/u,upperdir=/rt/overlay-0/upper,workdir=/rt/overlay-0/work /rt/root/home/u',
        'mount -n --rbind /rt/overlay-0/stash/mnt /rt/root/home/u/mnt',
        'mount -n --rbind /rt/overlay-0/stash/secret /rt/root/home/u/secret',
        'mkdir -p /rt/root/home/u/new',
        'mount -n --rbind /vol /rt/root/home/u/new',
        'mount -n -o remount,bind,ro /rt/root/home/u/secret',
      ]);
    } finally {
      host.delete('/home/u/secret');
    }
    // On the root file system a mount point is made in the root overlay itself.
    assert.deepEqual(after(plan({ hidden: [], mounts: [{ containerPath: '/opt/a/b', hostPath: '/vol', readOnly: false }] })), ['mkdir -p /rt/root/opt/a/b', 'mount -n --rbind /vol /rt/root/opt/a/b']);
  });

  it('refuses a mount point that leads out of its volume through a symbolic link', () => {
    assert.throws(
      () => plan({ mounts: [{ containerPath: '/v', hostPath: '/vol', readOnly: false }, { containerPath: '/v/out/x', hostPath: '/vol', readOnly: false }] }),
      /the mount point \/v\/out\/x leads out of its volume through a symbolic link/,
    );
  });

  it('with readOnlyRootFilesystem, makes the root, /tmp, /run and overlays read-only, not /dev or the volumes', () => {
    const ro = after(plan({ readOnlyRoot: true, mounts: [{ containerPath: '/data2', hostPath: '/vol', readOnly: false }] })).filter((s) => s.startsWith('mount -n -o remount,bind,ro'));
    assert.deepEqual(ro, ['mount -n -o remount,bind,ro /rt/root', 'mount -n -o remount,bind,ro /rt/root/tmp', 'mount -n -o remount,bind,ro /rt/root/run', 'mount -n -o remount,bind,ro /rt/root/data/badge']);
  });

  it('in a user namespace, makes the root a tmpfs with the host’s top-level entries bound read-only', () => {
    const p = plan({
      rootLayer: 'tmpfs',
      hidden: [],
      rootEntries: [{ name: 'etc', type: 'dir' }, { name: 'proc', type: 'dir' }, { name: 'run', type: 'dir' }, { name: 'bin', type: 'link', target: 'usr/bin' }, { name: 'home', type: 'dir' }],
      mounts: [{ containerPath: '/srv', hostPath: '/vol', readOnly: false }, { containerPath: '/home/u/new', hostPath: '/vol', readOnly: false }],
    });
    assert.deepEqual(argv(p).slice(0, 11), [
      'mkdir -p /rt/root',
      'mount -n -t tmpfs -o mode=755 tmpfs /rt/root',
      'mkdir -p /rt/root/etc',
      'mount -n --rbind /etc /rt/root/etc',
      'mount -n -o remount,bind,ro /rt/root/etc',
      'ln -s usr/bin /rt/root/bin',
      'mkdir -p /rt/root/home',
      'mount -n --rbind /home /rt/root/home',
      'mount -n -o remount,bind,ro /rt/root/home',
      'mount -n -o remount,bind,ro /rt/root/home/u/mnt',
      'mkdir -p /rt/root/proc',
    ]);
    // /srv is not an entry of the tmpfs root: the mount point is the container's own; one in a
    // bound directory is made in an overlay.
    assert.deepEqual(after(p), [
      'mkdir -p /rt/root/srv',
      'mount -n --rbind /vol /rt/root/srv',
      'mkdir -p /rt/overlay-0/upper /rt/overlay-0/work',
      'mkdir -p /rt/overlay-0/stash',
      'mount -n --rbind /rt/root/home/u /rt/overlay-0/stash',
      'mount -n -t overlay overlay -o lowerdir=/home/u,upperdir=/rt/overlay-0/upper,workdir=/rt/overlay-0/work /rt/root/home/u',
      'mount -n --rbind /rt/overlay-0/stash/mnt /rt/root/home/u/mnt',
      'mkdir -p /rt/root/home/u/new',
      'mount -n --rbind /vol /rt/root/home/u/new',
    ]);
  });

  it('lists the top-level mounts under a directory', () => {
    assert.deepEqual(topLevelSubmounts('/', ['/', '/proc', '/dev', '/dev/pts', '/run/user/0']), ['/dev', '/proc', '/run/user/0']);
    assert.deepEqual(topLevelSubmounts('/run', ['/', '/run/user/0', '/running']), ['/run/user/0']);
  });

  it('writes a hosts file with the in-cluster names', () => {
    assert.equal(
      hostsFile('127.0.0.1 localhost\n', '127.1.2.1', 'my-pod', [{ ip: '10.0.0.9', hostnames: ['db', 'db.local'] }]),
      '# Kubernetes-managed hosts file (Badge process runtime).\n127.0.0.1 localhost\n127.1.2.1\tkubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local\n127.0.1.1\tmy-pod\n\n# Entries added by HostAliases.\n10.0.0.9\tdb\tdb.local\n',
    );
  });
});
