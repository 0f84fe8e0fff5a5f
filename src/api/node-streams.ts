// What the API server asks of the node agent for pods/log, exec, attach and portforward (the
// kubelet API): the registry's pod subresources call it, the node agent answers it.
import type { EventEmitter } from 'node:events';
import type { Duplex, Readable, Writable } from 'node:stream';

export interface LogOptions {
  container?: string;
  follow: boolean;
  tailLines?: number;
  timestamps: boolean;
  previous: boolean;
  sinceSeconds?: number;
  /** Lines before this time are skipped (with sinceSeconds too, the later of the two counts). */
  sinceTime?: Date;
  limitBytes?: number;
}

export interface ExecOptions {
  container?: string;
  command: string[];
}

/**
 * Forwards one connection to `port` of the pod: what is written to `stream` goes to the port,
 * what the port sends is written to it. Resolves when the connection is over; rejects with the
 * text for the port's error stream when the port cannot be reached.
 */
export type PortForwarder = (port: number, stream: Duplex) => Promise<void>;

export interface PodStreams {
  /** Writes the container's log to `out`; with `follow`, until `signal` aborts or the container ends. */
  logs(namespace: string, pod: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void>;
  /** Runs a command in the container; resolves with its exit code. */
  exec(namespace: string, pod: string, opts: ExecOptions, streams: ExecStreams): Promise<number>;
  /**
   * Attaches to the container's process: its output from now on, its stdin if it keeps one open
   * (`stdin: true`); resolves when the session ends.
   */
  attach(namespace: string, pod: string, opts: { container?: string }, streams: ExecStreams): Promise<void>;
  /** The pod's forwarder; rejects (before any connection is forwarded) when the pod cannot have one. */
  portForward(namespace: string, pod: string): Promise<PortForwarder>;
}

export interface ExecStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty: boolean;
  /** Emits 'resize' with { width, height } for a TTY. */
  resize?: EventEmitter;
  /** Aborted when the client goes away: the command is killed. */
  signal?: AbortSignal;
}
