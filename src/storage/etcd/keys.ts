// Badge's keys all start with /registry (registry/store.ts), as kube-apiserver's do with the
// default --etcd-prefix: the etcd backend puts the configured prefix in its place, so
// `etcdctl get --prefix <prefix>/secrets` shows what an operator of kube-apiserver expects.
import { posix } from 'node:path';

const BADGE_PREFIX = '/registry';

export interface KeyMap {
  /** The etcd key of a Badge key. */
  toEtcd(key: string): string;
  /** The Badge key of an etcd key. */
  fromEtcd(key: string): string;
}

/** `--etcd-prefix`, normalised as kube-apiserver does (path.Join("/", prefix)). */
export function keyMap(etcdPrefix: string): KeyMap {
  const prefix = posix.join('/', etcdPrefix).replace(/\/$/, '');
  return {
    toEtcd: (key) => (key.startsWith(BADGE_PREFIX + '/') ? prefix + key.slice(BADGE_PREFIX.length) : key),
    fromEtcd: (key) => (key.startsWith(prefix + '/') ? BADGE_PREFIX + key.slice(prefix.length) : key),
  };
}
