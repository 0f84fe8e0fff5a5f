// Reading CRI log files (pkg/kubelet/kuberuntime/logs): one line per write,
// `<RFC3339Nano> <stdout|stderr> <P|F> <text>`; P marks a partial line continued by the next.
// tailLines counts file lines from the end, sinceSeconds filters by timestamp, limitBytes cuts
// the output, timestamps prefixes each line with its fixed-width time; follow keeps reading
// while the container runs.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export interface CriLogOptions {
  tailLines?: number;
  limitBytes?: number;
  /** Lines older than this are skipped. */
  since?: Date;
  timestamps: boolean;
  follow: boolean;
}

interface LogMessage {
  timestamp: string;
  time: number;
  stream: 'stdout' | 'stderr';
  log: Buffer;
}

/** RFC3339NanoFixed: nine fractional digits. */
export function formatLogTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}

/** A CRI log line for `text`; a partial one (P) continues in the next line. Each ends with a newline. */
export function criLine(date: Date, stream: 'stdout' | 'stderr', text: string, partial = false): string {
  return `${formatLogTime(date)} ${stream} ${partial ? 'P' : 'F'} ${text}\n`;
}

/** parseCRILog; undefined for a malformed line. */
export function parseCriLine(line: Buffer): LogMessage | undefined {
  const s1 = line.indexOf(0x20);
  if (s1 < 0) return undefined;
  const timestamp = line.subarray(0, s1).toString();
  const time = parseNanoTime(timestamp);
  if (time === undefined) return undefined;
  const rest = line.subarray(s1 + 1);
  const s2 = rest.indexOf(0x20);
  if (s2 < 0) return undefined;
  const stream = rest.subarray(0, s2).toString();
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const rest2 = rest.subarray(s2 + 1);
  const s3 = rest2.indexOf(0x20);
  if (s3 < 0) return undefined;
  const tags = rest2.subarray(0, s3).toString().split(':');
  let log = rest2.subarray(s3 + 1);
  if (tags[0] === 'P' && log.length && log[log.length - 1] === 0x0a) log = log.subarray(0, log.length - 1);
  return { timestamp, time, stream, log };
}

/** Milliseconds since the epoch of an RFC 3339 time with up to nine fractional digits. */
function parseNanoTime(s: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
  const t = Date.parse(`${m[1]}.${frac}${m[3]}`);
  return Number.isNaN(t) ? undefined : t;
}

/** The output form of a message's time: RFC3339NanoFixed in UTC. */
function outputTime(msg: LogMessage): string {
  const m = /\.(\d{1,9})/.exec(msg.timestamp);
  const nanos = (m?.[1] ?? '').padEnd(9, '0');
  const d = new Date(msg.time);
  return `${d.toISOString().slice(0, 19)}.${nanos}Z`;
}

/** Where the last `n` lines of `buf` start (tail.FindTailLineStartIndex). */
export function tailStart(buf: Buffer, n: number | undefined): number {
  if (n === undefined || n < 0) return 0;
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 0x0a) end--;
  let count = 0;
  for (let i = end - 1; i >= 0; i--) {
    if (buf[i] === 0x0a) {
      count++;
      if (count === n) return i + 1;
    }
  }
  return n === 0 ? buf.length : 0;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

async function write(out: Writable, chunk: Buffer, signal: AbortSignal): Promise<void> {
  if (out.destroyed || out.writableEnded) return;
  if (!out.write(chunk) && !signal.aborted && !out.destroyed) {
    await Promise.race([once(out, 'drain'), once(out, 'close'), once(signal, 'abort')]);
  }
}

/**
 * Writes the log at `path` to `out`. With `follow`, keeps reading new lines until `running()`
 * says the container stopped (and the rest is read) or `signal` aborts.
 */
export async function readCriLog(path: string, opts: CriLogOptions, out: Writable, signal: AbortSignal, running: () => boolean, pollMs = 200): Promise<void> {
  if (!existsSync(path)) {
    if (!opts.follow) return;
    while (!existsSync(path)) {
      if (signal.aborted || !running()) return;
      await sleep(pollMs, signal);
    }
  }
  const fd = openSync(path, 'r');
  try {
    // Through the descriptor: the file may be removed (its pod deleted) while it is followed.
    const size = fstatSync(fd).size;
    const initial = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, initial, got, size - got, got);
      if (n <= 0) break;
      got += n;
    }
    let position = tailStart(initial.subarray(0, got), opts.tailLines);
    let pending = initial.subarray(position, got);
    position = got;
    let remaining = opts.limitBytes !== undefined && opts.limitBytes >= 0 ? opts.limitBytes : Infinity;
    const limited = opts.tailLines !== undefined && opts.tailLines >= 0 && !opts.follow;
    let lines = limited ? opts.tailLines! : Infinity;

    const emit = async (line: Buffer): Promise<boolean> => {
      const msg = parseCriLine(line);
      if (!msg) return true;
      if (opts.since && msg.time < opts.since.getTime()) return true;
      let data = msg.log;
      if (opts.timestamps) data = Buffer.concat([Buffer.from(`${outputTime(msg)} `), data]);
      if (data.length > remaining) data = data.subarray(0, remaining);
      await write(out, data, signal);
      remaining -= data.length;
      return remaining > 0;
    };

    let drained = false;
    for (;;) {
      // Complete lines in what has been read.
      let nl: number;
      while ((nl = pending.indexOf(0x0a)) >= 0) {
        if (signal.aborted || lines <= 0) return;
        const line = pending.subarray(0, nl + 1);
        pending = pending.subarray(nl + 1);
        if (!(await emit(line))) return;
        lines--;
      }
      if (signal.aborted || lines <= 0) return;
      if (!opts.follow) {
        // An incomplete last line is written as it is.
        if (pending.length) await emit(pending);
        return;
      }
      const wasRunning = running();
      const size = fstatSync(fd).size;
      if (size > position) {
        const chunk = Buffer.alloc(size - position);
        const n = readSync(fd, chunk, 0, chunk.length, position);
        position += n;
        pending = Buffer.concat([pending, chunk.subarray(0, n)]);
        continue;
      }
      if (!wasRunning) {
        // What the container wrote last may reach the file just after it ended: look once more.
        if (!drained) {
          drained = true;
          await sleep(pollMs, signal);
          continue;
        }
        if (pending.length) await emit(pending);
        return;
      }
      drained = false;
      await sleep(pollMs, signal);
    }
  } finally {
    closeSync(fd);
  }
}
