// Load from a second process: wrk (Debian package), HTTP/1.1 keep-alive over TLS.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WrkResult {
  requestsPerSec: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
}

/** A duration as wrk and h2load print it (`812.00us`, `1.23ms`, `2s`), in milliseconds. */
export function ms(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

export function haveWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

/** Seconds of the same load, not measured, before each measurement: the server's JIT warms up first. */
export const WARM_UP_SECONDS = 1;

/** Runs wrk against `url`; `method`/`body` make every request a POST (or PUT) with that body. */
export function wrk(url: string, opts: { seconds?: number; connections?: number; threads?: number; headers?: Record<string, string>; method?: string; body?: string } = {}): WrkResult {
  run(url, { ...opts, seconds: WARM_UP_SECONDS });
  return run(url, opts);
}

/** Runs wrk against each of `urls` at once (after a warm-up of them all at once): each one's result. */
export async function wrkConcurrently(urls: string[], opts: Parameters<typeof wrk>[1] = {}): Promise<WrkResult[]> {
  const one = (url: string, o: Parameters<typeof wrk>[1]) =>
    new Promise<WrkResult>((resolve, reject) => {
      const { argv, done } = args(url, o);
      const child = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.once('exit', (code) => {
        done();
        if (code === 0) resolve(parse(out));
        else reject(new Error(`wrk failed: ${out}`));
      });
    });
  await Promise.all(urls.map((u) => one(u, { ...opts, seconds: WARM_UP_SECONDS })));
  return Promise.all(urls.map((u) => one(u, opts)));
}

/** Each run's Lua script has a file of its own: concurrent runs must not read one being rewritten. */
let scripts = 0;

/** wrk's arguments, and what to call when it has run (removes its script). */
function args(url: string, opts: Parameters<typeof wrk>[1] = {}): { argv: string[]; done: () => void } {
  const args = ['-t', String(opts.threads ?? 1), '-c', String(opts.connections ?? 16), '-d', `${opts.seconds ?? 5}s`, '--latency'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  if (opts.method) {
    const script = join(tmpdir(), `badge-wrk-${process.pid}-${scripts++}.lua`);
    writeFileSync(script, `wrk.method = ${JSON.stringify(opts.method)}\nwrk.body = ${JSON.stringify(opts.body ?? '')}\nwrk.headers["Content-Type"] = "application/json"\n`);
    args.push('-s', script);
    return { argv: [...args, url], done: () => rmSync(script, { force: true }) };
  }
  return { argv: [...args, url], done: () => {} };
}

function parse(out: string): WrkResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = ms(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = ms(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { requestsPerSec: rps, p50ms: p50, p99ms: p99, non2xx };
}

function run(url: string, opts: Parameters<typeof wrk>[1] = {}): WrkResult {
  const { argv, done } = args(url, opts);
  const r = spawnSync('wrk', argv, { encoding: 'utf8' });
  done();
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr || r.stdout}`);
  return parse(r.stdout);
}
