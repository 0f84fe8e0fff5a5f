// What the API server asks of the node agent for the resource metrics API (metrics.k8s.io, the
// kubelet's summary as metrics-server reads it): the registry's NodeMetrics and PodMetrics call
// it, the node agent answers it from the samples it takes (node/usage/).

/** Usage over a window: CPU in nanocores, memory as the working set in bytes. */
export interface Usage {
  cpuNanoCores: number;
  memoryBytes: number;
}

/** When figures were measured: over [timestamp − window, timestamp]. */
export interface UsageWindow {
  timestamp: Date;
  windowMs: number;
}

export interface NodeUsage extends UsageWindow {
  usage: Usage;
}

export interface PodUsage extends UsageWindow {
  /** The running containers, in the pod spec's order. */
  containers: { name: string; usage: Usage }[];
}

export interface ResourceUsage {
  /** The node's usage, or undefined when it is not this agent's node or not measured yet. */
  node(name: string): NodeUsage | undefined;
  /** A pod's usage, or undefined when none of its containers runs here or they are not measured yet. */
  pod(namespace: string, name: string): PodUsage | undefined;
}
