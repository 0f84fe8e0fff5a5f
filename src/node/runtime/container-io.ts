// A running container's standard streams as attach sees them (containerd's ContainerIO): its
// output goes to every attached session as it comes (no history), and a session's stdin goes to
// the container's stdin when the container keeps one open (`stdin: true`). When a session's
// stdin ends: with `stdinOnce` (and no terminal) the container's stdin is closed and the session
// lasts until the container's output ends; otherwise the session ends and the container's stdin
// stays open for the next one. A session that cannot keep up is ended rather than slowing the
// container down.
import type { Writable } from 'node:stream';
import type { ExecStreams } from '../../api/node-streams.js';

/** What an attached session may have waiting to be written before it is dropped. */
const MAX_BACKLOG = 4 * 1024 * 1024;

export interface ContainerIOOptions {
  /** The container's stdin, when it has one open. */
  stdin?: Writable;
  tty: boolean;
  stdinOnce: boolean;
  /** Resizes the container's terminal. */
  resize?: (size: { width: number; height: number }) => void;
}

interface Session {
  stdout?: Writable;
  stderr?: Writable;
  end(): void;
}

export class ContainerIO {
  private readonly sessions = new Set<Session>();
  private ended = false;

  constructor(private readonly o: ContainerIOOptions) {}

  /** A piece of the container's output. */
  output(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    for (const s of [...this.sessions]) {
      const w = stream === 'stdout' ? s.stdout : s.stderr;
      if (!w || w.destroyed) continue;
      if (w.writableLength > MAX_BACKLOG) s.end();
      else w.write(chunk);
    }
  }

  /** The container's output has ended: every session ends. */
  end(): void {
    this.ended = true;
    for (const s of [...this.sessions]) s.end();
  }

  /** Attaches a session; resolves when it ends. */
  attach(streams: ExecStreams): Promise<void> {
    if (this.ended) return Promise.reject(new Error('container is in CONTAINER_EXITED state'));
    return new Promise((resolve) => {
      const { stdin: containerStdin, tty, stdinOnce } = this.o;
      const input = containerStdin && !containerStdin.writableEnded ? streams.stdin : undefined;
      const onResize = (size: { width: number; height: number }) => this.o.resize?.(size);
      let done = false;
      const session: Session = {
        stdout: streams.stdout,
        // With a terminal there is one output stream.
        stderr: tty ? undefined : streams.stderr,
        end: () => {
          if (done) return;
          done = true;
          this.sessions.delete(session);
          streams.resize?.off('resize', onResize);
          streams.signal?.removeEventListener('abort', onAbort);
          if (input) {
            input.unpipe(containerStdin);
            input.off('end', inputEnded);
          }
          resolve();
        },
      };
      // A session that goes away ends the container's stdin as its end of input would.
      const onAbort = () => {
        if (input && stdinOnce && !tty) containerStdin!.end();
        session.end();
      };
      const inputEnded = () => {
        if (stdinOnce && !tty) containerStdin!.end();
        else session.end();
      };
      this.sessions.add(session);
      streams.resize?.on('resize', onResize);
      if (streams.signal?.aborted) return onAbort();
      streams.signal?.addEventListener('abort', onAbort, { once: true });
      if (input) {
        input.pipe(containerStdin!, { end: false });
        input.once('end', inputEnded);
      }
    });
  }
}
