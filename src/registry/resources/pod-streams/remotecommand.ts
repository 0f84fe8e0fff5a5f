// The remote command protocol (exec and attach) whatever carries it, WebSockets or SPDY: which
// streams a session has, the metav1.Status that ends it on the error stream, and the terminal
// sizes of the resize stream.
import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { ApiError } from '../../../api/errors.js';
import type { ExecStreams } from '../../../api/node-streams.js';

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A metav1.Status as the error stream carries it (Go's encoding: no kind, empty metadata). */
export interface ChannelStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
  code?: number;
}

export const successStatus = (): ChannelStatus => ({ metadata: {}, status: 'Success' });

/** What the kubelet (and the stream translator after it) reports for a command's non-zero exit code. */
export function exitCodeStatus(code: number): ChannelStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** An API error as a channel Status. */
export function errorStatus(err: ApiError): ChannelStatus {
  const s = err.toStatus();
  return {
    metadata: {},
    status: 'Failure',
    message: s.message,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.details ? { details: s.details } : {}),
    code: s.code,
  };
}

/** NewInternalError. */
export function internalStatus(message: string): ChannelStatus {
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

/** An upgraded remote command session, over either transport. */
export interface Session {
  /** The sub-protocol agreed on (v5.channel.k8s.io, v4.channel.k8s.io, …). */
  protocol: string;
  streams: ExecStreams;
  /** Reports the Status on the error stream and closes the connection. */
  finish(status: ChannelStatus): Promise<void>;
}

/**
 * The resize stream: a stream of JSON objects `{"Width":…,"Height":…}` (as json.Decoder reads
 * them, split anywhere), each emitted as 'resize' with { width, height }.
 */
export class ResizeDecoder extends EventEmitter {
  private text = '';

  write(data: Buffer): void {
    this.text += data.toString();
    for (;;) {
      const end = this.text.indexOf('}');
      if (end < 0) break;
      const one = this.text.slice(0, end + 1);
      this.text = this.text.slice(end + 1);
      try {
        const size = JSON.parse(one) as { Width?: number; Height?: number };
        this.emit('resize', { width: size.Width ?? 0, height: size.Height ?? 0 });
      } catch {
        this.text = '';
      }
    }
    // A size is a few dozen bytes: anything longer without a `}` is not one.
    if (this.text.length > 4096) this.text = '';
  }
}

/** Ends a stream and resolves once what was written to it has gone out (or the connection has). */
export function endAndFlush(s: Writable, gone: Promise<void>): Promise<void> {
  if (s.writableFinished || s.destroyed) return Promise.resolve();
  const finished = new Promise<void>((resolve) => {
    s.once('finish', resolve);
    s.once('close', resolve);
  });
  s.end();
  return Promise.race([finished, gone]);
}
