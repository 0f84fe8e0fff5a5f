// /version and the health endpoints.
import type { ServerResponse } from 'node:http';
import { writeJson, writeText } from '../respond.js';

export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.2+badge' };

export function serveVersion(res: ServerResponse): void {
  writeJson(res, 200, {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    gitVersion: KUBE_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  });
}

export interface HealthCheck {
  name: string;
  /** What is wrong, or undefined when the check passes. */
  problem(): string | undefined;
  /** Only /readyz runs it (kube-apiserver's readiness checks: etcd-readiness, informer-sync, shutdown). */
  readinessOnly?: boolean;
}

/**
 * /healthz, /livez and /readyz as kube-apiserver's healthz package serves them: `ok`, or with
 * ?verbose (and always on failure) a line per check, `?exclude=NAME` (repeatable) passing one;
 * `/<endpoint>/<check>` runs one check. The reason of a failure is withheld: these are public.
 */
export function serveHealth(path: string, query: URLSearchParams, res: ServerResponse, all: HealthCheck[]): boolean {
  const m = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
  if (!m) return false;
  const endpoint = m[1]!;
  const checks = endpoint === 'readyz' ? all : all.filter((c) => !c.readinessOnly);
  if (m[2]) {
    const check = checks.find((c) => c.name === m[2]);
    if (!check) writeText(res, 404, '404 page not found\n');
    else {
      const problem = check.problem();
      writeText(res, problem === undefined ? 200 : 500, problem === undefined ? 'ok' : `internal server error: ${problem}\n`);
    }
    return true;
  }
  const excluded = new Set(query.getAll('exclude'));
  let out = '';
  let failed = false;
  for (const c of checks) {
    if (excluded.delete(c.name)) out += `[+]${c.name} excluded: ok\n`;
    else if (c.problem() === undefined) out += `[+]${c.name} ok\n`;
    else {
      out += `[-]${c.name} failed: reason withheld\n`;
      failed = true;
    }
  }
  if (excluded.size) out += `warn: some health checks cannot be excluded: no matches for ${[...excluded].sort().map((n) => JSON.stringify(n)).join(',')}\n`;
  if (failed) writeText(res, 500, `${out}${endpoint} check failed\n`);
  else writeText(res, 200, query.has('verbose') ? `${out}${endpoint} check passed\n` : 'ok');
  return true;
}
