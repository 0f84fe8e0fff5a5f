// Container runtimes: what the node agent asks of one. `simulated` runs nothing (kwok-style);
// `process` runs a container's command as a host process in a private mount namespace.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../api/clock.js';
import type { Pod } from '../../api/kinds.js';
import type { Duplex } from 'node:stream';
import type { ExecStreams } from '../../api/node-streams.js';
import type { KernelSample } from '../usage/kernel.js';

export interface Mount {
  /** Where the volume appears inside the container. */
  containerPath: string;
  /** The directory (or file) on the host holding the volume's content. */
  hostPath: string;
  readOnly: boolean;
}

/** Where a process on this host reaches the API server (the `kubernetes` Service's real endpoint). */
export interface ApiServerAddress {
  host: string;
  port: number;
}

/**
 * A container's security settings as the kubelet resolves them (the pod's and the container's
 * securityContext together; CRI's LinuxContainerSecurityContext).
 */
export interface ContainerSecurity {
  runAsUser?: number;
  runAsGroup?: number;
  /** The pod's supplementalGroups, then its fsGroup. */
  supplementalGroups: number[];
  readOnlyRootFilesystem: boolean;
  /** allowPrivilegeEscalation: false. */
  noNewPrivs: boolean;
  privileged: boolean;
  /** Capability names as the pod spec has them (NET_ADMIN, ALL). */
  capabilities: { add: string[]; drop: string[] };
}

/** Everything needed to start one container of a pod. */
export interface ContainerRun {
  pod: Pod;
  /** The container as the pod spec has it (name, image, command, args, workingDir, tty, stdin, …). */
  container: Container;
  /** The container ID the agent assigned (64 hex digits); the status shows it as `badge://<id>`. */
  id: string;
  /** How many times this container has been restarted before this run (0 for the first). */
  restartCount: number;
  /**
   * The environment, resolved (env, envFrom, the service variables). It holds the in-cluster
   * values a kubelet gives: KUBERNETES_SERVICE_HOST is the `kubernetes` Service's ClusterIP and
   * KUBERNETES_SERVICE_PORT 443. A runtime whose containers cannot reach the ClusterIP (the
   * `process` runtime: host processes, no service proxy) overrides KUBERNETES_SERVICE_HOST,
   * KUBERNETES_SERVICE_PORT and the KUBERNETES_PORT* variables with `apiServer`.
   */
  env: Record<string, string>;
  /** Where the API is reachable from this host (see `env`). */
  apiServer: ApiServerAddress;
  /** The volume mounts, resolved to host paths, in the order of the container's volumeMounts. */
  mounts: Mount[];
  /**
   * Where the container's stdout and stderr go, one CRI log line each
   * (`2026-01-01T00:00:00.000000000Z stdout F text`). The agent has created the (empty) file.
   */
  logPath: string;
  /** A directory of this container's own (its HOME, scratch space); it exists. */
  scratchDir: string;
  security: ContainerSecurity;
}

export interface Exit {
  exitCode: number;
  /** The signal that ended it, if any (SIGTERM, SIGKILL). */
  signal?: string;
  /** Completed / Error, as the container status reason. */
  reason: string;
  message?: string;
}

export interface ContainerHandle {
  /** The main process, when there is one. */
  readonly pid?: number;
  /** Resolves when the container ends. */
  readonly exited: Promise<Exit>;
  /** SIGTERM, then SIGKILL once `graceMs` have passed; resolves when it has ended. */
  stop(graceMs: number): Promise<Exit>;
}

export interface Runtime {
  readonly name: 'simulated' | 'process';
  start(run: ContainerRun): Promise<ContainerHandle>;
  /** Runs a command in a running container; resolves with its exit code. */
  exec(handle: ContainerHandle, run: ContainerRun, command: string[], streams: ExecStreams): Promise<number>;
  /** Attaches to a running container's standard streams; resolves when the session ends. */
  attach(handle: ContainerHandle, run: ContainerRun, streams: ExecStreams): Promise<void>;
  /**
   * Forwards one connection to `port` of the pod (sandbox `sandboxId`); rejects with the
   * runtime's message when nothing answers there.
   */
  portForward(sandboxId: string, port: number, stream: Duplex): Promise<void>;
  /**
   * A running container's cumulative CPU time and working set, from the kernel; undefined when it
   * has ended. A runtime without it runs nothing to measure (the simulated one).
   */
  usage?(handle: ContainerHandle): Promise<KernelSample | undefined>;
  /** Releases what the runtime holds beyond its containers (listening sockets). */
  close?(): Promise<void>;
}

/** What the agent hands a runtime it creates. */
export interface RuntimeDeps {
  /** The server's data dir (pods live under `<dataDir>/pods/<uid>`). */
  dataDir: string;
  /** The server's other files that hold secrets (a static token file, key files). */
  secretFiles?: string[];
  clock: Clock;
}

/**
 * The module `process.ts` exports `processRuntime(deps)`; the agent loads it only when
 * `--runtime process` is asked for, so the simulated runtime works without it.
 */
export type RuntimeFactory = (deps: RuntimeDeps) => Runtime | Promise<Runtime>;
