// What the API server asks of the node agent for pods/log and pods/exec (the kubelet API): the
// registry's pod subresources call it, the node agent answers it.
import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';

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

export interface PodStreams {
  /** Writes the container's log to `out`; with `follow`, until `signal` aborts or the container ends. */
  logs(namespace: string, pod: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void>;
  /** Runs a command in the container; resolves with its exit code. */
  exec(namespace: string, pod: string, opts: ExecOptions, streams: ExecStreams): Promise<number>;
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
