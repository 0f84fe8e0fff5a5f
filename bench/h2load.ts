// Load over HTTP/2 or HTTP/1.1 from the same client, h2load (Debian package nghttp2-client), so
// the two protocols are compared without the difference of two load generators.
import { spawnSync } from 'node:child_process';
import { ms, WARM_UP_SECONDS } from './wrk.js';

export interface H2loadResult {
  requestsPerSec: number;
  meanMs: number;
}

export function haveH2load(): boolean {
  return spawnSync('h2load', ['--version']).error === undefined;
}

/** GETs `url` over `protocol` from `connections` connections, one request in flight on each. */
export function h2load(url: string, protocol: 'h2' | 'http/1.1', opts: { seconds?: number; connections?: number; headers?: Record<string, string> } = {}): H2loadResult {
  const args = ['-t', '1', '-c', String(opts.connections ?? 16), '-m', '1', '-D', String(opts.seconds ?? 5), `--warm-up-time=${WARM_UP_SECONDS}`, `--npn-list=${protocol}`];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  const r = spawnSync('h2load', [...args, url], { encoding: 'utf8' });
  const out = r.stdout ?? '';
  const chosen = /Application protocol: (\S+)/.exec(out)?.[1] ?? 'none';
  const failed = Number(/(\d+) failed/.exec(out)?.[1] ?? NaN);
  if (r.status !== 0 || chosen !== protocol || failed !== 0) throw new Error(`h2load over ${protocol} (protocol ${chosen}, ${failed} failed): ${r.stderr || out}`);
  return {
    requestsPerSec: Number(/finished in \S+, ([\d.]+) req\/s/.exec(out)?.[1]),
    meanMs: ms(/time for request:\s+\S+\s+\S+\s+(\S+)/.exec(out)?.[1] ?? ''),
  };
}
