// What the API server asks of the node agent for pods/log and pods/exec (the kubelet API).
import type { Writable } from 'node:stream';
import type { ExecStreams } from './runtime/runtime.js';

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
