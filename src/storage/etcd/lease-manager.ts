// TTL keys (Events) on etcd leases, reused as kube-apiserver's lease manager reuses them
// (apiserver storage/etcd3/lease_manager.go): a lease of TTL + min(60 s, 5 % of TTL) serves
// every key written within that window, at most 1000 keys, so a busy stream of Events does not
// grant a lease per write.
import type { Clock } from '../../api/clock.js';

const REUSE_SECONDS = 60;
const REUSE_PERCENT = 0.05;
const MAX_KEYS_PER_LEASE = 1000;

export class LeaseManager {
  private id = '';
  private expiresAt = 0;
  private attached = 0;

  constructor(
    private readonly grant: (ttlSeconds: number) => Promise<string>,
    private readonly clock: Clock,
  ) {}

  /** A lease the key may be attached to: it expires no sooner than `ttl` from now, nor much later. */
  async lease(ttlSeconds: number): Promise<string> {
    const now = this.clock.now().getTime();
    const reuse = Math.min(Math.floor(ttlSeconds * REUSE_PERCENT), REUSE_SECONDS);
    const valid = now + ttlSeconds * 1000 < this.expiresAt;
    const sufficient = now + (ttlSeconds + reuse) * 1000 >= this.expiresAt;
    this.attached++;
    if (this.id && valid && sufficient && this.attached <= MAX_KEYS_PER_LEASE) return this.id;
    const granted = ttlSeconds + reuse;
    const id = await this.grant(granted);
    this.id = id;
    this.expiresAt = now + granted * 1000;
    this.attached = 1;
    return id;
  }
}
