// Planning a container's mounts without touching the host: overlays over the nearest existing
// ancestor (resolved through symbolic links), the mounts under it bound back, a new root when `/`
// itself is that ancestor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostsFile, planMounts, topLevelSubmounts, type MountPlanInput } from './mount-plan.js';

const host = new Set(['/', '/run', '/run/user', '/run/user/0', '/etc', '/etc/hosts', '/var', '/vol', '/vol/f', '/rt']);
const links: Record<string, string> = { '/var/run': '/run' };
const fake: Partial<MountPlanInput> = {
  hostMounts: ['/', '/proc', '/run/user/0', '/dev', '/dev/pts'],
  exists: (p) => host.has(p) || p in links,
  realpath: (p) => links[p] ?? p,
  isDirectory: (p) => p !== '/vol/f' && p !== '/etc/hosts',
};
const argv = (plan: { steps: { argv: string[] }[] }) => plan.steps.map((s) => s.argv.join(' '));

describe('mount plan', () => {
  it('overlays the nearest existing ancestor, after following links, and binds its mounts back', () => {
    const plan = planMounts({ ...fake, mounts: [{ containerPath: '/var/run/secrets/kubernetes.io/serviceaccount', hostPath: '/vol', readOnly: true }], directories: ['/'], runtimeDir: '/rt' });
    assert.equal(plan.newRoot, undefined);
    assert.deepEqual(argv(plan), [
      'mkdir -p /rt/overlay-0/upper /rt/overlay-0/work /run',
      'mkdir -p /rt/overlay-0/stash',
      'mount -n --rbind /run /rt/overlay-0/stash',
      'mount -n -t overlay overlay -o lowerdir=/run,upperdir=/rt/overlay-0/upper,workdir=/rt/overlay-0/work /run',
      'mount -n --rbind /rt/overlay-0/stash/user/0 /run/user/0',
      'mkdir -p /var/run/secrets/kubernetes.io/serviceaccount',
      'mount -n --rbind /vol /var/run/secrets/kubernetes.io/serviceaccount',
      'mount -n -o remount,bind,ro /var/run/secrets/kubernetes.io/serviceaccount',
    ]);
  });

  it('binds files over existing files, and needs nothing for existing mount points', () => {
    const plan = planMounts({ ...fake, mounts: [{ containerPath: '/etc/hosts', hostPath: '/vol/f', readOnly: false }], directories: ['/etc'], runtimeDir: '/rt' });
    assert.deepEqual(argv(plan), ['mount -n --rbind /vol/f /etc/hosts']);
  });

  it('makes a new root when a top-level directory is missing: an overlay, or a tmpfs in a user namespace', () => {
    const overlay = planMounts({ ...fake, mounts: [{ containerPath: '/data', hostPath: '/vol', readOnly: false }], directories: ['/work'], runtimeDir: '/rt' });
    assert.equal(overlay.newRoot, '/rt/root');
    assert.deepEqual(argv(overlay), [
      'mkdir -p /rt/overlay-0/upper /rt/overlay-0/work /rt/root',
      'mount -n -t overlay overlay -o lowerdir=/,upperdir=/rt/overlay-0/upper,workdir=/rt/overlay-0/work /rt/root',
      'mount -n --rbind /dev /rt/root/dev',
      'mount -n --rbind /run/user/0 /rt/root/run/user/0',
      'mkdir -p /rt/root/proc',
      'mkdir -p /rt/root/data',
      'mount -n --rbind /vol /rt/root/data',
      'mkdir -p /rt/root/work',
    ]);
    const tmpfs = planMounts({
      ...fake,
      rootLayer: 'tmpfs',
      rootEntries: [{ name: 'etc', type: 'dir' }, { name: 'proc', type: 'dir' }, { name: 'bin', type: 'link', target: 'usr/bin' }],
      mounts: [{ containerPath: '/data', hostPath: '/vol', readOnly: false }],
      directories: [],
      runtimeDir: '/rt',
    });
    assert.deepEqual(argv(tmpfs), [
      'mkdir -p /rt/root',
      'mount -n -t tmpfs -o mode=755 tmpfs /rt/root',
      'mkdir -p /rt/root/etc',
      'mount -n --rbind /etc /rt/root/etc',
      'mkdir -p /rt/root/proc',
      'ln -s usr/bin /rt/root/bin',
      'mkdir -p /rt/root/data',
      'mount -n --rbind /vol /rt/root/data',
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
