// Pod IPs of the simulated network (kind's default pod subnet, 10.244.0.0/16): handed out in
// turn, skipping those pods already have.

/** A pod-IP range of the simulated runtime. */
const POD_CIDR_BASE = [10, 244];

export class PodIPs {
  private readonly used = new Set<string>();
  private next = 2;

  /** An IP a pod reports (from an earlier run of the agent) is not handed out again. */
  markUsed(ip: string): void {
    this.used.add(ip);
  }

  release(ip: string): void {
    this.used.delete(ip);
  }

  allocate(): string {
    for (let i = 0; i < 65534; i++) {
      const n = this.next;
      this.next = this.next >= 65533 ? 2 : this.next + 1;
      if ((n & 0xff) === 0 || (n & 0xff) === 255) continue;
      const ip = `${POD_CIDR_BASE[0]}.${POD_CIDR_BASE[1]}.${n >> 8}.${n & 0xff}`;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    throw new Error('the pod network 10.244.0.0/16 is full');
  }
}
