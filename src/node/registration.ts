// The node's own objects (the kubelet's node status and lease controllers): the Node, registered
// once and reconciled on later starts, its status posted when it changes (or every 5 minutes), and
// its heartbeat Lease in kube-node-lease renewed. A deleted Node registers again.
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import { deepEqual } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import { nodeRef, type EventSink } from './events.js';
import { initialNode, NODE_ANNOTATIONS, NODE_LEASE_NAMESPACE, nodeLabels, nodeLease, nodeStatus, statusSansHeartbeat, type MachineInfo, type NodeIdentity } from './node-object.js';

export interface NodeRegistrationDeps {
  client: Client;
  clock: Clock;
  identity: NodeIdentity;
  machine: MachineInfo;
  events: EventSink;
  /** Clock time after which an unchanged node status is posted anyway (5 min). */
  nodeStatusReportMs?: number;
}

export class NodeRegistration {
  private nodeUID?: string;
  private lastStatusReport = 0;

  constructor(private readonly deps: NodeRegistrationDeps) {}

  private get name(): string {
    return this.deps.identity.name;
  }

  private readonly recordNodeEvent = (event: string) => this.deps.events.event(nodeRef(this.name), 'Normal', event, `Node ${this.name} status is now: ${event}`);

  async register(): Promise<void> {
    const { client, clock, identity, machine } = this.deps;
    const now = clock.now();
    try {
      const created = await client.create(R.nodes, '', initialNode(identity, machine, now, this.recordNodeEvent));
      this.nodeUID = created.metadata.uid;
      this.lastStatusReport = now.getTime();
      return;
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
    // Registered before: reconcile the default labels and annotations, then the status.
    const existing = await client.mutate(R.nodes, '', this.name, (n) => {
      n.metadata.labels = { ...n.metadata.labels, ...nodeLabels(identity, machine) };
      n.metadata.annotations = { ...n.metadata.annotations, ...NODE_ANNOTATIONS };
      return n;
    });
    this.nodeUID = existing.metadata.uid;
    await this.updateStatus(true);
  }

  async renewLease(): Promise<void> {
    const { client, clock } = this.deps;
    const now = clock.now();
    try {
      await client.mutate(R.leases, NODE_LEASE_NAMESPACE, this.name, (cur) => {
        const next = nodeLease(this.name, this.nodeUID, now, cur);
        next.metadata.resourceVersion = cur.metadata.resourceVersion;
        return next;
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await client.create(R.leases, NODE_LEASE_NAMESPACE, nodeLease(this.name, this.nodeUID, now));
    }
  }

  /** The Lease, then the status; errors are logged, not thrown. */
  async heartbeat(): Promise<void> {
    try {
      await this.renewLease();
    } catch (err) {
      console.error(`badge: node: lease: ${(err as Error).message}`);
    }
    try {
      await this.updateStatus();
    } catch (err) {
      // A deleted Node registers again, as the kubelet does.
      if (isNotFound(err)) await this.register().catch((e) => console.error(`badge: node: register: ${(e as Error).message}`));
      else console.error(`badge: node: status: ${(err as Error).message}`);
    }
  }

  private async updateStatus(force = false): Promise<void> {
    const { client, clock, identity, machine } = this.deps;
    const now = clock.now();
    const due = force || now.getTime() - this.lastStatusReport >= (this.deps.nodeStatusReportMs ?? 5 * 60_000);
    const events: string[] = [];
    await client.mutate(
      R.nodes,
      '',
      this.name,
      (n) => {
        events.length = 0;
        const next = nodeStatus(n.status, identity, machine, now, (e) => events.push(e));
        if (!due && deepEqual(statusSansHeartbeat(next), statusSansHeartbeat(n.status))) return n;
        return { ...n, status: next };
      },
      'status',
    );
    for (const e of events) this.recordNodeEvent(e);
    if (due || events.length) this.lastStatusReport = now.getTime();
  }
}
