// Writing a container's output as a CRI log file, as containerd does: one line per line of
// output, `<RFC3339Nano> <stdout|stderr> <F|P> <text>\n`; a line longer than 16 KiB is cut into
// partial (P) pieces, and what is left without a newline when the stream ends is a full line.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';

const MAX_LINE = 16 * 1024;

/** RFC3339Nano with nine fractional digits, in UTC. */
export function logTime(d: Date, nanos: number): string {
  return `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}${String(nanos % 1_000_000).padStart(6, '0')}Z`;
}

export class CriLogWriter {
  private readonly out: WriteStream;
  private last = 0n;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.out = createWriteStream(path, { flags: 'a' });
    this.out.on('error', () => {});
  }

  /** A timestamp that never goes backwards, with sub-millisecond digits from the monotonic clock. */
  private stamp(): string {
    const now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    this.last = now > this.last ? now : this.last + 1n;
    const ms = Number(this.last / 1_000_000n);
    return logTime(new Date(ms), Number(this.last % 1_000_000n));
  }

  private line(stream: 'stdout' | 'stderr', tag: 'F' | 'P', text: Buffer): void {
    this.out.write(Buffer.concat([Buffer.from(`${this.stamp()} ${stream} ${tag} `), text, Buffer.from('\n')]));
  }

  /** Copies a stream into the log; resolves when it has ended. */
  follow(input: Readable, stream: 'stdout' | 'stderr'): Promise<void> {
    let pending: Buffer = Buffer.alloc(0);
    return new Promise((resolve) => {
      input.on('data', (chunk: Buffer) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        for (;;) {
          const nl = pending.indexOf(0x0a);
          if (nl >= 0 && nl <= MAX_LINE) {
            this.line(stream, 'F', pending.subarray(0, nl));
            pending = pending.subarray(nl + 1);
          } else if (pending.length > MAX_LINE) {
            this.line(stream, 'P', pending.subarray(0, MAX_LINE));
            pending = pending.subarray(MAX_LINE);
          } else break;
        }
      });
      const done = () => {
        if (pending.length) this.line(stream, 'F', pending);
        pending = Buffer.alloc(0);
        resolve();
      };
      input.once('end', done);
      input.once('error', done);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(() => resolve()));
  }
}
